internal import CGit2

/// A commit's signature as git stores it, and the bytes it signs (the commit without it).
public struct CommitSignature: Sendable {
    public var armored: String
    public var signedData: [UInt8]
}

extension Repository {
    /// The `gpgsig` signature of a commit; nil when it has none.
    public func signature(of id: ObjectID) throws -> CommitSignature? {
        var oid = id.raw
        var signature = git_buf()
        var signed = git_buf()
        defer {
            git_buf_dispose(&signature)
            git_buf_dispose(&signed)
        }
        let rc = git_commit_extract_signature(&signature, &signed, pointer, &oid, "gpgsig")
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(rc, "git_commit_extract_signature(\(id.short))")
        let text = String(decoding: UnsafeRawBufferPointer(start: signature.ptr, count: signature.size), as: UTF8.self)
        let data = Array(UnsafeRawBufferPointer(start: signed.ptr, count: signed.size))
        return CommitSignature(armored: text, signedData: data)
    }
}
