/// Where a desired object came from: the file, the document within it, and the line.
public struct ObjectSource: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String
    /// 0-based index of the YAML document in the file.
    public var document: Int
    public var line: Int

    public init(file: String, document: Int, line: Int) {
        self.file = file
        self.document = document
        self.line = line
    }

    public var description: String { "\(file):\(line) (document \(document + 1))" }
}
