import Foundation
import Rollout
import Testing
import YAML

func autoscaledSpec(_ version: String, router: String = "replicas", extra: String = "") throws -> ModelDeploymentSpec {
    let traffic = router == "gateway-api" ? "traffic: {router: gateway-api, httpRoute: {parentRefs: [{name: inference}]}}" : "traffic: {router: replicas}"
    return try parse(
        """
          model: {version: "\(version)", image: "reg/churn:\(version)"}
          autoscaling:
            minReplicas: 2
            maxReplicas: 40
            metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
            behavior: {scaleDown: {stabilizationWindowSeconds: 120}}
          \(traffic)
          canary:
            stepDuration: 60s
            analysis: {interval: 30s, failureLimit: 1, errorLimit: 2, minSuccessfulChecks: 1}
            slos: [{name: error-rate, query: q, max: 0.01}]
        \(extra)
        """)
}

/// `spec.autoscaling`: read, sized, rendered and handed over, all pure.
@Suite struct AutoscalingTests {
    @Test func theSpecIsReadWithItsBoundsAndMetrics() throws {
        let s = try autoscaledSpec("v1")
        let a = try #require(s.autoscaling)
        #expect(a.minReplicas == 2 && a.maxReplicas == 40 && !a.external)
        #expect(a.metrics?.arrayValue?.count == 1)
        #expect(a.scaleDownWindow == 120)
    }

    @Test(arguments: [
        ("replicas: 3\n  autoscaling: {maxReplicas: 5}", "spec.replicas: cannot be set with spec.autoscaling"),
        ("autoscaling: {minReplicas: 2}", "spec.autoscaling.maxReplicas: required"),
        ("autoscaling: {minReplicas: 6, maxReplicas: 5}", "spec.autoscaling.maxReplicas: must be at least minReplicas (6)"),
        ("autoscaling: {maxReplicas: 5, metrics: [{type: Cpu}]}", "spec.autoscaling.metrics[0].type: 'Cpu' is not a metric type"),
        ("autoscaling: {maxReplicas: 5, metrics: [{type: Pods}]}", "spec.autoscaling.metrics[0].pods: required with type Pods"),
        ("autoscaling: {maxReplicas: 5, metrics: [{type: Resource, resource: {name: cpu}}]}", "spec.autoscaling.metrics[0].resource.target: required"),
        ("autoscaling: {maxReplicas: 5, maxReplica: 6}", "spec.autoscaling.maxReplica: unknown field; did you mean maxReplicas?"),
    ])
    func aWrongAutoscalingSaysWhichField(_ yaml: String, _ message: String) throws {
        let found = try errors("  model: {version: v1, image: i}\n  \(yaml)\n")
        #expect(found.contains { $0.contains(message) }, "\(found)")
    }

    @Test func anExternalScalerNeedsNoBounds() throws {
        let s = try parse("  model: {version: v1, image: i}\n  autoscaling: {external: true}\n")
        #expect(s.autoscaling?.external == true)
    }

    @Test(arguments: [
        // router, stable replicas, weight → canary, effective weight
        ("replicas", 10, 25, 3, 23), ("replicas", 20, 25, 5, 20), ("replicas", 10, 5, 1, 9), ("replicas", 10, 100, 10, 50),
        ("gateway-api", 10, 25, 3, 25), ("gateway-api", 20, 25, 5, 25), ("gateway-api", 1, 5, 1, 5), ("gateway-api", 7, 0, 0, 0),
    ])
    func theCanaryFollowsTheStablesSize(_ router: String, _ stable: Int, _ weight: Int, _ canary: Int, _ effective: Int) throws {
        let spec = try autoscaledSpec("v1", router: router)
        let p = Placement.compute(spec: spec, canaryWeight: weight, hasCanary: true, scale: ScalePlan(stableReplicas: stable))
        #expect(p.canaryReplicas == canary && p.effectiveWeight == effective && p.stableReplicas == stable)
    }

    static func rendered(_ spec: ModelDeploymentSpec, weight: Int, stable: Int, handover: Int? = nil) throws -> [Value] {
        let v1 = VersionSpec(try autoscaledSpec("v1"))
        let topology = Topology(
            stable: v1, canary: weight > 0 || handover == nil ? VersionSpec(spec) : nil, canaryWeight: weight,
            scale: ScalePlan(stableReplicas: stable, handoverMinimum: handover))
        return WorkloadRenderer.objects(spec: spec, topology: topology, owner: nil)
    }

    static func object(_ objects: [Value], _ kind: String, _ name: String) -> Value? {
        objects.first { $0["kind"]?.stringValue == kind && $0[path: ["metadata", "name"]]?.stringValue == name }
    }

    @Test func eachVersionHasItsOwnAutoscalerAndNoReplicas() throws {
        let objects = try Self.rendered(try autoscaledSpec("v2"), weight: 25, stable: 10)
        let stable = try #require(Self.object(objects, "HorizontalPodAutoscaler", "churn-v1"))
        let canary = try #require(Self.object(objects, "HorizontalPodAutoscaler", "churn-v2"))
        #expect(stable[path: ["spec", "minReplicas"]] == 2 && stable[path: ["spec", "maxReplicas"]] == 40)
        #expect(stable[path: ["spec", "scaleTargetRef", "name"]] == "churn-v1")
        #expect(stable[path: ["spec", "behavior", "scaleDown", "stabilizationWindowSeconds"]] == 120)
        #expect(canary[path: ["spec", "minReplicas"]] == 3 && canary[path: ["spec", "maxReplicas"]] == 3, "pinned to 10 × 25%")
        #expect(canary[path: ["spec", "behavior"]] == nil)
        for name in ["churn-v1", "churn-v2"] {
            #expect(Self.object(objects, "Deployment", name)?[path: ["spec", "replicas"]] == nil, "\(name): the HPA's to set")
        }
    }

    @Test func aCanaryAtNoTrafficHasNoAutoscalerAndZeroPods() throws {
        let objects = try Self.rendered(try autoscaledSpec("v2"), weight: 0, stable: 10)
        #expect(Self.object(objects, "HorizontalPodAutoscaler", "churn-v2") == nil)
        #expect(Self.object(objects, "Deployment", "churn-v2")?[path: ["spec", "replicas"]] == 0)
        #expect(Self.object(objects, "HorizontalPodAutoscaler", "churn-v1")?[path: ["spec", "minReplicas"]] == 2, "the stable's HPA as it is")
    }

    @Test func duringAHandoverTheMinimumIsTheOldSize() throws {
        let v2 = try autoscaledSpec("v2")
        let topology = Topology(stable: VersionSpec(v2), canary: nil, canaryWeight: 0, scale: ScalePlan(stableReplicas: 10, handoverMinimum: 12))
        let hpa = try #require(Self.object(WorkloadRenderer.objects(spec: v2, topology: topology, owner: nil), "HorizontalPodAutoscaler", "churn-v2"))
        #expect(hpa[path: ["spec", "minReplicas"]] == 12 && hpa[path: ["spec", "maxReplicas"]] == 40)
    }

    @Test func anExternalScalerGetsNoAutoscalerAndSluiceSizesOnlyTheCanary() throws {
        let spec = try parse("  model: {version: v2, image: i}\n  autoscaling: {external: true}\n")
        let v1 = VersionSpec(try parse("  model: {version: v1, image: i}\n  autoscaling: {external: true}\n"))
        let objects = WorkloadRenderer.objects(
            spec: spec, topology: Topology(stable: v1, canary: VersionSpec(spec), canaryWeight: 50, scale: ScalePlan(stableReplicas: 6)), owner: nil)
        #expect(!objects.contains { $0["kind"]?.stringValue == "HorizontalPodAutoscaler" })
        #expect(Self.object(objects, "Deployment", "churn-v1")?[path: ["spec", "replicas"]] == nil)
        #expect(Self.object(objects, "Deployment", "churn-v2")?[path: ["spec", "replicas"]] == 3)
    }
}
