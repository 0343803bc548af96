import Controller
import ControllerRuntime
import Foundation
import Kube
import KubeEmulator
import Logging
import Manifests
import Synchronization
import TestSupport
import Testing
import YAML

/// The one loop every informer-fed controller runs in.
@Suite struct ControllerLoopTests {
    final class Recorder: Reconciler {
        let keys = Mutex<[String]>([])
        func reconcile(_ key: String) async throws -> ReconcileResult {
            keys.withLock { $0.append(key) }
            return .done
        }
        var seen: Set<String> { Set(keys.withLock { $0 }) }
    }

    static func configMap(_ name: String, owner: String? = nil) -> Value {
        let labels: Value = owner.map { ["owner": .string($0)] } ?? [:]
        return ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": "default", "labels": labels]]
    }

    static let owner: @Sendable (InformerEvent) -> InformerEvent? = { event in
        guard let owner = event.object[path: ["metadata", "labels", "owner"]]?.stringValue else { return nil }
        return event.map { _ in ["metadata": ["namespace": "default", "name": .string(owner)]] }
    }

    static var quiet: Logger {
        var l = Logger(label: "test")
        l.logLevel = .critical
        return l
    }

    /// Informers are shared between controllers, so one may have listed before a controller
    /// subscribes; what it already holds must still be reconciled, not wait for its next change.
    @Test func objectsCachedBeforeTheControllerStartsAreReconciled() async throws {
        let cluster = try InProcessCluster()
        _ = try await cluster.client.create(Self.configMap("early"))
        let informer = Informer(client: cluster.api, apiVersion: "v1", kind: "ConfigMap", namespace: "default")
        let warm = Task { await informer.run() }
        await informer.waitUntilSynced()
        warm.cancel()
        await warm.value

        let recorder = Recorder()
        let queue = WorkQueue<String>()
        let loop = ControllerLoop(name: "test", keyLabel: "configmap", workers: 2, metrics: nil, logger: Self.quiet)
        let run = Task { await loop.run(recorder, queue: queue, watches: [.primary(informer)]) }
        defer { run.cancel() }
        try await eventually("the cached object was queued") { recorder.seen.contains("default/early") }
        _ = try await cluster.client.create(Self.configMap("late"))
        try await eventually("a change after the start was queued") { recorder.seen.contains("default/late") }
    }

    @Test func anOwnedObjectQueuesItsOwnerAndAnUnownedOneNothing() async throws {
        let cluster = try InProcessCluster()
        let owned = Informer(client: cluster.api, apiVersion: "v1", kind: "ConfigMap", namespace: "default", labelSelector: "owner")
        let recorder = Recorder()
        let queue = WorkQueue<String>()
        let loop = ControllerLoop(name: "test", keyLabel: "configmap", workers: 1, metrics: nil, logger: Self.quiet)
        let run = Task { await loop.run(recorder, queue: queue, watches: [.owned(owned, owner: Self.owner)]) }
        defer { run.cancel() }
        await owned.waitUntilSynced()
        _ = try await cluster.client.create(Self.configMap("stray"))
        _ = try await cluster.client.create(Self.configMap("child", owner: "parent"))
        try await eventually("the owner was queued") { recorder.seen.contains("default/parent") }
        #expect(recorder.seen == ["default/parent"], "the owned object names its owner; one without a label queues nothing")
    }

    @Test func cancellingStopsTheWorkersAndTheInformers() async throws {
        let cluster = try InProcessCluster()
        let informer = Informer(client: cluster.api, apiVersion: "v1", kind: "ConfigMap", namespace: "default")
        let loop = ControllerLoop(name: "test", keyLabel: "configmap", workers: 1, metrics: nil, logger: Self.quiet)
        let run = Task { await loop.run(Recorder(), queue: WorkQueue<String>(), watches: [.primary(informer)]) }
        await informer.waitUntilSynced()
        run.cancel()
        await run.value
    }

    @Test func aKeyGoesBackToTheReferenceItCameFrom() {
        let ref = ObjectKey.reference(ObjectKey.of(Self.configMap("a")), apiVersion: "v1", kind: "ConfigMap")
        #expect(ref == ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "a"))
        #expect(ObjectKey.reference("no-slash", apiVersion: "v1", kind: "ConfigMap").name == "")
    }
}
