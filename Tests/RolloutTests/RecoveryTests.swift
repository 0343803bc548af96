import Foundation
import Rollout
import TestSupport
import Testing
import YAML

/// What the Deployments remember, and how a status that lost it gets it back.
@Suite(.offThePool) struct RecoveryTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// The Deployments the controller would apply for a topology.
    static func deployments(_ topology: Topology, spec: ModelDeploymentSpec) -> [Value] {
        WorkloadRenderer.objects(spec: spec, topology: topology, owner: nil).filter { $0["kind"] == "Deployment" }
    }

    static func failure(_ version: String) -> FailedVersion {
        try! RolloutStatus.read(
            ["failedVersions": [["version": .string(version), "reason": "SLO error-rate breached", "time": "2026-11-30T10:00:00Z"]]], of: "t"
        )
        .failedVersions[0]
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var topology: Topology
        var expectStable: String?
        var expectCanary: String?
        var expectWeight: Int
        var expectFailed: [String]
        var expectPhase: RolloutStatus.Phase
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let v1 = VersionSpec(try! spec("v1"))
        let v2 = VersionSpec(try! spec("v2"))
        let v3 = VersionSpec(try! spec("v3"))
        return [
            Case(
                name: "stable only", topology: Topology(stable: v1, canary: nil, canaryWeight: 0), expectStable: "v1", expectCanary: nil, expectWeight: 0,
                expectFailed: [], expectPhase: .pending),
            Case(
                name: "canary at 25%", topology: Topology(stable: v1, canary: v2, canaryWeight: 25), expectStable: "v1", expectCanary: "v2", expectWeight: 25,
                expectFailed: [], expectPhase: .progressing),
            Case(
                name: "failed canary kept at 0", topology: Topology(stable: v2, canary: v3, canaryWeight: 0, failed: [failure("v3")]), expectStable: "v2",
                expectCanary: "v3",
                expectWeight: 0, expectFailed: ["v3"], expectPhase: .rolledBack),
        ]
    }()

    @Test(arguments: cases)
    func aLostStatusIsRebuiltFromTheDeployments(_ c: Case) throws {
        let record = ClusterRecord(deployments: Self.deployments(c.topology, spec: try spec("v2")))
        let outcome = RolloutRecovery.recover(RolloutStatus(), from: record, now: Self.now)
        #expect(outcome.rebuilt)
        #expect(outcome.status.stableVersion == c.expectStable)
        #expect(outcome.status.canaryVersion == c.expectCanary)
        #expect(outcome.status.stepWeight == c.expectWeight)
        #expect(outcome.status.failedVersions.map(\.version) == c.expectFailed)
        #expect(outcome.status.phase == c.expectPhase)
        #expect(outcome.status.stable == c.topology.stable, "the stable version renders exactly as before")
        #expect(outcome.status.history.last?.event == "StatusRebuilt")
    }

    @Test func withNoDeploymentItIsAFirstDeployment() throws {
        let outcome = RolloutRecovery.recover(RolloutStatus(), from: ClusterRecord(deployments: []), now: Self.now)
        #expect(!outcome.rebuilt && outcome.restored.isEmpty && outcome.status == RolloutStatus())
        let d = RolloutMachine.next(outcome.status, Observation(now: Self.now, spec: try spec("v1"), stable: .missing, canary: .missing))
        #expect(d.status.stableVersion == "v1" && d.events.map(\.reason) == ["Deploying"])
    }

    /// The case from the issue: a key removed from the status (here the failures themselves)
    /// must not put the version Sluice rolled back on traffic.
    @Test func aFailureMarkedOnItsDeploymentSurvivesAStatusThatForgotIt() throws {
        let v2 = VersionSpec(try spec("v2"))
        let v3 = VersionSpec(try spec("v3"))
        let deployments = Self.deployments(Topology(stable: v2, canary: v3, canaryWeight: 0, failed: [Self.failure("v3")]), spec: try spec("v3"))
        var forgetful = RolloutStatus()
        forgetful.stable = v2
        forgetful.canary = v3
        forgetful.phase = .rolledBack
        let outcome = RolloutRecovery.recover(forgetful, from: ClusterRecord(deployments: deployments), now: Self.now)
        #expect(!outcome.rebuilt)
        #expect(outcome.status.isFailed("v3") && outcome.restored == ["failed version v3 (SLO error-rate breached)"])
        let d = RolloutMachine.next(outcome.status, Observation(now: Self.now, spec: try spec("v3"), stable: .ready, canary: .ready))
        #expect(d.status.phase == .rolledBack && d.topology.canaryWeight == 0)
        #expect(Placement.compute(spec: try spec("v3"), canaryWeight: d.topology.canaryWeight, hasCanary: true).canaryReplicas == 0)
        #expect(Self.deployments(d.topology, spec: try spec("v3")).contains { DeploymentRecord.failure(of: $0)?.version == "v3" }, "the mark is written again")
    }

    @Test func aFailedFirstVersionIsNotDeployedWhenNothingElseIsKnown() throws {
        var s = RolloutStatus()
        s.failedVersions = [Self.failure("v1")]
        let d = RolloutMachine.next(s, Observation(now: Self.now, spec: try spec("v1"), stable: .missing, canary: .missing))
        #expect(d.status.stable == nil && d.topology.stable == nil && d.status.phase == .rolledBack)
        #expect(WorkloadRenderer.objects(spec: try spec("v1"), topology: d.topology, owner: nil).allSatisfy { $0["kind"] != "Deployment" })
    }

    @Test func anUnreadableMarkStillMarksTheVersionFailed() throws {
        var d = Self.deployments(Topology(stable: VersionSpec(try spec("v1")), canary: VersionSpec(try spec("v2")), canaryWeight: 0), spec: try spec("v2"))
        d[1].set("{not json", at: ["metadata", "annotations", DeploymentRecord.failedAnnotation])
        let record = ClusterRecord(deployments: d)
        #expect(record.failed.map(\.version) == ["v2"])
        #expect(record.failed[0].reason.contains("marked failed on its Deployment"))
    }

    /// Deployments written by 0.1.0 carry no annotations: the version comes from the pod
    /// template and the canary's weight from its share of pods.
    @Test func deploymentsOfTheFirstReleaseAreReadFromTheirTemplates() throws {
        let record = ClusterRecord(deployments: try StoredStateFixtures.deployments("0.1.0"))
        #expect(record.stable?.version == "2025-11-24")
        #expect(record.stable?.image == "registry.example.com/ml/churn-server:2.6.0")
        #expect(record.stable?.uri == "s3://models/churn/2025-11-24")
        #expect(record.stable?.port == 8080)
        #expect(record.stable?.templateHash.isEmpty == false)
        let container = try #require(record.stable?.container)
        #expect(container["envFrom"] == [["configMapRef": ["name": "churn-features"]]])
        #expect(record.canary?.version == "2025-12-01" && record.canaryWeight == 0)
        #expect(record.failed.isEmpty, "0.1.0 did not mark failures; its status says which versions failed")
    }

    @Test func twoDeploymentsInOneRoleTrustTheOneServingMore() throws {
        let v1 = VersionSpec(try spec("v1"))
        let v2 = VersionSpec(try spec("v2"))
        var a = Self.deployments(Topology(stable: v1, canary: nil, canaryWeight: 0), spec: try spec("v1"))[0]
        let b = Self.deployments(Topology(stable: v2, canary: nil, canaryWeight: 0), spec: try spec("v2"))[0]
        a.set(0, at: ["spec", "replicas"])
        #expect(ClusterRecord(deployments: [a, b]).stable?.version == "v2")
    }

    @Test func conditionsKeepTheirTransitionTimeWhileTheirStatusHolds() throws {
        var s = RolloutStatus()
        s.phase = .progressing
        let t0 = Self.now
        let t1 = Self.now.addingTimeInterval(60)
        let t2 = Self.now.addingTimeInterval(120)
        let first = Conditions.value(Conditions.rollout(s, generation: 1), previous: [], now: t0)
        s.message = "canary at 25%"
        let second = Conditions.value(Conditions.rollout(s, generation: 1), previous: first, now: t1)
        #expect(second.map { $0["lastTransitionTime"] } == first.map { $0["lastTransitionTime"] })
        #expect(second.first { $0["type"] == "Progressing" }?["message"] == "canary at 25%")
        s.phase = .succeeded
        let third = Conditions.value(Conditions.rollout(s, generation: 2), previous: second, now: t2)
        #expect(third.allSatisfy { $0["lastTransitionTime"] == "2027-01-15T08:02:00Z" }, "both flipped: \(third)")
        #expect(third.first { $0["type"] == "Ready" }?["observedGeneration"] == 2)
    }
}
