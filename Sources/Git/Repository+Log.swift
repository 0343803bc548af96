internal import CGit2
import Foundation

extension Repository {
    /// Commits reachable from `id`, newest first, at most `limit` (first-parent and merged
    /// history alike, as `git log` shows them).
    public func log(from id: ObjectID, limit: Int) throws -> [CommitInfo] {
        var walk: OpaquePointer?
        try GitError.check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try GitError.check(git_revwalk_sorting(walk, GIT_SORT_TIME.rawValue), "git_revwalk_sorting")
        var start = id.raw
        try GitError.check(git_revwalk_push(walk, &start), "git_revwalk_push(\(id.short))")
        var out: [CommitInfo] = []
        var oid = git_oid()
        while out.count < limit {
            let rc = git_revwalk_next(&oid, walk)
            if rc == GIT_ITEROVER.rawValue { break }
            try GitError.check(rc, "git_revwalk_next")
            out.append(try commitInfo(ObjectID(oid)))
        }
        return out
    }
}
