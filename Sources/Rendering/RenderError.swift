/// A render that failed: which tool, what it said. The caller adds the source and commit.
public struct RenderError: Error, Sendable, CustomStringConvertible {
    public var tool: String
    public var message: String

    public init(tool: String, message: String) {
        self.tool = tool
        self.message = message
    }

    public var description: String { "\(tool): \(message)" }
}
