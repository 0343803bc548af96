import Foundation
import Kube
import Manifests
import Sync
import TestSupport
import Testing
import YAML

/// The built controller (`sluice run`) with a source's lane and trust set by flags: a commit
/// writing outside its namespaces, or an unsigned one, is not applied, and the source's status
/// in its inventory says why.
@Suite(.offThePool, .tags(.endToEnd)) struct SourceSafetyTests {
    func inventory(_ h: SyncHarness, _ source: String) async throws -> Inventory? {
        guard
            let cm = try await h.client.getIfExists(
                ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: Inventory.configMapName(source)))
        else { return nil }
        return try Inventory(configMap: cm)
    }

    func run(_ h: SyncHarness, _ extra: [String]) throws -> BackgroundProcess {
        try SluiceBinary.start(
            ["run"] + h.common + [
                "--repo", h.daemon.url, "--source-name", "team-a", "--interval", "1s", "--listen", "127.0.0.1:\(freePort())", "--leader-election", "false",
                "--inventory-namespace", "default",
            ] + extra)
    }

    @Test func aSourceLimitedToItsNamespacesCannotWriteElsewhere() async throws {
        let h = try await SyncHarness()
        for ns in ["team-a", "kube-system"] {
            _ = try await h.client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]], fieldManager: "admin")
        }
        try h.write("ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: model, namespace: team-a}\n")
        try h.commit("fine")
        let controller = try run(h, ["--target-namespaces", "team-a"])
        try await eventually("the first commit applied", timeout: 60) {
            try await h.client.getIfExists(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "team-a", name: "model")) != nil
        }
        try h.write("escape.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system}\ndata: {Corefile: hijacked}\n")
        try h.commit("escape")
        try await eventually("the commit refused in the source's status", timeout: 60) {
            try await inventory(h, "team-a")?.status?.errors.contains { $0.contains("namespace kube-system is not among source team-a's targetNamespaces") }
                == true
        }
        #expect(try await h.client.getIfExists(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "kube-system", name: "coredns")) == nil)
        _ = controller.stop()
    }

    @Test func aVerifyingSourceAppliesOnlySignedCommits() async throws {
        let h = try await SyncHarness()
        _ = try await h.client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team-a"]], fieldManager: "admin")
        let key = try SigningKey(in: h.dir, name: "alice")
        try h.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: model, namespace: team-a}\ndata: {v: signed}\n")
        try h.git.git(["add", "-A"])
        try h.git.git(["-c", "gpg.format=ssh", "-c", "user.signingkey=\(key.privateKey)", "commit", "-q", "-S", "-m", "signed"])
        try h.git.git(["push", "-q", "origin", "HEAD:main"])
        let controller = try run(h, ["--verify-ssh-allowed-signers", key.allowedSigners])
        let ref = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "team-a", name: "model")
        try await eventually("the signed commit applied", timeout: 60) { try await h.client.getIfExists(ref)?[path: ["data", "v"]] == "signed" }
        try h.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: model, namespace: team-a}\ndata: {v: unsigned}\n")
        let unsigned = try h.commit("unsigned")
        try await eventually("the unsigned commit refused", timeout: 60) {
            try await inventory(h, "team-a")?.status?.message?.contains("commit \(unsigned.prefix(7)) is not applied: it is not signed") == true
        }
        #expect(try await h.client.getIfExists(ref)?[path: ["data", "v"]] == "signed")
        _ = controller.stop()
    }

    /// Moving from kubectl to Sluice: what kubectl made is taken over only with --adopt.
    @Test func sluiceSyncAdoptsOnlyWhenAsked() async throws {
        let h = try await SyncHarness()
        _ = try await h.client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "apps"]], fieldManager: "kubectl")
        _ = try await h.client.apply(
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings", "namespace": "apps"], "data": ["mode": "by-hand"]],
            fieldManager: "kubectl")
        try h.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: apps}\ndata: {mode: from-git}\n")
        try h.commit("settings from git")
        let refused = try await h.sluice("sync", ["--once"])
        #expect(refused.status != 0)
        #expect((refused.stdout + refused.stderr).contains("exists and Sluice did not create it"), "\(refused.stdout)\(refused.stderr)")
        let ref = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "settings")
        #expect(try await h.client.getIfExists(ref)?[path: ["data", "mode"]] == "by-hand")
        let adopted = try await h.sluice("sync", ["--once", "--adopt"])
        #expect(adopted.status == 0, "\(adopted.stdout)\(adopted.stderr)")
        #expect(try await h.client.getIfExists(ref)?[path: ["data", "mode"]] == "from-git")
    }

    /// Sources as objects, run by the built controller: a tenant's GitSource acts as its own
    /// account, writes in its own namespace only, and one without an account is refused.
    @Test func aTenantsGitSourceStaysInItsLane() async throws {
        let h = try await SyncHarness()
        for document in try YAML.documents(in: try String(contentsOfFile: "\(SluiceBinary.repositoryRoot)/manifests/crd-gitsource.yaml", encoding: .utf8)) {
            _ = try await h.client.apply(document.root.value, fieldManager: "admin")
        }
        for document in try YAML.documents(in: GitSourceFixtures.tenant) { _ = try await h.client.apply(document.root.value, fieldManager: "admin") }
        let sources = try YAML.documents(in: GitSourceFixtures.gitSources(url: h.daemon.url)).map(\.root.value)
        try await eventually("the GitSource CRD served", timeout: 30) {
            for s in sources { guard (try? await h.client.apply(s, fieldManager: "admin")) != nil else { return false } }
            return true
        }
        try h.write("team-a/model.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: model, namespace: team-a}\n")
        try h.write(
            "team-a/escape.yaml",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: team-a-admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects: [{kind: ServiceAccount, name: deployer, namespace: team-a}]\n"
        )
        let head = try h.commit("a model, and an escape")
        let controller = try SluiceBinary.start(
            ["run"] + h.common + ["--listen", "127.0.0.1:\(freePort())", "--leader-election", "false", "--inventory-namespace", "sluice-system"],
            environment: ["POD_NAMESPACE": "sluice-system"])
        func status(_ name: String) async throws -> Value? {
            try await h.client.getIfExists(ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "GitSource", namespace: "team-a", name: name))?["status"]
        }
        try await eventually("the ClusterRoleBinding refused in the GitSource's status", timeout: 60) {
            let errors = try await status("models")?["errors"]?.arrayValue ?? []
            return errors.contains {
                $0.stringValue?.contains("ClusterRoleBinding team-a-admin is cluster-scoped: source team-a.models may write only in team-a") == true
            }
        }
        #expect(try await h.get("ClusterRoleBinding", "team-a-admin", namespace: nil, apiVersion: "rbac.authorization.k8s.io/v1") == nil)
        try await eventually("the GitSource without an account refused", timeout: 60) {
            try await status("rogue")?["conditions"]?.arrayValue?.first?["message"]?.stringValue?.contains(
                "spec.serviceAccountName: required outside sluice-system") == true
        }
        try h.git.remove("team-a/escape.yaml")
        try h.commit("no escape")
        try await eventually("the model applied as the account", timeout: 60) { try await h.get("ConfigMap", "model", namespace: "team-a") != nil }
        try await eventually("Ready", timeout: 60) { try await status("models")?["conditions"]?.arrayValue?.first?["status"] == "True" }
        #expect(try await status("models")?["revision"]?.stringValue != head)
        _ = controller.stop()
        await h.stop()
    }
}

enum GitSourceFixtures {
    static let tenant = TenantFixture.yaml(namespaces: ["team-a", "sluice-system"])

    static func gitSources(url: String) -> String {
        """
        apiVersion: sluice.dev/v1alpha1
        kind: GitSource
        metadata: {name: models, namespace: team-a}
        spec: {url: "\(url)", path: team-a, interval: 1s, serviceAccountName: deployer}
        ---
        apiVersion: sluice.dev/v1alpha1
        kind: GitSource
        metadata: {name: rogue, namespace: team-a}
        spec: {url: "\(url)", path: team-a, interval: 1s}
        """
    }
}
