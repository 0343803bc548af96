import Values

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

    /// A problem with the field at `path` of a loaded object, pointing at that field's line and
    /// column (or the object's line when the field is absent).
    public init(_ m: Manifest, at path: [String], _ message: String) {
        // What the file says, shown escaped: a name can hold what a terminal would act on.
        let kind = m.object["kind"]?.stringValue.map { Printable.escaped($0, limit: 80) }
        let name = m.object[path: ["metadata", "name"]]?.stringValue.map { Printable.escaped($0, limit: 80) }
        let mark = m.node?.mark(at: path) ?? Mark(line: m.source.line, column: 0)
        self.init(
            file: m.source.file, document: m.source.document, line: mark.line > 0 ? mark.line : m.source.line, column: mark.column,
            object: kind.map { k in name.map { "\(k)/\($0)" } ?? k }, field: path.isEmpty ? nil : FieldPath.text(path), message: message)
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
