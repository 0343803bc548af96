/// A commit Sluice will not read: a hostile or broken entry, or a tree over its limits. Nothing
/// of that commit is used, so whatever was applied before stays.
public struct TreeError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Reason: Sendable, Equatable {
        case unsafeName
        case duplicate
        case tooManyFiles
        case tooLarge
    }

    public var commit: ObjectID
    /// The entry's path as far as it was read (its parent directories, then the name as stored,
    /// control characters shown escaped).
    public var path: String
    public var reason: Reason
    public var message: String

    public init(commit: ObjectID, path: String, reason: Reason, message: String) {
        self.commit = commit
        self.path = path
        self.reason = reason
        self.message = message
    }

    public var description: String { "commit \(commit.short) is refused: tree entry '\(path)': \(message)" }
}
