import ClusterSync
import CommitSigning
import Controller
import DesiredState
import Foundation
import Kube
import Logging
import Manifests
import Sync
import TestSupport
import Testing
import YAML

/// A source with `verify` applies only signed commits whose signature OpenSSH (`ssh-keygen -Y
/// verify`) or GnuPG (`gpgv`) accepts: an unsigned or foreign-signed head is not applied, the
/// last verified commit stays, and the status and an Event say which commit and why.
@Suite(.offThePool) struct VerifiedSourceTests {
    let dir = TemporaryDirectory(prefix: "sluice-verify")

    struct Keys {
        var ssh: SigningKey
        var gpgHome: String
        var gpgKeyring: String
        var gpgFingerprint: String
    }

    func keys() throws -> Keys {
        let ssh = try SigningKey(in: dir, name: "alice")
        let home = dir.file("gnupg")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let env = ["GNUPGHOME": home]
        try run(
            "gpg", ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", "Bob <bob@example.com>", "ed25519", "sign", "never"],
            environment: env, check: true)
        let listing = try run("gpg", ["--batch", "--with-colons", "--list-secret-keys"], environment: env, check: true).stdout
        let fingerprint = try #require(listing.split(separator: "\n").first { $0.hasPrefix("fpr:") }?.split(separator: ":").last.map(String.init))
        let keyring = dir.file("trusted.gpg")
        try run("gpg", ["--batch", "--output", keyring, "--export", fingerprint], environment: env, check: true)
        return Keys(ssh: ssh, gpgHome: home, gpgKeyring: keyring, gpgFingerprint: fingerprint)
    }

    func controller(_ git: GitFixture, _ cluster: InProcessCluster, verifier: SignatureVerifier) -> SourceController {
        var logger = Logger(label: "test.verify")
        logger.logLevel = .critical
        let source = GitSource(spec: GitSourceSpec(url: git.bare, path: "apps"), cacheDirectory: dir.file("cache"))
        let syncer = Syncer(client: cluster.api, options: SyncOptions(source: "apps", inventoryNamespace: "default"))
        return SourceController(
            name: "apps", git: source, syncer: syncer, interval: 3600, logger: logger, events: EventRecorder(client: cluster.client), verifier: verifier)
    }

    static func configMap(_ value: String) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: apps}\ndata: {v: \"\(value)\"}\n"
    }

    func value(_ cluster: InProcessCluster) async throws -> String? {
        try await cluster.client.getIfExists(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "settings"))?[path: ["data", "v"]]?
            .stringValue
    }

    @Test func onlyCommitsSignedByATrustedKeyAreApplied() async throws {
        let keys = try keys()
        let cluster = try InProcessCluster()
        try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: apps}\n")
        let git = try GitFixture()
        let controller = controller(git, cluster, verifier: SignatureVerifier(allowedSigners: keys.ssh.allowedSigners, gpgKeyring: keys.gpgKeyring))

        // SSH-signed by an allowed key: applied.
        try git.write("apps/settings.yaml", Self.configMap("ssh"))
        try git.git(["add", "-A"])
        try git.git(["-c", "gpg.format=ssh", "-c", "user.signingkey=\(keys.ssh.privateKey)", "commit", "-q", "-S", "-m", "ssh-signed"])
        try git.git(["push", "-q", "origin", "HEAD:main"])
        #expect(await controller.reconcile())
        #expect(try await value(cluster) == "ssh")

        // Unsigned (the attack: whoever can push changes production): not applied.
        try git.write("apps/settings.yaml", Self.configMap("unsigned"))
        let unsigned = try git.commit("unsigned")
        #expect(await controller.reconcile() == false)
        #expect(try await value(cluster) == "ssh", "the last verified commit stays applied")
        let message = await controller.status?.message ?? ""
        #expect(message.contains("commit \(unsigned.prefix(7)) is not applied: it is not signed"), "\(message)")
        let inventory = try await Syncer(client: cluster.client, options: SyncOptions(source: "apps", inventoryNamespace: "default")).loadInventory()
        #expect(inventory?.status?.message?.contains("is not applied") == true, "sluice status reads it from the inventory")
        let events = try await cluster.client.list(apiVersion: "v1", kind: "Event", namespace: "default")
        #expect(events.items.contains { $0["reason"]?.stringValue == "UnverifiedCommit" })

        // Signed with a key nobody trusts: not applied.
        let mallory = try SigningKey(in: dir, name: "mallory")
        try git.write("apps/settings.yaml", Self.configMap("mallory"))
        try git.git(["add", "-A"])
        try git.git(["-c", "gpg.format=ssh", "-c", "user.signingkey=\(mallory.privateKey)", "commit", "-q", "-S", "-m", "foreign"])
        try git.git(["push", "-q", "origin", "HEAD:main"])
        #expect(await controller.reconcile() == false)
        let foreign = await controller.status?.message ?? ""
        #expect(foreign.contains("not among the allowed signers"), "\(foreign)")
        #expect(try await value(cluster) == "ssh")

        // OpenPGP-signed by a key in the keyring: applied.
        try git.write("apps/settings.yaml", Self.configMap("gpg"))
        try git.git(["add", "-A"])
        _ = try await run(
            "git", ["-c", "user.signingkey=\(keys.gpgFingerprint)", "commit", "-q", "-S", "-m", "gpg-signed"], cwd: git.work,
            environment: ["GNUPGHOME": keys.gpgHome, "GIT_CONFIG_NOSYSTEM": "1", "HOME": git.root.path], check: true)
        try git.git(["push", "-q", "origin", "HEAD:main"])
        let applied = await controller.reconcile()
        let said = await controller.status?.message ?? ""
        #expect(applied, "\(said)")
        #expect(try await value(cluster) == "gpg")
    }
}
