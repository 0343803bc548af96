import ChildProcess
import Foundation
public import Git

/// Checks a commit's signature with the tools people check them with: OpenSSH's
/// `ssh-keygen -Y verify` against an allowed_signers file for SSH signatures, GnuPG's `gpgv`
/// against a keyring for OpenPGP ones (libgit2 extracts the signature and the signed bytes).
/// A source with `verify` applies only commits one of them accepts.
public struct SignatureVerifier: Sendable {
    /// `ssh-keygen`'s allowed_signers file (`principal namespaces="git" ssh-ed25519 AAAA...`).
    public var allowedSigners: String?
    /// A keyring `gpgv` reads (`gpg --export KEYID > keyring.gpg`).
    public var gpgKeyring: String?

    public init(allowedSigners: String? = nil, gpgKeyring: String? = nil) {
        self.allowedSigners = allowedSigners
        self.gpgKeyring = gpgKeyring
    }

    /// Why `signature` is not good enough, or nil when it is.
    public func problem(_ signature: CommitSignature?) -> String? {
        guard let signature else { return "it is not signed" }
        let armored = signature.armored
        if armored.contains("-----BEGIN SSH SIGNATURE-----") {
            guard let allowedSigners else { return "it has an SSH signature and no allowed signers are configured (verify.sshAllowedSigners)" }
            return ssh(signature, allowedSigners: allowedSigners)
        }
        if armored.contains("-----BEGIN PGP SIGNATURE-----") {
            guard let gpgKeyring else { return "it has an OpenPGP signature and no keyring is configured (verify.gpgKeyring)" }
            return gpg(signature, keyring: gpgKeyring)
        }
        return "its signature is neither SSH nor OpenPGP"
    }

    func ssh(_ signature: CommitSignature, allowedSigners: String) -> String? {
        withFiles(signature) { sig, data in
            guard let tool = ChildProcess.find("ssh-keygen") else { return "ssh-keygen is not installed" }
            let found = try ChildProcess.run(tool, ["-Y", "find-principals", "-s", sig, "-f", allowedSigners], timeout: 30)
            let principals = found.stdoutText.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
            guard found.status == 0, let principal = principals.first else { return "its SSH key is not among the allowed signers" }
            let verified = try ChildProcess.run(
                tool, ["-Y", "verify", "-f", allowedSigners, "-I", principal, "-n", "git", "-s", sig], input: signature.signedData, timeout: 30)
            guard verified.status == 0 else {
                return "its SSH signature does not verify: \(verified.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))"
            }
            return nil
        }
    }

    func gpg(_ signature: CommitSignature, keyring: String) -> String? {
        withFiles(signature) { sig, data in
            guard let tool = ChildProcess.find("gpgv") else { return "gpgv is not installed (Debian: gpgv)" }
            let home = (sig as NSString).deletingLastPathComponent
            let r = try ChildProcess.run(tool, ["--homedir", home, "--keyring", keyring, sig, data], environment: ["LANG": "C"], timeout: 30)
            guard r.status == 0 else {
                let said = r.stderrText.split(separator: "\n").last.map(String.init) ?? "exit \(r.status)"
                return "its OpenPGP signature does not verify against the keyring: \(said)"
            }
            return nil
        }
    }

    /// The signature and the signed bytes in files of a fresh directory, removed after.
    func withFiles(_ signature: CommitSignature, _ body: (String, String) throws -> String?) -> String? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-verify-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try Data(signature.armored.utf8).write(to: URL(fileURLWithPath: "\(dir)/commit.sig"))
            try Data(signature.signedData).write(to: URL(fileURLWithPath: "\(dir)/commit"))
            return try body("\(dir)/commit.sig", "\(dir)/commit")
        } catch {
            return "cannot check its signature: \(error)"
        }
    }
}
