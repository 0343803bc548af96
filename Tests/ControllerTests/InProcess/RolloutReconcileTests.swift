import Controller
import Foundation
import Kube
import Rollout
import TestSupport
import Testing

/// The rollout controller in process: every reconcile is called by the test, time moves only
/// when the test moves it, and each test asserts exactly what the controller wrote, in order.
/// Every reconcile re-applies what the rollout renders (server-side apply, a no-op when nothing
/// changed); traffic objects go first, then the stable Deployment, then the canary.
@Suite struct RolloutReconcileTests {
    /// v1 deployed and stable, the recorder cleared.
    static func withStable(gates: [Int] = []) async throws -> RolloutFixture {
        let f = try await RolloutFixture()
        try await f.commit(version: "v1", gates: gates)
        try await f.reconcile()
        #expect(
            f.takeWrites() == [
                "apply Service ml/churn", "apply Deployment churn-v1 replicas=20", "status Progressing step=0 stable=v1", "event Deploying",
            ])
        try await f.reconcile()
        #expect(f.takeWrites() == ["apply Service ml/churn", "apply Deployment churn-v1 replicas=20", "status Succeeded step=0 stable=v1"])
        return f
    }

    /// v1 stable, git naming v2, `ticks` reconciles one interval apart (1: the canary just
    /// started at 5%; 2: at 25%), the recorder cleared.
    static func withCanary(ticks: Int = 1) async throws -> RolloutFixture {
        let f = try await withStable()
        try await f.commit(version: "v2")
        for _ in 0..<ticks { try await f.tick() }
        _ = f.takeWrites()
        return f
    }

    static let started = [
        "apply Service ml/churn", "apply Deployment churn-v1 replicas=19", "apply Deployment churn-v2 replicas=1",
        "status Progressing step=5 canary=v2 stable=v1", "event CanaryStarted",
    ]

    @Test func aGoodCanaryWalksEveryStepAndIsPromoted() async throws {
        let f = try await Self.withStable()
        try await f.commit(version: "v2")
        #expect(try await f.tick() == 2, "looks again soon while the canary's pods start")
        #expect(f.takeWrites() == Self.started)
        for (stable, canary, weight) in [(15, 5, 25), (10, 10, 50), (0, 20, 100)] {
            #expect(try await f.tick() == 30, "the next analysis is one interval away")
            #expect(
                f.takeWrites() == [
                    "apply Service ml/churn", "apply Deployment churn-v1 replicas=\(stable)", "apply Deployment churn-v2 replicas=\(canary)",
                    "status Progressing step=\(weight) canary=v2 stable=v1", "event StepAdvanced",
                ])
        }
        #expect(try await f.tick() == nil, "a promoted version needs no polling")
        #expect(
            f.takeWrites() == [
                "apply Service ml/churn", "apply Deployment churn-v2 replicas=20", "delete Deployment ml/churn-v1", "status Succeeded step=0 stable=v2",
                "event Promoted",
            ])
        let status = try await f.status
        #expect(status.stableVersion == "v2" && status.canaryVersion == nil && status.failedVersions.isEmpty)
        #expect(status.history.map(\.event).suffix(2) == ["CanaryStarted", "Promoted"])
        #expect(try await f.replicas("v1") == nil)
        #expect(f.metrics.asked.allSatisfy { $0 == #"errors{version="v2"}"# }, "only the canary was measured: \(f.metrics.asked)")
        #expect(f.metrics.asked.count == 4, "one analysis per step")
    }

    @Test func aBreachRollsBackAndTheVersionIsNeverRetriedUntilGitChanges() async throws {
        let f = try await Self.withStable()
        f.metrics.answer("v2", .value(0.2))
        try await f.commit(version: "v2")
        try await f.tick()
        #expect(f.takeWrites() == Self.started)
        #expect(try await f.tick() == nil)
        #expect(
            f.takeWrites() == [
                "apply Service ml/churn", "apply Deployment churn-v1 replicas=20", "apply Deployment churn-v2 replicas=0",
                "status RolledBack step=0 canary=v2 stable=v1", "event RolledBack",
            ])
        let failed = try #require(try await f.status.failedVersions.first)
        #expect(failed.version == "v2" && failed.slo == "error-rate" && failed.value == 0.2 && failed.threshold == 0.05)
        for _ in 0..<5 { try await f.tick() }
        #expect(!f.takeWrites().contains { $0.contains("churn-v2 replicas=") && !$0.hasSuffix("replicas=0") }, "v2 never takes traffic again")
        #expect(try await f.replicas("v2") == 0 && f.metrics.asked.count == 1)

        try await f.commit(version: "v3")
        try await f.tick()
        #expect(
            f.takeWrites() == [
                "apply Service ml/churn", "apply Deployment churn-v1 replicas=19", "apply Deployment churn-v3 replicas=1", "delete Deployment ml/churn-v2",
                "status Progressing step=5 canary=v3 stable=v1", "event CanarySuperseded", "event CanaryStarted",
            ])
    }

    @Test func prometheusDownEndsTheCanaryInconclusiveWithoutFailingTheVersion() async throws {
        let f = try await Self.withCanary()
        f.metrics.answerAll(.error("connection refused"))
        for _ in 0..<2 {
            #expect(try await f.tick() == 30)
            #expect(
                f.takeWrites() == [
                    "apply Service ml/churn", "apply Deployment churn-v1 replicas=19", "apply Deployment churn-v2 replicas=1",
                    "status Progressing step=5 canary=v2 stable=v1", "event AnalysisError",
                ])
        }
        #expect(try await f.tick() == 150, "an automatic restart is scheduled")
        #expect(
            f.takeWrites() == [
                "apply Service ml/churn", "apply Deployment churn-v1 replicas=20", "apply Deployment churn-v2 replicas=0",
                "status RolledBack step=0 canary=v2 stable=v1", "event Inconclusive",
            ])
        let status = try await f.status
        #expect(status.failedVersions.isEmpty, "nothing was learned about v2, so it is not failed")
        #expect(status.inconclusive?.version == "v2" && status.inconclusive?.holding == true)
    }

    @Test func aGateHoldsTheCanaryUntilPromoteAndEachRequestActsOnce() async throws {
        let f = try await Self.withStable(gates: [25])
        try await f.commit(version: "v2", gates: [25])
        try await f.tick()
        try await f.tick()
        _ = f.takeWrites()
        #expect(try await f.status.stepWeight == 25)
        try await f.tick()
        let paused = f.takeWrites()
        #expect(paused.contains("status Paused step=25 canary=v2 stable=v1"), "\(paused)")
        for _ in 0..<3 { try await f.tick() }
        let held = f.takeWrites()
        #expect(try await f.status.phase == .paused && held.allSatisfy { !$0.hasPrefix("status") || $0.hasPrefix("status Paused step=25") })

        try await f.annotate(RolloutCommandAnnotation.promote, "r1")
        try await f.reconcile()
        let promoted = f.takeWrites()
        #expect(promoted.contains("status Progressing step=50 canary=v2 stable=v1"), "\(promoted)")
        #expect(try await f.status.handledCommands.contains("promote:r1"))
        try await f.reconcile()
        #expect(try await f.status.stepWeight == 50, "the same request does not promote twice")
    }

    @Test func abortRollsBackAndRetryStartsTheVersionAgain() async throws {
        let f = try await Self.withCanary()
        try await f.annotate(RolloutCommandAnnotation.abort, "a1")
        try await f.reconcile()
        let aborted = f.takeWrites()
        #expect(
            aborted.prefix(4) == [
                "apply Service ml/churn", "apply Deployment churn-v1 replicas=20", "apply Deployment churn-v2 replicas=0",
                "status RolledBack step=0 canary=v2 stable=v1",
            ])
        #expect(try await f.status.isFailed("v2"))
        for _ in 0..<3 { try await f.tick() }
        #expect(try await f.replicas("v2") == 0)

        try await f.annotate(RolloutCommandAnnotation.retry, "v2@t1")
        try await f.reconcile()
        let retried = f.takeWrites()
        #expect(retried.contains("status Progressing step=5 canary=v2 stable=v1"), "\(retried)")
        let status = try await f.status
        #expect(try await f.replicas("v2") == 1 && !status.isFailed("v2"))
    }

    @Test func aRestartedControllerResumesFromStatusAlone() async throws {
        let f = try await Self.withCanary(ticks: 2)
        let fresh = f.restartedController()
        f.clock.advance(30)
        try await f.reconcile(fresh)
        #expect(
            f.takeWrites() == [
                "apply Service ml/churn", "apply Deployment churn-v1 replicas=10", "apply Deployment churn-v2 replicas=10",
                "status Progressing step=50 canary=v2 stable=v1", "event StepAdvanced",
            ])
    }

    // MARK: faults at the seam

    @Test func aConflictOnTheStatusWriteIsRetriedAndCountedOnce() async throws {
        let f = try await Self.withCanary()
        f.cluster.api.fail(.apply, kind: RolloutController.kind, subresource: "status", with: InterceptedKubeAPI.conflict())
        f.clock.advance(30)
        await #expect(throws: KubeError.self) { try await f.reconcile() }
        #expect(f.takeWrites().last == "status Progressing step=25 canary=v2 stable=v1", "the refused write was the step's status")
        #expect(try await f.status.stepWeight == 5, "the stored status still says 5%")

        try await f.reconcile()
        #expect(
            f.takeWrites() == [
                "apply Service ml/churn", "apply Deployment churn-v1 replicas=15", "apply Deployment churn-v2 replicas=5",
                "status Progressing step=25 canary=v2 stable=v1", "event StepAdvanced",
            ])
        #expect(f.metrics.asked.count == 2, "the analysis whose result was lost with the write ran again: evidence is never assumed")
    }

    @Test func aServerErrorOnApplyShiftsNoTrafficAndWritesNoStatus() async throws {
        let f = try await Self.withStable()
        try await f.commit(version: "v2")
        f.cluster.api.fail(.apply, kind: "Deployment", name: "churn-v2", with: InterceptedKubeAPI.serverError(503))
        f.clock.advance(30)
        await #expect(throws: KubeError.self) { try await f.reconcile() }
        #expect(f.takeWrites() == ["apply Service ml/churn", "apply Deployment churn-v1 replicas=19", "apply Deployment churn-v2 replicas=1"])
        #expect(try await f.replicas("v2") == nil, "the canary does not exist, so it takes no traffic")
        let status = try await f.status
        #expect(status.phase == .succeeded && status.canaryVersion == nil, "the status does not claim a canary that never started")

        try await f.reconcile()
        #expect(f.takeWrites() == Self.started)
    }

    @Test func aStatusThatCannotBeReadChangesNothingThatRuns() async throws {
        let f = try await Self.withCanary()
        _ = try await f.cluster.client.mergePatch(
            RolloutFixture.ref, ["status": ["stable": "not a version spec"]], subresource: "status", fieldManager: "someone-else")
        f.clock.advance(30)
        try await f.reconcile()
        #expect(f.takeWrites() == ["patch ModelDeployment ml/churn/status", "event StatusUnreadable"], "only the condition and an event")
        #expect(try await f.replicas("v2") == 1 && f.metrics.asked.isEmpty)
    }

    // MARK: no evidence, lost memory

    @Test func noDataHoldsTheStepAndNeverFailsTheVersion() async throws {
        let f = try await Self.withStable()
        f.metrics.answer("v2", .noData)
        try await f.commit(version: "v2")
        try await f.tick()
        _ = f.takeWrites()
        for _ in 0..<6 { #expect(try await f.tick() == 30) }
        let status = try await f.status
        #expect(status.phase == .progressing && status.stepWeight == 5 && status.failedChecks == 0 && status.failedVersions.isEmpty)
        #expect(status.lastAnalysis?.checks.first?.outcome == .noData && status.message.contains("no data"), "\(status.message)")
        #expect(f.takeWrites().allSatisfy { !$0.contains("replicas=") || $0.hasSuffix("churn-v1 replicas=19") || $0.hasSuffix("churn-v2 replicas=1") })

        // Gone from git (pruned): the garbage collector removes what it rendered (owner
        // references), and the controller finds nothing left to clean up.
        _ = try await f.cluster.client.delete(RolloutFixture.ref)
        f.cluster.settle()
        #expect(try await f.reconcile() == nil)
        #expect(f.takeWrites().isEmpty)
        let (v1, v2) = (try await f.replicas("v1"), try await f.replicas("v2"))
        #expect(v1 == nil && v2 == nil)
    }

    @Test func aStatusRemovedMidCanaryIsRebuiltAtTheSameStep() async throws {
        let f = try await Self.withCanary(ticks: 2)
        _ = try await f.cluster.client.mergePatch(RolloutFixture.ref, ["status": .null], subresource: "status", fieldManager: "velero")
        try await f.reconcile()
        #expect(
            f.takeWrites() == [
                "event StatusRebuilt", "apply Service ml/churn", "apply Deployment churn-v1 replicas=15", "apply Deployment churn-v2 replicas=5",
                "status Progressing step=25 canary=v2 stable=v1",
            ], "25% stays 25%: nothing jumps to 100%")
        let status = try await f.status
        #expect(status.history.contains { $0.event == "StatusRebuilt" } && !status.history.contains { $0.event == "Deployed" })
        for _ in 0..<3 { try await f.tick() }
        #expect(try await f.status.stableVersion == "v2", "the rebuilt canary walks its remaining steps and is promoted")
    }

    @Test func failuresRemovedFromStatusAreRestoredFromTheDeploymentsMark() async throws {
        let f = try await Self.withStable()
        f.metrics.answer("v2", .value(0.2))
        try await f.commit(version: "v2")
        try await f.tick()
        try await f.tick()
        #expect(try await f.status.isFailed("v2"))
        _ = f.takeWrites()
        // An older release's status, without a key this one added: read with its default.
        _ = try await f.cluster.client.mergePatch(RolloutFixture.ref, ["status": ["handledCommands": .null]], subresource: "status", fieldManager: "someone")
        try await f.tick()
        #expect(try await f.status.phase == .rolledBack && f.takeWrites().allSatisfy { !$0.contains("churn-v2 replicas=") || $0.hasSuffix("=0") })
        // The failures themselves removed: the mark on v2's Deployment brings them back.
        _ = try await f.cluster.client.mergePatch(RolloutFixture.ref, ["status": ["failedVersions": .null]], subresource: "status", fieldManager: "someone")
        try await f.reconcile()
        let writes = f.takeWrites()
        #expect(writes.contains("apply Deployment churn-v2 replicas=0") && writes.contains("event FailureRestored"), "\(writes)")
        let status = try await f.status
        #expect(status.isFailed("v2") && status.phase == .rolledBack && status.history.contains { $0.event == "FailureRestored" })
        #expect(try await f.replicas("v2") == 0 && f.metrics.asked.count == 1, "v2 is not tried again")
    }
}

/// The controller's own loop (informers, queue, workers) over the in-process API: a change made
/// while its watches were cut, and then refused as too old, still reaches a reconcile.
@Suite struct RolloutLoopTests {

    @Test func aChangeMadeWhileTheWatchesWereClosedAndGoneIsStillReconciled() async throws {
        let f = try await RolloutReconcileTests.withStable()
        let run = Task { await f.controller.run(workers: 2) }
        defer { run.cancel() }
        try await eventually("the informers synced", timeout: 20) { await f.controller.synced }
        try await eventually("both informers watch", timeout: 20) { f.cluster.api.calls.filter { $0.verb == .watch }.count >= 2 }

        // Every watch is cut, and the ModelDeployments' resumed watch is refused as too old.
        f.cluster.api.fail(.watch, kind: RolloutController.kind, with: InterceptedKubeAPI.gone)
        f.cluster.api.closeWatches()
        try await f.commit(version: "v2")
        try await eventually("the canary started from the relisted state", timeout: 20) { try await f.status.canaryVersion == "v2" }
        let lists = f.cluster.api.calls.filter { $0.verb == .list && $0.kind == RolloutController.kind }.count
        #expect(lists >= 2, "the ModelDeployment informer relisted")
        #expect(try await f.replicas("v2") == 1)
    }
}
