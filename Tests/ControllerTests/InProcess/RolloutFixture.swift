import Controller
import Foundation
import Kube
import Logging
import Manifests
import Rollout
import TestSupport
import YAML

/// One ModelDeployment (`ml/churn`) and its rollout controller, in process: the emulator's API
/// logic without a socket, scripted metrics, and a clock that moves only when told. Each
/// `reconcile()` is one pass of the controller's loop; what it wrote is read from the recorder.
final class RolloutFixture: Sendable {
    let cluster: InProcessCluster
    let clock = ManualClock()
    let metrics = ScriptedMetrics()
    let controller: RolloutController
    static let key = "ml/churn"
    static let ref = ObjectReference(apiVersion: RolloutController.apiVersion, kind: RolloutController.kind, namespace: "ml", name: "churn")

    init() async throws {
        cluster = try InProcessCluster()
        try await cluster.installModelDeploymentCRD()
        try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: ml}\n")
        var logger = Logger(label: "test.rollout")
        logger.logLevel = .critical
        controller = RolloutController(client: cluster.api, prometheus: metrics, logger: logger, clock: clock.function)
    }

    /// A controller started afresh over the same cluster (a restart: nothing kept in memory).
    func restartedController() -> RolloutController {
        var logger = Logger(label: "test.rollout")
        logger.logLevel = .critical
        return RolloutController(client: cluster.api, prometheus: metrics, logger: logger, clock: clock.function)
    }

    static func manifest(version: String, gates: [Int] = [], extra: String = "") -> String {
        """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelDeployment
        metadata: {name: churn, namespace: ml}
        spec:
          model: {version: "\(version)", image: "registry.example/churn:\(version)"}
          replicas: 20
          canary:
            steps: [5, 25, 50, 100]
            gates: \(gates)
            stepDuration: 30s
            progressDeadline: 10m
            analysis: {interval: 30s, failureLimit: 0, errorLimit: 2, minSuccessfulChecks: 1}
            slos:
            - name: error-rate
              query: 'errors{version="{{version}}"}'
              max: 0.05
        \(extra)
        """
    }

    /// What git names, applied as `sluice sync` applies it.
    func commit(version: String, gates: [Int] = [], extra: String = "") async throws {
        try await cluster.apply(Self.manifest(version: version, gates: gates, extra: extra), fieldManager: "sluice")
    }

    /// One reconcile; the cluster's simulated controllers then catch up with what it wrote.
    @discardableResult
    func reconcile(_ controller: RolloutController? = nil) async throws -> Double? {
        // The cluster moves on whether or not the reconcile failed.
        defer { cluster.settle() }
        return try await (controller ?? self.controller).reconcile(Self.key).requeueAfter
    }

    /// Moves the clock by one analysis interval and reconciles.
    @discardableResult
    func tick(_ seconds: Double = 30) async throws -> Double? {
        clock.advance(seconds)
        return try await reconcile()
    }

    /// Sets a `sluice promote/abort/retry` annotation as the CLI does.
    func annotate(_ key: String, _ value: String) async throws {
        _ = try await cluster.client.mergePatch(Self.ref, ["metadata": ["annotations": [key: .string(value)]]], fieldManager: "sluice-cli")
    }

    var status: RolloutStatus {
        get async throws { try RolloutStatus.read(try await cluster.client.get(Self.ref)["status"], of: Self.key) }
    }

    func replicas(_ version: String) async throws -> Int? {
        let d = try await cluster.client.getIfExists(
            ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "ml", name: WorkloadRenderer.deploymentName("churn", version)))
        return d.map { Int($0[path: ["spec", "replicas"]]?.intValue ?? -1) }
    }

    /// The writes since the last call, one line each: what a reviewer of the controller would
    /// want to see it do, in order.
    func takeWrites() -> [String] {
        let writes = cluster.api.writes.map(Self.line)
        cluster.api.clearCalls()
        return writes
    }

    static func line(_ call: KubeCall) -> String {
        let body = call.body ?? .null
        switch (call.verb, call.kind, call.subresource) {
        case (.create, "Event", _):
            return "event \(body["reason"]?.stringValue ?? "?")"
        case (.apply, "Deployment", _) where body[path: ["spec", "selector"]] == nil:
            // The second field manager co-owning an autoscaled Deployment's count.
            return "co-own Deployment \(call.name ?? "") replicas=\(body[path: ["spec", "replicas"]]?.intValue.map(String.init) ?? "-")"
        case (.apply, "Deployment", _):
            return "apply Deployment \(call.name ?? "") replicas=\(body[path: ["spec", "replicas"]]?.intValue.map(String.init) ?? "-")"
        case (.apply, RolloutController.kind, "status"):
            let status = body["status"] ?? .null
            var line = "status \(status["phase"]?.stringValue ?? "-") step=\(status["stepWeight"]?.intValue ?? 0)"
            if let canary = status["canaryVersion"]?.stringValue { line += " canary=\(canary)" }
            if let stable = status["stableVersion"]?.stringValue { line += " stable=\(stable)" }
            return line
        default:
            return call.description
        }
    }
}
