import ClusterSync
import Kube
import ManifestLoading
import Manifests
import Sync
import TestSupport
import Testing
import YAML

/// The syncer's plan against the emulator, without the binary around it.
@Suite(.offThePool) struct SyncerPlanTests {
    @Test func aControllerPlanIsTheSamePlanWithoutCopiesOfTheObjects() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        // Applied by source s before (its marks): an update, not someone else's object.
        _ = try await client.create([
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": [
                "name": "old", "namespace": "default", "labels": ["app.kubernetes.io/managed-by": "sluice"], "annotations": ["sluice.dev/source": "s"],
            ], "data": ["v": "1"],
        ])
        let loaded = ManifestLoader.load([
            SourceFile(path: "a.yaml", contents: Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: old, namespace: default}\ndata: {v: \"2\"}\n".utf8)),
            SourceFile(path: "b.yaml", contents: Array("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: new, namespace: default}\ndata: {v: \"1\"}\n".utf8)),
        ])
        #expect(loaded.errors.isEmpty)
        let forPeople = await Syncer(client: client, options: SyncOptions(source: "s")).plan(loaded.manifests, revision: "abc")
        let forController = await Syncer(client: client, options: SyncOptions(source: "s", detailedPlan: false)).plan(loaded.manifests, revision: "abc")
        #expect(forPeople.items.map(\.action) == [.update, .create] || forPeople.items.map(\.action) == [.create, .update])
        #expect(forController.items.map(\.action) == forPeople.items.map(\.action))
        #expect(forController.items.map(\.fingerprint) == forPeople.items.map(\.fingerprint))
        #expect(forPeople.items.allSatisfy { $0.fingerprint != nil && $0.merged != nil && $0.diff.contains("v:") })
        #expect(forPeople.items.contains { $0.live != nil })
        #expect(forController.items.allSatisfy { $0.diff.isEmpty && $0.live == nil && $0.merged == nil && $0.desired != nil })
        await fx.stop()
    }
}
