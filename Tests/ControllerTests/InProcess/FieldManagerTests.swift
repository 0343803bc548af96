import ClusterSync
import Foundation
import Kube
import Manifests
import Sync
import TestSupport
import Testing
import YAML

/// Each source applies as its own field manager (`sluice/<source>`), and an object applied by
/// the shared manager `sluice` of earlier versions moves to it whole: a field git no longer
/// sets is then removed, not kept by a manager nobody applies as.
@Suite(.offThePool) struct FieldManagerTests {
    static func managers(_ object: Value?) -> [String] {
        (object?[path: ["metadata", "managedFields"]]?.arrayValue ?? []).compactMap { $0["manager"]?.stringValue }.sorted()
    }

    @Test func anObjectOfTheSharedManagerMovesToTheSourcesOwn() async throws {
        let cluster = try InProcessCluster()
        try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: apps}\n")
        let ref = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "settings")
        // As an earlier Sluice applied it: marked as the source's, fields owned by `sluice`.
        let old = Ownership.mark(
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings", "namespace": "apps"], "data": ["a": "1", "b": "2"]], source: "apps")
        _ = try await cluster.client.apply(old, fieldManager: "sluice")
        let syncer = SourceLaneTests.syncer(cluster, "apps")
        let unchanged = await syncer.plan(
            try SourceLaneTests.manifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: apps}\ndata: {a: \"1\", b: \"2\"}\n"))
        #expect(unchanged.items.first?.action == .update, "the same fields, but still the shared manager's")
        #expect(unchanged.items.first?.note?.contains("field manager sluice to sluice/apps") == true)
        let moved = await syncer.apply(unchanged, commit: nil)
        #expect(moved.status.sync == .synced, "\(moved.status.errors)")
        #expect(Self.managers(try await cluster.client.getIfExists(ref)) == ["sluice/apps"])

        let dropped = try await SourceLaneTests.sync(syncer, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: apps}\ndata: {a: \"1\"}\n")
        #expect(dropped.status.sync == .synced)
        #expect(try await cluster.client.getIfExists(ref)?["data"] == ["a": "1"], "b left git, so it leaves the object")
        let again = await syncer.plan(
            try SourceLaneTests.manifests("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: apps}\ndata: {a: \"1\"}\n"))
        #expect(again.items.first?.action == .unchanged)
    }

    @Test func twoSourcesFieldsNameTheirSource() async throws {
        let cluster = try InProcessCluster()
        try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: apps}\n")
        _ = try await SourceLaneTests.sync(
            SourceLaneTests.syncer(cluster, "platform"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: base, namespace: apps}\n")
        _ = try await SourceLaneTests.sync(
            SourceLaneTests.syncer(cluster, "models"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: churn, namespace: apps}\n")
        let base = try await cluster.client.getIfExists(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "base"))
        let churn = try await cluster.client.getIfExists(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "churn"))
        #expect(Self.managers(base) == ["sluice/platform"] && Self.managers(churn) == ["sluice/models"])
        let inventory = try await cluster.client.getIfExists(
            ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: Inventory.configMapName("models")))
        #expect(Self.managers(inventory) == ["sluice"], "the inventory is the controller's record")
    }

    /// The attack: a Deployment in the controller's namespace running as its service account
    /// would hold the controller's token.
    @Test func theControllersNamespaceIsWrittenOnlyWhenNamed() async throws {
        let cluster = try InProcessCluster()
        try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: sluice-system}\n")
        let deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: borrow, namespace: sluice-system}
            spec:
              selector: {matchLabels: {app: borrow}}
              template:
                metadata: {labels: {app: borrow}}
                spec:
                  serviceAccountName: sluice
                  containers: [{name: c, image: "registry.example/x@sha256:0000000000000000000000000000000000000000000000000000000000000000"}]
            """
        let refused = try await SourceLaneTests.sync(SourceLaneTests.syncer(cluster, "apps") { $0.protectedNamespaces = ["sluice-system"] }, deployment)
        #expect(refused.status.sync == .failed)
        #expect(
            refused.status.errors.contains {
                $0.contains("namespace sluice-system is the controller's own: source apps writes there only when its targetNamespaces names it")
            },
            "\(refused.status.errors)")
        #expect(
            try await cluster.client.getIfExists(ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "sluice-system", name: "borrow")) == nil)
        let named = try await SourceLaneTests.sync(
            SourceLaneTests.syncer(cluster, "platform") {
                $0.protectedNamespaces = ["sluice-system"]
                $0.targetNamespaces = ["sluice-system"]
            }, deployment)
        #expect(named.status.sync == .synced, "the operator's own source names it: \(named.status.errors)")
    }
}
