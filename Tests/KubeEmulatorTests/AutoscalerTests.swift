import Foundation
import Kube
import Manifests
import TestSupport
import Testing
import YAML

@testable import KubeEmulator

/// The emulator's HorizontalPodAutoscaler controller: the `autoscaling/v2` algorithm, and
/// how it writes, as kube-controller-manager does.
@Suite(.offThePool) struct AutoscalerTests {
    static let cpu50: [Value] = [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 50]]]]
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func input(current: Int, load: Double?, min: Int = 1, max: Int = 40, history: [(Date, Int)] = [], down: Double = 300) -> AutoscalerAlgorithm.Input {
        AutoscalerAlgorithm.Input(
            current: current, ready: current, minReplicas: min, maxReplicas: max, metrics: cpu50, load: load.map { ["cpu": $0] } ?? [:],
            history: history.map { (time: $0.0, replicas: $0.1) }, scaleUpWindow: 0, scaleDownWindow: down, now: now)
    }

    @Test(arguments: [
        // current, load (pods' requests in use), bounds → desired
        (10, 5.0, 1, 40, 10),  // 50% on target
        (10, 5.4, 1, 40, 10),  // 54%: within the 10% tolerance
        (10, 10.0, 1, 40, 20),  // load doubles
        (10, 30.0, 1, 40, 40),  // capped at max
        (2, 0.1, 3, 40, 3),  // below min: min, without metrics
        (50, 10.0, 1, 40, 40),  // above max: max
        (3, 0.2, 3, 3, 3),  // pinned
    ])
    func theDesiredSizeFollowsTheLoadWithinBounds(_ current: Int, _ load: Double, _ min: Int, _ max: Int, _ desired: Int) {
        #expect(AutoscalerAlgorithm.decide(Self.input(current: current, load: load, min: min, max: max)).desired == desired)
    }

    @Test func scalingDownWaitsForTheStabilisationWindow() {
        let recent = [(Self.now.addingTimeInterval(-100), 20)]
        #expect(AutoscalerAlgorithm.decide(Self.input(current: 20, load: 5, history: recent)).desired == 20, "20 was recommended 100 s ago")
        let old = [(Self.now.addingTimeInterval(-400), 20)]
        #expect(AutoscalerAlgorithm.decide(Self.input(current: 20, load: 5, history: old)).desired == 10)
    }

    @Test func noMetricsKeepsTheSizeAndSaysWhy() {
        let out = AutoscalerAlgorithm.decide(Self.input(current: 4, load: nil))
        #expect(out.desired == 4 && out.recommendation == nil)
        #expect(out.conditions.contains { $0.type == "ScalingActive" && $0.status == "False" && $0.reason == "FailedGetResourceMetric" })
    }

    @Test func zeroReplicasDisablesScaling() {
        #expect(AutoscalerAlgorithm.decide(Self.input(current: 0, load: 10, min: 2)).desired == 0)
    }

    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
          replicas: 4
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx, resources: {requests: {cpu: 100m}}}]}
        """
    static let hpa = """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: default}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 2
          maxReplicas: 20
          metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
        """

    @Test func theControllerScalesThroughTheScaleSubresourceAndKubectlShowsIt() async throws {
        let fx = try await EmulatorFixture { $0.autoscalerSyncPeriod = 0.1 }
        defer { Task { await fx.stop() } }
        let client = try fx.client()
        _ = try await client.apply(try YAML.parse(Self.deployment), fieldManager: "kubectl")
        _ = try await client.apply(try YAML.parse(Self.hpa), fieldManager: "kubectl")
        let ref = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web")
        fx.emulator.setLoad(namespace: "default", deployment: "web", pods: 6)
        try await eventually("12 pods for 6 pods' worth of CPU at a 50% target") {
            try await client.get(ref)[path: ["spec", "replicas"]] == 12
        }
        let d = try await client.get(ref)
        let owners = (d[path: ["metadata", "managedFields"]]?.arrayValue ?? []).filter { $0[path: ["fieldsV1", "f:spec", "f:replicas"]] != nil }
        #expect(owners.map { $0["manager"]?.stringValue ?? "" } == ["kube-controller-manager"], "the scale write took replicas from the applier: \(owners)")
        #expect(owners.first?["subresource"] == "scale" && owners.first?["operation"] == "Update")

        let hpaRef = ObjectReference(apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespace: "default", name: "web")
        try await eventually("the HPA's status reports 12") {
            let s = try await client.get(hpaRef)["status"]
            return s?["currentReplicas"] == 12 && s?["desiredReplicas"] == 12
        }
        let kubectl = KubectlCompatibilityTests.Kubectl(kubeconfig: try fx.kubeconfigFile(), home: fx.dir.path)
        let table = try await kubectl("get", "hpa", "web")
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.first == ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"], "\(table.stdout)")
        #expect(Array(lines.last?.prefix(7) ?? []) == ["web", "Deployment/web", "cpu:", "50%/50%", "2", "20", "12"], "\(table.stdout)")
    }

    @Test func anApplierThatDropsReplicasKeepsTheAutoscalersValue() async throws {
        let fx = try await EmulatorFixture { $0.autoscalerSyncPeriod = 0.1 }
        defer { Task { await fx.stop() } }
        let client = try fx.client()
        _ = try await client.apply(try YAML.parse(Self.deployment), fieldManager: "ci")
        _ = try await client.apply(try YAML.parse(Self.hpa), fieldManager: "ci")
        fx.emulator.setLoad(namespace: "default", deployment: "web", pods: 3)
        let ref = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web")
        try await eventually("scaled to 6") { try await client.get(ref)[path: ["spec", "replicas"]] == 6 }
        var without = try YAML.parse(Self.deployment)
        without["spec"]?["replicas"] = nil
        _ = try await client.apply(without, fieldManager: "ci")
        #expect(try await client.get(ref)[path: ["spec", "replicas"]] == 6, "replicas belong to the HPA now; the applier dropping them removes nothing")
    }
}
