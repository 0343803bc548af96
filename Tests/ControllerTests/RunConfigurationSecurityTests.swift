import ControllerProcess
import Foundation
import Rollout
import TestSupport
import Testing

/// The operator's security settings: each read from a flag or a source of the file, each bad
/// value refused naming the setting.
@Suite(.offThePool) struct RunConfigurationSecurityTests {
    let dir = TemporaryDirectory(prefix: "sluice-config")

    func resolve(_ flags: [String: String] = [:], file: String? = nil) throws -> RunConfiguration {
        try RunConfiguration.resolve(flags: flags, environment: [:], file: file, home: dir.path)
    }

    @Test func aSourcesLaneAndTrustFromTheFile() throws {
        let signers = try dir.write("allowed_signers", "alice namespaces=\"git\" ssh-ed25519 AAAA\n")
        let file = try dir.write(
            "config.yaml",
            """
            allowedRegistryUrl: "https://mlflow.corp.example, http://mlflow.ml:5000"
            allowedNotificationUrl: "https://prod-00.westus.logic.azure.com/workflows/"
            allowedServiceAccounts: team-a/model-server
            sources:
              - name: team-a
                repo: https://git.example.com/team-a.git
                serviceAccount: team-a/deployer
                targetNamespaces: [team-a, team-a-staging]
                adopt: true
                verify: {sshAllowedSigners: \(signers)}
            """)
        let c = try resolve(file: file)
        let s = c.sources[0]
        #expect(s.serviceAccount == "team-a/deployer" && s.targetNamespaces == ["team-a", "team-a-staging"] && s.adopt && s.allowClusterScoped == nil)
        #expect(s.verifyAllowedSigners == signers && s.verifyGPGKeyring == nil)
        #expect(c.allowedRegistryURLs == ["https://mlflow.corp.example", "http://mlflow.ml:5000"])
        #expect(c.allowedNotificationURLs == ["https://prod-00.westus.logic.azure.com/workflows/"])
        #expect(c.podPolicy == PodPolicy(serviceAccounts: ["team-a/model-server"]))
        #expect(c.renderDirectory == nil && c.sourceLimits.tree.maxFiles == 20_000)
    }

    @Test func flagsForOneSource() throws {
        let c = try resolve([
            "repo": "https://git.example.com/a.git", "target-namespaces": "team-a", "allow-cluster-scoped": "true", "service-account": "team-a/deployer",
            "max-commit-files": "500", "max-manifest-bytes": "8Mi", "allow-host-path": "true",
        ])
        #expect(c.sources[0].targetNamespaces == ["team-a"] && c.sources[0].allowClusterScoped == true && c.sources[0].serviceAccount == "team-a/deployer")
        #expect(c.sourceLimits.tree.maxFiles == 500 && c.sourceLimits.manifests.maxBytes == 8 << 20)
        #expect(c.podPolicy.hostPath && !c.podPolicy.privileged)
    }

    @Test(arguments: [
        (["service-account": "deployer"], "service-account"), (["target-namespaces": "Team_A"], "target-namespaces"),
        (["allowed-registry-url": "https://u:p@mlflow.example"], "allowed-registry-url"),
        (["allowed-notification-url": "hooks.example.com"], "allowed-notification-url"),
        (["render-dir": "/tmp/cache/render", "cache-dir": "/tmp/cache"], "render-dir"),
        (["max-commit-bytes": "lots"], "max-commit-bytes"), (["verify-ssh-allowed-signers": "/nonexistent"], "verify-ssh-allowed-signers"),
    ])
    func badValuesNameTheirSetting(_ flags: [String: String], _ setting: String) {
        var all = flags
        all["repo"] = "https://git.example.com/a.git"
        do {
            _ = try resolve(all)
            Issue.record("\(flags) accepted")
        } catch {
            #expect("\(error)".contains("--\(setting)"), "\(error)")
        }
    }
}
