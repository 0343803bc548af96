import ClusterSync
import Foundation
import Kube
import ManifestLoading
import Manifests
import Sync
import TestSupport
import Testing
import YAML

/// A source stays in its lane: within its target namespaces, no cluster-scoped kinds unless
/// allowed, and no object it did not create taken over (another source's never; one that
/// predates Sluice only when adoption is explicit), so removing a file never deletes what was
/// someone else's.
@Suite(.offThePool) struct SourceLaneTests {
    static func manifests(_ yaml: String) throws -> [Manifest] {
        let result = ManifestLoader.load([SourceFile(path: "apps/all.yaml", contents: Array(yaml.utf8))])
        #expect(result.errors.isEmpty, "\(result.errors)")
        return result.manifests
    }

    static func syncer(_ cluster: InProcessCluster, _ source: String, _ options: (inout SyncOptions) -> Void = { _ in }) -> Syncer {
        var o = SyncOptions(source: source, inventoryNamespace: "default")
        options(&o)
        return Syncer(client: cluster.client, options: o)
    }

    static func sync(_ syncer: Syncer, _ yaml: String) async throws -> SyncResult {
        let plan = await syncer.plan(try manifests(yaml))
        return await syncer.apply(plan, commit: nil)
    }

    static let coredns = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system}\ndata: {Corefile: \"hijacked\"}\n"

    /// The attack: a 4-line manifest naming `kube-system/coredns` took it over, and removing the
    /// file deleted it.
    @Test func anObjectThatPredatesSluiceIsNotTakenOverNorPruned() async throws {
        let cluster = try InProcessCluster()
        try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n")
        try await cluster.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system}\ndata: {Corefile: \"the cluster's\"}\n")
        let syncer = Self.syncer(cluster, "apps")
        let result = try await Self.sync(syncer, Self.coredns)
        #expect(result.status.sync == .failed)
        #expect(result.status.errors.contains { $0.contains("exists and Sluice did not create it for source apps") }, "\(result.status.errors)")
        let live = try await cluster.client.getIfExists(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "kube-system", name: "coredns"))
        #expect(live?[path: ["data", "Corefile"]] == "the cluster's")
        #expect(live?[path: ["metadata", "annotations", "sluice.dev/source"]] == nil)
        let removed = try await Self.sync(syncer, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: kube-system}\n")
        #expect(!removed.pruned.contains { $0.name == "coredns" })
        #expect(try await cluster.client.getIfExists(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "kube-system", name: "coredns")) != nil)
    }

    @Test func adoptionIsExplicit() async throws {
        let cluster = try InProcessCluster()
        try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n")
        try await cluster.apply(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system, annotations: {sluice.dev/adopt: apps}}\ndata: {Corefile: old}\n"
        )
        let result = try await Self.sync(Self.syncer(cluster, "apps"), Self.coredns)
        #expect(result.status.sync == .synced, "\(result.status.errors)")
        let bySetting = try await Self.sync(
            Self.syncer(cluster, "legacy") { $0.adopt = true }, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system}\n")
        #expect(bySetting.status.errors.contains { $0.contains("belongs to source apps") }, "adopt: true never takes another source's object")
    }

    @Test func oneSourceCannotTakeOverOrPruneAnothers() async throws {
        let cluster = try InProcessCluster()
        try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: team-b}\n")
        let teamB = Self.syncer(cluster, "team-b")
        let owned = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: model-config, namespace: team-b}\ndata: {owner: team-b}\n"
        #expect(try await Self.sync(teamB, owned).status.sync == .synced)
        let teamA = Self.syncer(cluster, "team-a")
        let attack = try await Self.sync(teamA, owned.replacingOccurrences(of: "owner: team-b", with: "owner: team-a"))
        #expect(attack.status.errors.contains { $0.contains("belongs to source team-b") }, "\(attack.status.errors)")
        let live = try await cluster.client.getIfExists(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "team-b", name: "model-config"))
        #expect(live?[path: ["data", "owner"]] == "team-b")
        #expect(try await teamA.loadInventory()?.objects.isEmpty ?? true, "nothing of team-b's is in team-a's inventory, so team-a never prunes it")
    }

    /// A source limited to team-a cannot create a ClusterRoleBinding or touch kube-system.
    @Test func targetNamespacesAndClusterScopedKinds() async throws {
        let cluster = try InProcessCluster()
        for ns in ["team-a", "kube-system"] { try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: \(ns)}\n") }
        let syncer = Self.syncer(cluster, "team-a") { $0.targetNamespaces = ["team-a"] }
        let result = try await Self.sync(
            syncer,
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: team-a-is-admin}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: ServiceAccount, name: default, namespace: team-a}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: x, namespace: kube-system}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: fine, namespace: team-a}
            """)
        #expect(result.status.sync == .failed)
        #expect(result.status.errors.contains { $0.contains("ClusterRoleBinding team-a-is-admin is cluster-scoped") }, "\(result.status.errors)")
        #expect(result.status.errors.contains { $0.contains("namespace kube-system is not among source team-a's targetNamespaces") })
        #expect(result.applied.isEmpty, "a commit with a refused object applies nothing")
        #expect(
            try await cluster.client.getIfExists(
                ObjectReference(apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", namespace: nil, name: "team-a-is-admin")) == nil)
        let own = try await Self.sync(
            syncer,
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: team-a, labels: {team: a}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine, namespace: team-a}\n"
        )
        #expect(
            own.status.errors.contains { $0.contains("Namespace/team-a exists and Sluice did not create it") },
            "its own namespace, made by an admin: adopt it explicitly: \(own.status.errors)")
    }
}
