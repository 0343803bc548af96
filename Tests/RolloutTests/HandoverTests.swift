import Foundation
import Rollout
import Testing
import YAML

/// The promotion of an autoscaled model: the old stable version keeps serving until the new
/// one has as many ready pods, and the new one's minimum is held up for one window.
@Suite struct HandoverTests {
    struct Sizes {
        var stable: VersionScale?
        var canary: VersionScale?
        var previous: VersionScale?
    }

    /// v1 stable at `replicas` pods, v2's canary walked to its last step; returns the driver
    /// state and the decision that promoted it.
    static func promoted(router: String = "gateway-api", replicas: Int = 10) throws -> (RolloutStatus, Decision, Date, ModelDeploymentSpec) {
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        let v1 = try autoscaledSpec("v1", router: router)
        var status = RolloutMachine.next(RolloutStatus(), Observation(now: now, spec: v1, stable: .missing, canary: .missing)).status
        status = RolloutMachine.next(status, Observation(now: now, spec: v1, stable: .ready, canary: .missing)).status
        let v2 = try autoscaledSpec("v2", router: router)
        var last: Decision?
        for i in 0..<40 where i == 0 || status.phase != .succeeded {
            now = now.addingTimeInterval(30)
            let scale = ScaleObservation(
                stable: VersionScale(version: "v1", replicas: replicas, ready: replicas),
                canary: status.canary.map { VersionScale(version: $0.version, replicas: 3, ready: 3) })
            let due = RolloutMachine.analysisDue(status, spec: v2, now: now, canary: .ready)
            let d = RolloutMachine.next(
                status,
                Observation(now: now, spec: v2, stable: .ready, canary: .ready, analysis: due ? [check(.pass, value: 0)] : nil, scale: scale))
            status = d.status
            last = d
        }
        return (status, try #require(last), now, v2)
    }

    @Test func theOldVersionRunsUntilTheNewOneHasAsManyReadyPods() throws {
        var (status, promotion, now, v2) = try Self.promoted(replicas: 10)
        #expect(status.phase == .succeeded && status.stableVersion == "v2")
        #expect(promotion.retire.isEmpty, "v1 is not scaled down at the promotion")
        let handover = try #require(status.handover)
        #expect(handover.from == "v1" && handover.replicas == 10 && handover.until == now.addingTimeInterval(120) && !handover.retired)
        #expect(promotion.topology.scale?.handoverMinimum == 10, "v2's HPA starts from v1's size")
        #expect(promotion.requeueAfter == RolloutMachine.readinessPoll)

        func look(ready: Int, after seconds: Double) -> Decision {
            now = now.addingTimeInterval(seconds)
            let scale = ScaleObservation(
                stable: VersionScale(version: "v2", replicas: 10, ready: ready), previous: VersionScale(version: "v1", replicas: 10, ready: 10))
            let d = RolloutMachine.next(status, Observation(now: now, spec: v2, stable: .ready, canary: .missing, scale: scale))
            status = d.status
            return d
        }
        #expect(look(ready: 7, after: 2).retire.isEmpty, "7 of 10 ready: v1 keeps serving")
        let handedOver = look(ready: 10, after: 2)
        #expect(handedOver.retire == ["v1"])
        #expect(handedOver.events.map(\.reason) == ["HandedOver"])
        #expect(status.handover?.retired == true && handedOver.topology.scale?.handoverMinimum == 10, "the minimum stays up for the window")
        #expect(handedOver.requeueAfter.map { abs($0 - 116) < 0.001 } == true, "looks again when the window ends")
        let ended = look(ready: 10, after: 116)
        #expect(status.handover == nil && ended.topology.scale?.handoverMinimum == nil)
        #expect(ended.events.map(\.reason) == ["HandoverEnded"])
    }

    @Test func theMinimumIsNotLoweredWhileTheOldVersionStillRuns() throws {
        var (status, _, now, v2) = try Self.promoted(replicas: 8)
        now = now.addingTimeInterval(600)
        let scale = ScaleObservation(stable: VersionScale(version: "v2", replicas: 8, ready: 5))
        let d = RolloutMachine.next(status, Observation(now: now, spec: v2, stable: .ready, canary: .missing, scale: scale))
        status = d.status
        #expect(status.handover?.retired == false && d.topology.scale?.handoverMinimum == 8 && d.retire.isEmpty)
    }

    @Test func gitGoingBackToTheOldVersionEndsTheHandoverWithoutRetiringIt() throws {
        let (status, _, now, _) = try Self.promoted(replicas: 10)
        let back = try autoscaledSpec("v1", router: "gateway-api")
        let scale = ScaleObservation(stable: VersionScale(version: "v2", replicas: 10, ready: 10))
        let d = RolloutMachine.next(status, Observation(now: now.addingTimeInterval(2), spec: back, stable: .ready, canary: .missing, scale: scale))
        #expect(d.status.canaryVersion == "v1")
        #expect(!d.retire.contains("v1"), "v1 is the canary now: \(d.retire)")
        #expect(d.status.handover == nil)
    }

    @Test func withoutAutoscalingThePromotionRetiresAtOnce() throws {
        var d = try withStable()
        d.step()
        for _ in 0..<30 where d.status.phase == .progressing { d.run(rounds: 1, checks: pass) }
        #expect(d.retired == ["v1"] && d.status.handover == nil)
    }

    @Test func aRollbackLeavesTheStablesAutoscalerAsItIs() throws {
        var now = Date(timeIntervalSince1970: 1_800_000_000)
        let v1 = try autoscaledSpec("v1")
        var status = RolloutMachine.next(RolloutStatus(), Observation(now: now, spec: v1, stable: .missing, canary: .missing)).status
        status = RolloutMachine.next(status, Observation(now: now, spec: v1, stable: .ready, canary: .missing)).status
        let v2 = try autoscaledSpec("v2")
        let scale = ScaleObservation(stable: VersionScale(version: "v1", replicas: 14, ready: 14))
        status = RolloutMachine.next(status, Observation(now: now, spec: v2, stable: .ready, canary: .ready, scale: scale)).status
        now = now.addingTimeInterval(30)
        let fail = [check(.fail, value: 0.5)]
        var d = RolloutMachine.next(status, Observation(now: now, spec: v2, stable: .ready, canary: .ready, analysis: fail, scale: scale))
        now = now.addingTimeInterval(30)
        d = RolloutMachine.next(d.status, Observation(now: now, spec: v2, stable: .ready, canary: .ready, analysis: fail, scale: scale))
        #expect(d.status.phase == .rolledBack)
        let objects = WorkloadRenderer.objects(spec: v2, topology: d.topology, owner: nil)
        let stableHPA = objects.first { $0["kind"]?.stringValue == "HorizontalPodAutoscaler" && $0[path: ["metadata", "name"]] == "churn-v1" }
        #expect(stableHPA?[path: ["spec", "minReplicas"]] == 2 && stableHPA?[path: ["spec", "maxReplicas"]] == 40)
        #expect(d.status.scaling?.stable?.replicas == 14, "the status shows the size it kept")
    }
}
