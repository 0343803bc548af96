public import Git
public import Sync

extension CommitSummary {
    public init(_ commit: CommitInfo) { self.init(id: commit.id.hex, summary: commit.summary) }
}
