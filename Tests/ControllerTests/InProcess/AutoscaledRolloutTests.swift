import Controller
import Foundation
import Kube
import Manifests
import Rollout
import TestSupport
import Testing
import YAML

/// An autoscaled ModelDeployment through the rollout controller, in process: each version's
/// HPA, the emulator's HPA controller sizing the Deployments, and what Sluice writes and not.
@Suite struct AutoscaledRolloutTests {
    static func manifest(version: String, autoscaling: String = "{minReplicas: 2, maxReplicas: 40, metrics: [\(cpu50)]}", replicas: String = "") -> String {
        """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelDeployment
        metadata: {name: churn, namespace: ml}
        spec:
          model: {version: "\(version)", image: "registry.example/churn:\(version)"}
        \(replicas.isEmpty ? "  autoscaling: \(autoscaling)" : "  replicas: \(replicas)")
          canary:
            steps: [5, 25, 50, 100]
            stepDuration: 30s
            analysis: {interval: 30s, failureLimit: 0, errorLimit: 2, minSuccessfulChecks: 1}
            slos:
            - name: error-rate
              query: 'errors{version="{{version}}"}'
              max: 0.05
        """
    }
    static let cpu50 = "{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}"

    static func deployment(_ f: RolloutFixture, _ version: String) async throws -> Value {
        try await f.cluster.client.get(ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "ml", name: "churn-\(version)"))
    }

    static func hpa(_ f: RolloutFixture, _ version: String) async throws -> Value? {
        try await f.cluster.client.getIfExists(
            ObjectReference(apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespace: "ml", name: "churn-\(version)"))
    }

    /// Who owns a Deployment's `spec.replicas`, from its managedFields.
    static func replicaOwners(_ d: Value) -> [String] {
        (d[path: ["metadata", "managedFields"]]?.arrayValue ?? []).filter { $0[path: ["fieldsV1", "f:spec", "f:replicas"]] != nil }.compactMap {
            $0["manager"]?.stringValue
        }.sorted()
    }

    /// v1 stable under its HPA at `pods` pods' worth of CPU (so 2 × `pods` replicas at 50%).
    static func stable(load pods: Double) async throws -> RolloutFixture {
        let f = try await RolloutFixture()
        try await f.cluster.apply(Self.manifest(version: "v1"), fieldManager: "sluice")
        try await f.reconcile()
        f.cluster.emulator.setLoad(namespace: "ml", deployment: "churn-v1", pods: pods)
        f.cluster.settle()
        try await f.tick(2)
        try await f.tick(2)
        return f
    }

    @Test func theStableVersionIsCreatedOnceAndThenSizedByItsAutoscaler() async throws {
        let f = try await RolloutFixture()
        try await f.cluster.apply(Self.manifest(version: "v1"), fieldManager: "sluice")
        try await f.reconcile()
        let created = try await Self.deployment(f, "v1")
        #expect(created[path: ["spec", "replicas"]] == 2, "created at the HPA's minimum")
        let hpa = try #require(try await Self.hpa(f, "v1"))
        #expect(hpa[path: ["spec", "minReplicas"]] == 2 && hpa[path: ["spec", "maxReplicas"]] == 40)
        #expect(hpa[path: ["spec", "scaleTargetRef", "name"]] == "churn-v1")

        f.cluster.emulator.setLoad(namespace: "ml", deployment: "churn-v1", pods: 5)
        f.cluster.settle()
        try await f.tick(2)
        let scaled = try await Self.deployment(f, "v1")
        #expect(scaled[path: ["spec", "replicas"]] == 10, "5 pods' worth of CPU at a 50% target")
        #expect(Self.replicaOwners(scaled) == ["kube-controller-manager"], "Sluice owns no replica count the HPA sets")
        let status = try await f.status
        #expect(
            status.scaling?.stable
                == VersionScale(version: "v1", replicas: 10, ready: 10, minReplicas: 2, maxReplicas: 40, currentReplicas: 2, desiredReplicas: 10))
    }

    @Test func theCanarysAutoscalerFollowsTheStablesSizeAndSluiceNeverWritesItsReplicas() async throws {
        let f = try await Self.stable(load: 5)
        _ = f.takeWrites()
        try await f.cluster.apply(Self.manifest(version: "v2"), fieldManager: "sluice")
        try await f.reconcile()
        #expect(try await Self.hpa(f, "v2")?[path: ["spec", "minReplicas"]] == 1, "5% of 10, rounded up")
        for _ in 0..<4 where try await f.status.stepWeight < 25 { try await f.tick() }
        #expect(try await f.status.stepWeight == 25)
        try await f.tick(1)
        #expect(try await Self.deployment(f, "v2")[path: ["spec", "replicas"]] == 3, "25% of 10")

        // Load doubles: the stable's HPA goes 10 → 20 and the canary's follows to 5 at the next look.
        f.cluster.emulator.setLoad(namespace: "ml", deployment: "churn-v1", pods: 10)
        f.cluster.settle()
        try await f.tick(1)
        #expect(try await Self.deployment(f, "v1")[path: ["spec", "replicas"]] == 20)
        let canaryHPA = try await Self.hpa(f, "v2")
        #expect(canaryHPA?[path: ["spec", "minReplicas"]] == 5 && canaryHPA?[path: ["spec", "maxReplicas"]] == 5)
        #expect(try await Self.deployment(f, "v2")[path: ["spec", "replicas"]] == 5)
        let writes = f.takeWrites()
        let countsApplied = writes.filter { $0.hasPrefix("apply Deployment") && !$0.hasSuffix("replicas=-") }
        #expect(countsApplied == ["apply Deployment churn-v2 replicas=1"], "only the canary's creation sets a count: \(writes)")
        #expect(Set(writes.filter { $0.hasPrefix("co-own") }) == ["co-own Deployment churn-v2 replicas=1"], "the created count, co-owned until the HPA writes")
        for version in ["v1", "v2"] {
            #expect(!Self.replicaOwners(try await Self.deployment(f, version)).contains(RolloutController.fieldManager))
        }
        try await f.tick(1)
        let status = try await f.status
        #expect(status.scaling?.stable?.replicas == 20 && status.scaling?.canary?.replicas == 5, "as seen at the last look")
        #expect(status.canaryWeight == 20, "the replicas router: 5 of 25 ready pods")
    }

    @Test func anAutoscalerThatCannotBeReadHoldsTheStep() async throws {
        let f = try await Self.stable(load: 5)
        try await f.cluster.apply(Self.manifest(version: "v2"), fieldManager: "sluice")
        try await f.reconcile()
        let before = try await f.status
        _ = f.takeWrites()
        f.cluster.api.fail(.list, kind: "HorizontalPodAutoscaler", times: 3, with: InterceptedKubeAPI.serverError(503))
        try await f.tick()
        try await f.tick()
        let held = try await f.status
        #expect(held.stepWeight == before.stepWeight && held.step == before.step, "no step advanced on a guess")
        #expect(held.message.contains("the HorizontalPodAutoscalers cannot be read"), "\(held.message)")
        let writes = f.takeWrites()
        #expect(!writes.contains { $0.hasPrefix("apply Deployment") || $0.contains("HorizontalPodAutoscaler") }, "nothing scaled: \(writes)")
        #expect(writes.contains("event ScaleUnreadable"))
        try await f.tick()
        try await f.tick()
        #expect(try await f.status.stepWeight > before.stepWeight, "it carries on once the HPAs answer")
    }

    @Test func switchingAFixedSizeToAutoscalingKeepsTheRunningPods() async throws {
        let f = try await RolloutFixture()
        try await f.cluster.apply(Self.manifest(version: "v1", replicas: "6"), fieldManager: "sluice")
        try await f.reconcile()
        try await f.tick(2)
        #expect(try await f.replicas("v1") == 6)
        try await f.cluster.apply(Self.manifest(version: "v1"), fieldManager: "sluice")
        try await f.tick(2)
        #expect(try await f.replicas("v1") == 6, "not reset to 1 when Sluice stopped applying the count")
        #expect(try await Self.hpa(f, "v1") != nil)
        #expect(!Self.replicaOwners(try await Self.deployment(f, "v1")).contains(RolloutController.fieldManager))
    }

    @Test func aRolledBackCanaryLosesItsAutoscalerAndTheStableKeepsItsSize() async throws {
        let f = try await Self.stable(load: 7)
        try await f.cluster.apply(Self.manifest(version: "v2"), fieldManager: "sluice")
        try await f.reconcile()
        f.metrics.answer("v2", .value(0.5))
        for _ in 0..<4 where try await f.status.phase != .rolledBack { try await f.tick() }
        #expect(try await f.status.phase == .rolledBack)
        #expect(try await Self.hpa(f, "v2") == nil)
        #expect(try await f.replicas("v2") == 0)
        #expect(try await f.replicas("v1") == 14, "the stable's autoscaled size, untouched")
        #expect(try await Self.hpa(f, "v1")?[path: ["spec", "minReplicas"]] == 2)
    }
}
