import Foundation

/// An ed25519 key made by `ssh-keygen`, as an operator makes Sluice's commit-signing key, with
/// the allowed_signers file `git verify-commit` reads.
public struct SigningKey: Sendable {
    public let privateKey: String
    public var publicKey: String { privateKey + ".pub" }
    public let allowedSigners: String

    public init(in dir: TemporaryDirectory, name: String = "sluice-signing") throws {
        privateKey = dir.file(name)
        try run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "sluice", "-f", privateKey], check: true)
        let pub = try String(contentsOfFile: privateKey + ".pub", encoding: .utf8)
        allowedSigners = try dir.write("\(name).allowed_signers", "sluice namespaces=\"git\" \(pub)")
    }
}
