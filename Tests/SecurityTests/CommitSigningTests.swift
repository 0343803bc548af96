import CommitSigning
import DesiredState
import Foundation
import Git
import TestSupport
import Testing

/// Sluice signs its commits in OpenSSH's format, so a reader tells them from commits anyone
/// with push access could write with the same trailers. Checked both ways against OpenSSH's own
/// `ssh-keygen -Y` and against `git verify-commit`.
@Suite(.offThePool) struct CommitSigningTests {
    let dir = TemporaryDirectory(prefix: "sluice-signing")

    func key() throws -> (SigningKey, Ed25519Key) {
        let made = try SigningKey(in: dir)
        return (made, try Ed25519Key(openSSH: try String(contentsOfFile: made.privateKey, encoding: .utf8)))
    }

    @Test func signaturesInteroperateWithSSHKeygen() throws {
        let (made, key) = try key()
        let message = Array("tree 0000\nauthor Sluice\n\nPromote churn 7\n".utf8)
        let file = try dir.write("message", String(decoding: message, as: UTF8.self))
        // Ours, checked by OpenSSH.
        _ = try dir.write("message.sig", try SSHSignature.sign(message, with: key))
        let verified = try run(
            "ssh-keygen", ["-Y", "verify", "-f", made.allowedSigners, "-I", "sluice", "-n", "git", "-s", file + ".sig"],
            stdin: String(decoding: message, as: UTF8.self))
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        // OpenSSH's, checked by ours.
        try FileManager.default.removeItem(atPath: file + ".sig")
        try run("ssh-keygen", ["-Y", "sign", "-f", made.privateKey, "-n", "git", file], check: true)
        let theirs = try String(contentsOfFile: file + ".sig", encoding: .utf8)
        #expect(try SSHSignature.verify(theirs, message: message) == key.publicKey)
        // Another message, or another namespace, fails.
        #expect(throws: SigningError.self) { try SSHSignature.verify(theirs, message: message + [0x0a]) }
        #expect(throws: SigningError.self) { try SSHSignature.verify(theirs, message: message, namespace: "file") }
        #expect(SSHPublicKey.all(in: try String(contentsOfFile: made.publicKey, encoding: .utf8)) == [key.publicKey])
    }

    @Test func anEncryptedOrForeignKeyIsRefusedWithoutShowingIt() throws {
        let encrypted = dir.file("encrypted")
        try run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "passphrase", "-f", encrypted], check: true)
        let error = #expect(throws: SigningError.self) { try Ed25519Key(openSSH: try String(contentsOfFile: encrypted, encoding: .utf8)) }
        #expect(error?.description.contains("encrypted") == true)
        let rsa = dir.file("rsa")
        try run("ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa], check: true)
        let text = try String(contentsOfFile: rsa, encoding: .utf8)
        let foreign = #expect(throws: SigningError.self) { try Ed25519Key(openSSH: text) }
        #expect(foreign?.description.contains("ed25519") == true)
        let keyLine = String(text.split(separator: "\n")[1])
        let shown = foreign?.description ?? ""
        #expect(shown.range(of: keyLine) == nil)
    }

    /// The commit Sluice makes is good to `git verify-commit`; one a person writes with the same
    /// trailers, or signs with a key of their own, is not trusted.
    @Test func onlyTheControllersCommitsAreTrusted() async throws {
        let (made, key) = try key()
        let git = try GitFixture()
        try git.write("envs/prod.yaml", "version: 6\n")
        try git.commit("six")
        let source = GitSource(spec: GitSourceSpec(url: git.bare), cacheDirectory: dir.file("cache"), signer: SSHCommitSigner(key: key))
        let trailers = "Sluice-Pipeline: ml/churn\nSluice-Environment: prod\nSluice-Version: 7\nSluice-From: staging"
        let id = try #require(try await source.commitEdit(path: "envs/prod.yaml", message: "Promote churn 7\n\n\(trailers)\n") { _ in "version: 7\n" })
        try git.git(["pull", "-q", "origin", "main"])
        let verified = try await run("git", ["-c", "gpg.ssh.allowedSignersFile=\(made.allowedSigners)", "verify-commit", id.hex], cwd: git.work)
        #expect(verified.status == 0 && verified.stderr.contains("Good \"git\" signature"), "\(verified.stderr)")

        let trust = TrustedCommits(keys: [key.publicKey])
        #expect(trust.verdict(try await source.signature(of: id)) == .trusted)

        try git.write("envs/prod.yaml", "version: 8\n")
        let forged = try git.commit("Promote churn 8\n\n\(trailers)\nSluice-Approved-By: release-manager@corp.example")
        let other = try SigningKey(in: dir, name: "mallory")
        try git.write("envs/prod.yaml", "version: 9\n")
        try git.git(["-c", "gpg.format=ssh", "-c", "user.signingkey=\(other.privateKey)", "commit", "-q", "-S", "-a", "-m", "Promote churn 9\n\n\(trailers)"])
        try git.git(["push", "-q", "origin", "HEAD:main"])
        let signedByOther = try git.head()
        try await source.fetch()
        #expect(trust.verdict(try await source.signature(of: try #require(ObjectID(hex: forged)))) == .unsigned)
        if case .untrusted = trust.verdict(try await source.signature(of: try #require(ObjectID(hex: signedByOther)))) {
        } else {
            Issue.record("a commit signed by another key was trusted")
        }
    }
}
