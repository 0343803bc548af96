/// The commit a sync applies, as the inventory and the source's status record it: what the
/// planner's shell needs of a commit, without the git library that read it.
public struct CommitSummary: Sendable, Hashable {
    /// The full object id, hex.
    public var id: String
    /// The message's first line.
    public var summary: String

    public init(id: String, summary: String) {
        self.id = id
        self.summary = summary
    }

    public var short: String { String(id.prefix(7)) }
}
