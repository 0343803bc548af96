/// A problem with a desired object or the file it is in, naming the file, the document, the
/// object when it is known, the field when there is one, and the line.
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var document: Int?
    public var line: Int
    public var column: Int
    public var object: String?
    public var field: String?
    public var message: String

    public init(file: String, document: Int? = nil, line: Int = 0, column: Int = 0, object: String? = nil, field: String? = nil, message: String) {
        self.file = file
        self.document = document
        self.line = line
        self.column = column
        self.object = object
        self.field = field
        self.message = message
    }

    public var description: String {
        var location = file
        if line > 0 { location += ":\(line)" + (column > 0 ? ":\(column)" : "") }
        var parts = [location]
        if let document { parts.append("document \(document + 1)") }
        if let object { parts.append(object) }
        var text = parts.joined(separator: ": ")
        if let field { text += ": \(field)" }
        return text + ": " + message
    }
}
