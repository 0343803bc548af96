public import Git

/// Signs Sluice's commits with its ed25519 key in OpenSSH's format, as `git commit -S` with
/// `gpg.format=ssh` would: `git verify-commit` checks them against an allowed_signers file.
public struct SSHCommitSigner: CommitSigner {
    public let key: Ed25519Key

    public init(key: Ed25519Key) { self.key = key }

    public func sign(_ commit: [UInt8]) throws -> String { try SSHSignature.sign(commit, with: key) }
}
