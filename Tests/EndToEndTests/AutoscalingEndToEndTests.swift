import Foundation
import Kube
import KubeEmulator
import Manifests
import Rollout
import Synchronization
import TestSupport
import Testing
import YAML

/// Autoscaled canaries end to end: `sluice run` against the emulator (with its HPA controller)
/// and a real Prometheus judging simulated traffic. Load is set per Deployment, as a metrics
/// server would report it (`KubeEmulator.setLoad`).
@Suite(.offThePool, .tags(.endToEnd), .serialized) struct AutoscalingEndToEndTests {
    static func harness() async throws -> RolloutHarness {
        try await RolloutHarness {
            // Sluice and the HPA controller both read the manifest's 3 s window as it is.
            $0.autoscalerSyncPeriod = 0.2
        }
    }

    static func manifest(version: String, image: String, steps: String = "[5, 25, 50, 100]", gates: String = "[]") -> String {
        let errors = image.contains("bad") ? "" : "  template:\n    annotations: {sim.sluice.dev/error-rate: \"0\"}\n"
        return """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelDeployment
            metadata: {name: churn, namespace: ml}
            spec:
              model: {version: "\(version)", image: "\(image)"}
              autoscaling:
                minReplicas: 2
                maxReplicas: 40
                metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
                behavior: {scaleDown: {stabilizationWindowSeconds: 3}}
            \(errors)  canary:
                steps: \(steps)
                gates: \(gates)
                stepDuration: 2s
                progressDeadline: 60s
                analysis: {interval: 2s, failureLimit: 0, errorLimit: 2, minSuccessfulChecks: 1}
                slos:
                - name: error-rate
                  query: '\(RolloutHarness.errorRateQuery)'
                  max: 0.05
            """
    }

    static func load(_ h: RolloutHarness, _ version: String, _ pods: Double) {
        h.sync.fx.emulator.setLoad(namespace: "ml", deployment: WorkloadRenderer.deploymentName("churn", version), pods: pods)
    }

    /// v1 committed and stable at 10 pods (5 pods' worth of CPU at a 50% target).
    static func stableAtTen(_ h: RolloutHarness) async throws {
        try h.sync.write("models/churn.yaml", manifest(version: "v1", image: "reg/churn:1.0"))
        try h.sync.commit("churn v1")
        try h.startController()
        try await h.waitFor("v1 stable") { await h.status().phase == .succeeded }
        load(h, "v1", 5)
        try await h.waitFor("v1 at 10 ready pods") { await h.deployment("v1")?[path: ["status", "readyReplicas"]] == 10 }
    }

    static func replicaOwners(_ d: Value?) -> [String] {
        (d?[path: ["metadata", "managedFields"]]?.arrayValue ?? []).filter { $0[path: ["fieldsV1", "f:spec", "f:replicas"]] != nil }.compactMap {
            $0["manager"]?.stringValue
        }.sorted()
    }

    @Test func theCanaryFollowsTheStableWhenLoadDoublesAtTwentyFivePercent() async throws {
        let h = try await Self.harness()
        try await Self.stableAtTen(h)
        try h.sync.write("models/churn.yaml", Self.manifest(version: "v2", image: "reg/churn:2.0", gates: "[25]"))
        try h.sync.commit("churn v2")
        try await h.waitFor("the canary waits at the 25% gate", timeout: 90) { await h.status().phase == .paused }
        try await h.waitFor("the canary at 3 pods (10 × 25%)") { await h.replicas("v2") == 3 }
        Self.load(h, "v1", 10)
        try await h.waitFor("the stable version at 20") { await h.replicas("v1") == 20 }
        try await h.waitFor("the canary following at 5 (20 × 25%)") { await h.replicas("v2") == 5 }
        for version in ["v1", "v2"] {
            let owners = Self.replicaOwners(await h.deployment(version))
            #expect(!owners.contains("sluice-rollout"), "\(version): Sluice wrote no count the HPA controls: \(owners)")
            #expect(owners.contains("kube-controller-manager"), "\(version): the HPA set it: \(owners)")
        }
        try await h.waitFor("the status shows both sizes") {
            let s = await h.status()
            return s.scaling?.stable?.ready == 20 && s.scaling?.canary?.ready == 5 && s.scaling?.stable?.currentReplicas == 20 && s.canaryWeight == 20
        }
        let shown = try await h.sync.sluice("status", ["churn", "-n", "ml"], repo: false)
        #expect(shown.stdout.contains("stable v1: 20/20 ready; HPA min 2, max 40, current 20, desired 20"), "\(shown.stdout)")
        #expect(shown.stdout.contains("canary v2: 5/5 ready; HPA pinned at 5"), "\(shown.stdout)")
        await h.stop()
    }

    /// Ready pods of every version of the model, sampled every 100 ms until stopped.
    final class ReadySampler: Sendable {
        let samples = Mutex<[Int]>([])
        let task: Mutex<Task<Void, Never>?> = Mutex(nil)

        func start(_ h: RolloutHarness) {
            let t = Task {
                while !Task.isCancelled {
                    let list = try? await h.sync.client.listAll(
                        apiVersion: "apps/v1", kind: "Deployment", namespace: "ml", options: ListOptions(labelSelector: "sluice.dev/model-deployment=churn"))
                    if let items = list?.items {
                        let ready = items.reduce(0) { $0 + Int($1[path: ["status", "readyReplicas"]]?.intValue ?? 0) }
                        samples.withLock { $0.append(ready) }
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            task.withLock { $0 = t }
        }

        func stop() -> [Int] {
            task.withLock { $0?.cancel() }
            return samples.withLock { $0 }
        }
    }

    @Test func aPromotionUnderSteadyLoadNeverDropsReadyPodsBelowTheStablesCount() async throws {
        let h = try await Self.harness()
        try await Self.stableAtTen(h)
        try h.sync.write("models/churn.yaml", Self.manifest(version: "v2", image: "reg/churn:2.0", gates: "[25]"))
        try h.sync.commit("churn v2")
        try await h.waitFor("the canary waits at 25% with 3 ready pods", timeout: 90) {
            let ready = await h.deployment("v2")?[path: ["status", "readyReplicas"]]
            return await h.status().phase == .paused && ready == 3
        }
        let sampler = ReadySampler()
        sampler.start(h)
        let promote = try await h.sync.sluice("promote", ["churn", "-n", "ml", "--full"], repo: false)
        #expect(promote.status == 0, "\(promote.stderr)")
        try await h.waitFor("v2 promoted") { await h.status().stableVersion == "v2" }
        Self.load(h, "v2", 5)  // the traffic follows the promotion
        try await h.waitFor("v1 scaled down once v2 had 10 ready pods") { await h.deployment("v1") == nil }
        try await h.waitFor("the hand-over ended after its window", timeout: 60) { await h.status().handover == nil }
        let samples = sampler.stop()
        #expect(samples.count > 10, "sampled through the promotion")
        #expect(samples.min() ?? 0 >= 10, "ready pods never below the 10 the stable version had: minimum \(samples.min() ?? -1)")
        let hpa = try await h.sync.client.get(
            ObjectReference(apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespace: "ml", name: "churn-v2"))
        #expect(hpa[path: ["spec", "minReplicas"]] == 2, "the minimum is back to minReplicas")
        #expect(await h.replicas("v2") == 10, "and the load holds it at 10")
        let events = await h.status().history.map(\.event)
        #expect(events.contains("Promoted"))
        print("promotion: ready pods before 13 (10 stable + 3 canary), minimum during \(samples.min() ?? -1), \(samples.count) samples")
        await h.stop()
    }

    @Test func aRollbackAtFiftyPercentLeavesTheStableAtItsAutoscaledSize() async throws {
        let h = try await Self.harness()
        try await Self.stableAtTen(h)
        Self.load(h, "v1", 7)
        try await h.waitFor("v1 at 14") { await h.replicas("v1") == 14 }
        try h.sync.write("models/churn.yaml", Self.manifest(version: "v2", image: "reg/churn:2.0-bad", steps: "[50, 100]"))
        try h.sync.commit("churn v2 (bad)")
        try await h.waitFor("v2 rolled back", timeout: 90) { await h.status().phase == .rolledBack }
        let s = await h.status()
        #expect(s.failedVersions.first?.slo == "error-rate")
        #expect(s.history.contains { $0.event == "CanaryStarted" })
        try await h.waitFor("the canary at zero without an HPA") {
            let hpa = try? await h.sync.client.getIfExists(
                ObjectReference(apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespace: "ml", name: "churn-v2"))
            return await h.replicas("v2") == 0 && hpa == nil
        }
        #expect(await h.replicas("v1") == 14, "the stable version kept its autoscaled size")
        let stableHPA = try await h.sync.client.get(
            ObjectReference(apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespace: "ml", name: "churn-v1"))
        #expect(stableHPA[path: ["spec", "minReplicas"]] == 2 && stableHPA[path: ["spec", "maxReplicas"]] == 40)
        await h.stop()
    }

    @Test func anAutoscalerTheControllerCannotReadHoldsTheStep() async throws {
        let h = try await Self.harness()
        try await Self.stableAtTen(h)
        var plan = FaultPlan()
        plan.errorRate = 1
        plan.statuses = [500]
        plan.verbs = ["list"]
        plan.resources = ["horizontalpodautoscalers"]
        plan.userAgents = ["(\(RolloutHarness.podName)_"]
        h.sync.fx.emulator.faults = plan
        try h.sync.write("models/churn.yaml", Self.manifest(version: "v2", image: "reg/churn:2.0"))
        try h.sync.commit("churn v2")
        try await h.waitFor("the rollout says it holds") { await h.status().message.contains("the HorizontalPodAutoscalers cannot be read") }
        try await h.waitForPasses(5, of: "rollout")
        let held = await h.status()
        #expect(held.canaryVersion == nil && held.stableVersion == "v1", "no canary started on a guess")
        #expect(await h.deployment("v2") == nil)
        h.sync.fx.emulator.faults = FaultPlan()
        try await h.waitFor("the canary starts once the HPAs answer", timeout: 60) { await h.status().canaryVersion == "v2" }
        await h.stop()
    }
}
