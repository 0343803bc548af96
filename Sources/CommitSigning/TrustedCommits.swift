public import Git

/// Which commits' trailers to believe: those signed by one of `keys` (the controller's commit
/// signing key). Anyone who can push can write `Sluice-Approved-By:` into a message; only the
/// holder of the key can sign it.
public struct TrustedCommits: Sendable {
    public let keys: Set<SSHPublicKey>

    public init(keys: some Sequence<SSHPublicKey>) { self.keys = Set(keys) }

    public enum Verdict: Sendable, Equatable {
        case trusted
        case unsigned
        case untrusted(String)
    }

    public func verdict(_ signature: CommitSignature?) -> Verdict {
        guard let signature else { return .unsigned }
        do {
            let key = try SSHSignature.verify(signature.armored, message: signature.signedData)
            return keys.contains(key) ? .trusted : .untrusted("signed by a key that is not trusted")
        } catch {
            return .untrusted("\(error)")
        }
    }
}
