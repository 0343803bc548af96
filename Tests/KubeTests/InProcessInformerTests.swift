import Foundation
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

/// The informer over the in-process API, with faults injected at the `KubeAPI` seam: a closed
/// watch resumes from its resourceVersion without a list, and a 410 Gone relists.
@Suite struct InProcessInformerTests {
    static func watches(_ api: InterceptedKubeAPI) -> Int { api.calls.filter { $0.verb == .watch }.count }

    /// A ConfigMap informer over the recorder, running and synced; cancel the task to stop it.
    static func synced(_ cluster: InProcessCluster) async -> (Informer, Task<Void, Never>) {
        let informer = Informer(client: cluster.api, apiVersion: "v1", kind: "ConfigMap", namespace: "default")
        let run = Task { await informer.run() }
        await informer.waitUntilSynced()
        return (informer, run)
    }

    @Test func aClosedWatchResumesWithoutRelisting() async throws {
        let cluster = try InProcessCluster()
        let (informer, run) = await Self.synced(cluster)
        defer { run.cancel() }
        _ = try await cluster.client.create(configMap("a"))
        try await eventually("the first watch delivered a") { await informer.count == 1 }

        cluster.api.closeWatches()
        try await eventually("the informer opened a second watch") { Self.watches(cluster.api) == 2 }
        _ = try await cluster.client.create(configMap("b"))
        _ = try await cluster.client.delete(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "a"))
        try await eventually("the second watch delivered b and a's deletion") {
            let b = await informer.get(namespace: "default", name: "b")
            return await informer.count == 1 && b != nil
        }
        #expect(await informer.lists == 1, "a closed watch resumes where it was")
        #expect(cluster.api.calls.filter { $0.verb == .list }.count == 1)
    }

    @Test func aGoneResourceVersionRelistsAndLosesNothing() async throws {
        let cluster = try InProcessCluster()
        let (informer, run) = await Self.synced(cluster)
        defer { run.cancel() }
        for i in 0..<5 { _ = try await cluster.client.create(configMap("x\(i)")) }
        try await eventually("the first watch delivered every object") { await informer.count == 5 }
        // The resumed watch is refused as too old: the informer must list again.
        cluster.api.fail(.watch, with: InterceptedKubeAPI.gone)
        cluster.api.closeWatches()
        _ = try await cluster.client.create(configMap("while-away"))
        try await eventually("the informer relisted and saw what changed while it was away") {
            let seen = await informer.get(namespace: "default", name: "while-away")
            return await informer.lists == 2 && seen != nil
        }
        #expect(await informer.count == 6)
        #expect(Self.watches(cluster.api) == 3, "list, watch, refused watch, list, watch")
    }
}
