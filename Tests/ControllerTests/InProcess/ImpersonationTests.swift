import ClusterSync
import Foundation
import HTTP
import Kube
import ManifestLoading
import Manifests
import Sync
import TestSupport
import Testing
import YAML

/// A source with a service account applies, diffs and prunes as that account: the API server
/// checks the controller may impersonate it (`impersonate` on that `serviceaccounts` object), then
/// authorizes every request with the account's RBAC. The inventory stays the controller's.
@Suite(.offThePool) struct ImpersonationTests {
    static let rbac = TenantFixture.yaml(namespaces: ["team-a", "team-b"])

    func client(_ cluster: InProcessCluster, token: String? = nil, impersonate: String? = nil) -> KubeClient {
        var config = ClusterConfig(server: "http://emulator.in-process", auth: token.map { .token($0) } ?? .none, qps: 0)
        config.impersonate = impersonate
        return KubeClient(config: config, exchange: cluster.emulator.inProcessExchange(), retry: .none)
    }

    static func manifests(_ yaml: String) -> [Manifest] {
        ManifestLoader.load([SourceFile(path: "team-a/all.yaml", contents: Array(yaml.utf8))]).manifests
    }

    @Test func aSourceActsWithItsServiceAccountsRights() async throws {
        let cluster = try InProcessCluster()
        try await cluster.apply(Self.rbac)
        let asDeployer = client(cluster, impersonate: "system:serviceaccount:team-a:deployer")
        let syncer = Syncer(client: asDeployer, inventoryClient: cluster.client, options: SyncOptions(source: "team-a", inventoryNamespace: "default"))
        let ok = await syncer.apply(
            await syncer.plan(Self.manifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: model, namespace: team-a}\n")), commit: nil)
        #expect(ok.status.sync == .synced, "\(ok.status.errors)")

        let attack = await syncer.apply(
            await syncer.plan(
                Self.manifests(
                    """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: model, namespace: team-a}
                    ---
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: stolen, namespace: team-b}
                    ---
                    apiVersion: rbac.authorization.k8s.io/v1
                    kind: ClusterRoleBinding
                    metadata: {name: team-a-is-admin}
                    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
                    subjects: [{kind: ServiceAccount, name: deployer, namespace: team-a}]
                    """)), commit: nil)
        #expect(attack.status.sync == .failed)
        #expect(attack.status.errors.contains { $0.contains("team-b") && $0.contains("forbidden") }, "\(attack.status.errors)")
        #expect(attack.status.errors.contains { $0.contains("ClusterRoleBinding") && $0.contains("forbidden") })
        #expect(try await cluster.client.getIfExists(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "team-b", name: "stolen")) == nil)
        #expect(try await syncer.loadInventory()?.objects.map(\.name) == ["model"], "the inventory is written with the controller's rights")
    }

    /// The emulator as a real server: impersonating a service account needs `impersonate` on
    /// `serviceaccounts` in its namespace, with that name.
    @Test func impersonationItselfIsAuthorized() async throws {
        let cluster = try InProcessCluster()
        try await cluster.apply(Self.rbac)
        try await cluster.apply(
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: impersonate-deployer}
            rules: [{apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate], resourceNames: [deployer]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: sluice-impersonates}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonate-deployer}
            subjects: [{kind: ServiceAccount, name: sluice, namespace: default}]
            """)
        let token = cluster.emulator.serviceAccountToken(namespace: "default", name: "sluice")
        let ref = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "team-a", name: "x")
        let allowed = client(cluster, token: token, impersonate: "system:serviceaccount:team-a:deployer")
        _ = try await allowed.apply(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x", "namespace": "team-a"]], fieldManager: "t")
        #expect(try await cluster.client.getIfExists(ref) != nil)
        let other = client(cluster, token: token, impersonate: "system:serviceaccount:kube-system:admin")
        await #expect(throws: KubeError.self) { try await other.getIfExists(ref) }
        let admin = client(cluster, token: token, impersonate: "kubernetes-admin")
        let error = await #expect(throws: KubeError.self) { try await admin.getIfExists(ref) }
        #expect(error?.reason == .forbidden)
    }
}
