/// A position in a YAML or JSON source, 1-based as editors show it.
public struct Mark: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static let unknown = Mark(line: 0, column: 0)

    public var description: String { "\(line):\(column)" }
}
