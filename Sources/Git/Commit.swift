public import struct Foundation.Date

/// What a user sees of a commit in status and logs.
public struct CommitInfo: Sendable, Hashable {
    public var id: ObjectID
    public var author: String
    public var email: String
    public var time: Date
    public var message: String

    public var summary: String { String(message.split(separator: "\n", maxSplits: 1).first ?? "") }
}

/// A file read from a commit's tree.
public struct GitFile: Sendable {
    /// Path relative to the repository root, `/`-separated.
    public var path: String
    public var contents: [UInt8]

    public init(path: String, contents: [UInt8]) {
        self.path = path
        self.contents = contents
    }
}
