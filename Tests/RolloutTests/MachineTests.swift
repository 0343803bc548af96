import Foundation
import Rollout
import Testing
import YAML

/// Drives the machine as the controller would, with an injected clock. Optionally round-trips the
/// status through its JSON form after every decision, as a restarted controller would read it.
struct Driver {
    var status = RolloutStatus()
    var now = Date(timeIntervalSince1970: 1_800_000_000)
    var spec: ModelDeploymentSpec
    var restartEveryStep = false
    var events: [RolloutEvent] = []
    var retired: [String] = []
    var reverts: [RevertRequest] = []
    var last: Decision?

    init(_ spec: ModelDeploymentSpec) { self.spec = spec }

    @discardableResult
    mutating func step(
        stable: WorkloadState = .ready, canary: WorkloadState = .ready, analysis: [SLOCheck]? = nil, commands: [(String, RolloutCommand)] = []
    ) -> Decision {
        let d = RolloutMachine.next(
            status, Observation(now: now, spec: spec, stable: stable, canary: canary, analysis: analysis, commands: commands.map { (id: $0.0, command: $0.1) }))
        status = d.status
        if restartEveryStep { status = try! RolloutStatus.read(try! status.value(conditions: []), of: "test/churn") }
        events += d.events
        retired += d.retire
        if let r = d.revert { reverts.append(r) }
        last = d
        return d
    }

    mutating func advance(_ seconds: Double) { now = now.addingTimeInterval(seconds) }

    /// Runs analysis rounds as the controller would (only when due), with `checks` each time.
    mutating func run(rounds: Int, checks: [SLOCheck], canary: WorkloadState = .ready) {
        for _ in 0..<rounds {
            advance(spec.analysisInterval)
            let due = RolloutMachine.analysisDue(status, spec: spec, now: now, canary: canary)
            step(canary: canary, analysis: due ? checks : nil)
        }
    }

    var reasons: [String] { events.map(\.reason) }
}

func check(_ outcome: SLOCheck.Outcome, value: Double? = nil, slo: String = "error-rate") -> SLOCheck {
    SLOCheck(slo: slo, outcome: outcome, value: value, stableValue: nil, threshold: 0.01, message: "\(outcome.rawValue) \(value.map { "\($0)" } ?? "")")
}

let pass = [check(.pass, value: 0.001)]

func spec(_ version: String, extra: String = "") throws -> ModelDeploymentSpec {
    try parse(
        """
          model: {version: "\(version)", image: "reg/churn:\(version)"}
          replicas: 4
          canary:
            stepDuration: 60s
            analysis: {interval: 30s, failureLimit: 1, errorLimit: 2, minSuccessfulChecks: 2}
            slos: [{name: error-rate, query: q, max: 0.01}]
        \(extra)
        """)
}

/// A driver with v1 deployed and stable, then git naming `next`.
func withStable(_ next: String = "v2", extra: String = "", restart: Bool = false) throws -> Driver {
    var d = Driver(try spec("v1", extra: extra))
    d.restartEveryStep = restart
    d.step(stable: .progressing)
    d.step(stable: .ready)
    #expect(d.status.phase == .succeeded)
    d.spec = try spec(next, extra: extra)
    return d
}

@Suite struct MachineTests {
    @Test func firstVersionGoesStraightTo100Percent() throws {
        var d = Driver(try spec("v1"))
        let first = d.step(stable: .missing)
        #expect(first.topology == Topology(stable: VersionSpec(d.spec), canary: nil, canaryWeight: 0))
        #expect(d.status.phase == .progressing)
        d.step(stable: .progressing)
        #expect(d.status.phase == .progressing)
        d.step(stable: .ready)
        #expect(d.status.phase == .succeeded)
        #expect(d.status.stableVersion == "v1" && d.status.canaryVersion == nil)
        #expect(d.last?.requeueAfter == nil, "a stable deployment needs no polling")
    }

    @Test(arguments: [false, true])
    func goodCanaryWalksEveryStepAndIsPromoted(restart: Bool) throws {
        var d = try withStable(restart: restart)
        var weights: [Int] = []
        d.step()
        #expect(d.status.phase == .progressing && d.status.canaryVersion == "v2")
        for _ in 0..<30 where d.status.phase == .progressing {
            weights.append(d.status.stepWeight)
            d.run(rounds: 1, checks: pass)
        }
        var distinct: [Int] = []
        for w in weights where distinct.last != w { distinct.append(w) }
        #expect(distinct == [5, 25, 50, 100])
        #expect(d.status.phase == .succeeded)
        #expect(d.status.stableVersion == "v2" && d.status.canaryVersion == nil)
        #expect(d.retired == ["v1"])
        #expect(d.reasons.filter { $0 == "StepAdvanced" }.count == 3 && d.reasons.contains("Promoted"))
        #expect(d.last?.topology == Topology(stable: VersionSpec(d.spec), canary: nil, canaryWeight: 0))
        #expect(d.status.history.map(\.event).suffix(2) == ["CanaryStarted", "Promoted"])
    }

    @Test func theJudgesMemoryIsKeptPerSLOAndForgottenByTheNextCanary() throws {
        var d = try withStable()
        d.step()
        var remembered = check(.noData, value: nil)
        remembered.state = JudgeState(looks: 3)
        d.run(rounds: 1, checks: [remembered])
        #expect(d.status.judge["error-rate"] == JudgeState(looks: 3))
        #expect(!(String(data: try JSONEncoder().encode(d.status.lastAnalysis), encoding: .utf8) ?? "").contains("looks"), "kept once, not with each check")
        d.spec = try spec("v3")
        d.step()
        #expect(d.status.canaryVersion == "v3" && d.status.judge.isEmpty, "a new canary starts with no evidence")
    }

    @Test func neverAdvancesWithoutEnoughEvidenceOrTime() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 1, checks: pass)  // 30 s, 1 check: not enough checks, not enough time
        #expect(d.status.stepWeight == 5)
        d.run(rounds: 1, checks: pass)  // 60 s, 2 checks: advance
        #expect(d.status.stepWeight == 25)
    }

    @Test func breachRollsBackWithTheSLOValueAndThreshold() throws {
        var d = try withStable(extra: "  rollback: {revertCommit: true}")
        d.step()
        d.run(rounds: 1, checks: [check(.fail, value: 0.2)])
        #expect(d.status.phase == .progressing, "one failure is tolerated (failureLimit 1)")
        #expect(d.reasons.last == "AnalysisFailed")
        d.run(rounds: 1, checks: [check(.fail, value: 0.3)])
        #expect(d.status.phase == .rolledBack)
        #expect(d.status.stepWeight == 0 && d.status.canaryWeight == 0)
        let failed = try #require(d.status.failedVersions.first)
        #expect(failed.version == "v2" && failed.slo == "error-rate" && failed.value == 0.3 && failed.threshold == 0.01)
        #expect(d.last?.topology.canaryWeight == 0, "traffic back to stable")
        #expect(d.last?.topology.canary?.version == "v2", "the canary stays, scaled to zero, for inspection")
        #expect(d.reverts == [RevertRequest(failedVersion: "v2", stable: d.status.stable!, reason: failed.reason)])
        // The failed version is not retried while git still names it.
        for _ in 0..<5 {
            d.advance(60)
            d.step()
            #expect(d.status.phase == .rolledBack && d.status.stepWeight == 0)
        }
        #expect(d.reasons.filter { $0 == "CanaryStarted" }.count == 1)
    }

    @Test func failuresAccumulateWhenFlapping() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 1, checks: [check(.fail, value: 0.2)])
        d.run(rounds: 1, checks: pass)
        d.run(rounds: 1, checks: pass)
        #expect(d.status.phase == .progressing)
        d.run(rounds: 1, checks: [check(.fail, value: 0.2)])
        #expect(d.status.phase == .rolledBack, "the second failure of the canary exceeds failureLimit 1")
    }

    @Test func noVerdictHoldsTheStepWithoutFailing() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 15, checks: [check(.noData)])
        #expect(d.status.phase == .progressing && d.status.stepWeight == 5)
        #expect(d.status.failedChecks == 0 && d.status.successfulChecks == 0)
        #expect(d.status.message.contains("no verdict yet") && d.status.message.contains("NoData"))
        d.run(rounds: 2, checks: pass)
        #expect(d.status.stepWeight == 25, "evidence resumes the rollout")
    }

    /// Held without a verdict for progressDeadline (10 minutes here): traffic goes back to the
    /// stable version, and the version is inconclusive, not failed — and not tried again by
    /// itself, since it would gather too little evidence again.
    @Test func aStepHeldPastTheProgressDeadlineEndsInconclusive() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 20, checks: [check(.noData)])
        #expect(d.status.phase == .rolledBack && d.status.stepWeight == 0 && d.last!.topology.canaryWeight == 0)
        #expect(d.status.failedVersions.isEmpty, "nothing was learned against v2")
        let i = try #require(d.status.inconclusive)
        #expect(i.version == "v2" && i.holding && i.retryAt == nil && i.reason.contains("no verdict at 5% after 10m"), "\(i.reason)")
        #expect(i.reason.contains("no verdict is in sight"), "the checks say nothing of what would decide: auto holds no longer than its floor")
        #expect(d.reasons.last == "Inconclusive")
        #expect(Conditions.rollout(d.status, generation: 1).first?.reason == "Inconclusive")
        d.run(rounds: 10, checks: pass)
        #expect(d.status.phase == .rolledBack && d.status.canaryVersion == "v2" && d.last!.topology.canaryWeight == 0, "held until retried")
        d.step(commands: [("r1", .retry(version: "v2"))])
        #expect(d.status.phase == .progressing && d.status.stepWeight == 5 && d.status.inconclusive == nil, "sluice retry starts it over")
    }

    static func holding(needed: Double?, requests: Double) -> SLOCheck {
        var c = check(.noData)
        var e = Evidence(test: "rate", confidence: 0.95, samples: requests, estimate: 0.01)
        e.needed = needed
        c.evidence = e
        return c
    }

    /// progressDeadline: auto (the default) holds a step while the judge expects a verdict
    /// within two hours at the traffic the canary gets, and says how long.
    @Test func autoHoldsWhileAVerdictIsInSight() throws {
        var d = try withStable()
        d.step()
        var requests = 0.0
        for _ in 0..<40 {  // 20 minutes at 2 req/s, each look needing 3,000 more requests: 25 minutes
            requests += 60
            d.run(rounds: 1, checks: [Self.holding(needed: 3000, requests: requests)])
        }
        #expect(d.status.phase == .progressing && d.status.inconclusive == nil, "past the 10 minute floor, a verdict is expected in 25 minutes")
        #expect(d.status.message.contains("at 2 req/s to the canary a verdict needs at least about 25m"), "\(d.status.message)")
        requests += 60
        d.run(rounds: 1, checks: [Self.holding(needed: 300_000, requests: requests)])
        let i = try #require(d.status.inconclusive, "now 40 hours away: beyond the ceiling")
        #expect(i.reason.contains("a verdict needs at least about 41h40m") && i.reason.contains("progressDeadline auto holds a step up to 2h"), "\(i.reason)")
    }

    /// Past the floor, a look that passes keeps the step: only the second passing check was
    /// missing (the bench found good versions ended Inconclusive right after their first pass).
    @Test func autoKeepsAStepWhoseLastLookPassed() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 24, checks: [check(.noData)])
        #expect(d.status.inconclusive != nil, "twelve minutes of looks that say nothing of what would decide")
        var e = try withStable()
        e.step()
        e.run(rounds: 19, checks: [Self.holding(needed: 1_000_000, requests: 100)])
        e.run(rounds: 1, checks: pass)
        #expect(e.status.inconclusive == nil && e.status.stepWeight == 5, "\(e.status.inconclusive?.reason ?? "")")
        e.run(rounds: 1, checks: pass)
        #expect(e.status.stepWeight == 25)
    }

    @Test func aFixedProgressDeadlineEndsTheStepWhateverTheEstimate() throws {
        var d = try withStable(extra: "")
        d.spec.holdLimit = .fixed(600)
        d.step()
        var requests = 0.0
        for _ in 0..<20 {
            requests += 60
            d.run(rounds: 1, checks: [Self.holding(needed: 100, requests: requests)])
        }
        #expect(d.status.inconclusive?.reason.contains("within progressDeadline 10m") == true, "\(d.status.inconclusive?.reason ?? "")")
    }

    /// Queries failing errorLimit times in a row say nothing about the model: traffic goes back
    /// to stable (the safe part), the version is inconclusive, and it starts over by itself —
    /// with a growing wait — once the queries answer again.
    @Test func queryErrorsEndTheCanaryInconclusiveAndItStartsOverOnceQueriesAnswer() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 2, checks: [check(.error)])
        d.run(rounds: 1, checks: pass)  // a success resets the streak
        d.run(rounds: 2, checks: [check(.error)])
        #expect(d.status.phase == .progressing)
        d.run(rounds: 1, checks: [check(.error)])
        #expect(d.status.phase == .rolledBack && d.last!.topology.canaryWeight == 0)
        #expect(d.status.failedVersions.isEmpty)
        var i = try #require(d.status.inconclusive)
        #expect(i.reason.contains("3 times in a row") && i.holding && i.retries == 0)
        let first = try #require(i.retryAt)
        #expect(first.timeIntervalSince(d.now) == 150, "five 30 s intervals")
        #expect(d.reverts.isEmpty, "no revert commit for a version nothing is known against")

        // Not due yet: nothing to ask.
        #expect(!RolloutMachine.probeDue(d.status, spec: d.spec, now: d.now.addingTimeInterval(100)))
        d.now = first
        #expect(RolloutMachine.probeDue(d.status, spec: d.spec, now: d.now))
        // Still unreachable: wait twice as long.
        d.last = RolloutMachine.next(d.status, Observation(now: d.now, spec: d.spec, stable: .ready, canary: .ready, queriesAnswer: false))
        d.status = d.last!.status
        i = try #require(d.status.inconclusive)
        #expect(i.holding && i.retries == 1 && i.retryAt == first.addingTimeInterval(300))
        #expect(d.last?.topology.canaryWeight == 0)
        // Answering again: the canary starts over from the first step.
        d.now = i.retryAt!
        d.last = RolloutMachine.next(d.status, Observation(now: d.now, spec: d.spec, stable: .ready, canary: .ready, queriesAnswer: true))
        d.status = d.last!.status
        #expect(d.status.phase == .progressing && d.status.stepWeight == 5 && d.status.inconclusive?.holding == false)
        #expect(d.last?.events.map(\.reason) == ["RetryingInconclusive", "CanaryStarted"])
        d.run(rounds: 2, checks: pass)
        #expect(d.status.stepWeight == 25)
    }

    @Test func abortingAnInconclusiveCanaryMarksItFailed() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 3, checks: [check(.error)])
        #expect(d.status.inconclusive?.holding == true)
        d.step(commands: [("a1", .abort)])
        #expect(d.status.inconclusive == nil && d.status.isFailed("v2") && d.status.phase == .rolledBack)
        d.now = d.now.addingTimeInterval(3600)
        #expect(!RolloutMachine.probeDue(d.status, spec: d.spec, now: d.now), "never started again by itself")
    }

    @Test func aCanaryThatNeverBecomesReadyIsRolledBack() throws {
        var d = try withStable(extra: "    progressDeadline: 2m")
        d.step(canary: .missing)
        for _ in 0..<3 {
            d.advance(30)
            d.step(canary: .progressing)
            #expect(d.status.phase == .progressing)
            #expect(!RolloutMachine.analysisDue(d.status, spec: d.spec, now: d.now, canary: .progressing))
        }
        d.advance(40)
        d.step(canary: .progressing)
        #expect(d.status.phase == .rolledBack)
        #expect(d.status.failedVersions.first?.reason.contains("not ready for") == true)

        var e = try withStable()
        e.step(canary: .missing)
        e.advance(5)
        e.step(canary: .failed("ProgressDeadlineExceeded"))
        #expect(e.status.phase == .rolledBack)
    }

    /// A step scales the canary, so its Deployment is briefly not ready; the deadline counts from
    /// then. Counted from the canary's start, a rollout older than progressDeadline failed on its
    /// next scale (a full CI run rolled back good versions at their 50% step, 2m21s in).
    @Test(arguments: [false, true]) func theDeadlineCountsFromWhenTheCanaryStoppedBeingReady(restart: Bool) throws {
        var d = try withStable(extra: "    progressDeadline: 2m", restart: restart)
        d.step()
        d.run(rounds: 4, checks: pass)
        #expect(d.status.step >= 1 && d.now.timeIntervalSince(d.status.canaryStartedAt!) >= 120, "past the deadline since the start")
        for _ in 0..<3 {
            d.advance(20)
            d.step(canary: .progressing)
            #expect(d.status.phase == .progressing, "\(d.status.message)")
        }
        d.advance(10)
        d.step(canary: .ready)
        #expect(d.status.phase == .progressing && d.status.canaryWaitingSince == nil, "\(d.status.message)")
        d.step(canary: .progressing)
        d.advance(119)
        d.step(canary: .progressing)
        #expect(d.status.phase == .progressing, "119 s of a 2m deadline")
        d.advance(1)
        d.step(canary: .progressing)
        #expect(d.status.phase == .rolledBack)
        #expect(d.status.failedVersions.first?.reason.contains("canary not ready for 2m") == true, "\(d.status.failedVersions)")
    }

    @Test func gatesWaitForPromote() throws {
        var d = try withStable(extra: "    gates: [50]")
        d.step()
        d.run(rounds: 6, checks: pass)
        #expect(d.status.stepWeight == 50)
        d.run(rounds: 6, checks: pass)
        #expect(d.status.phase == .paused && d.status.stepWeight == 50)
        #expect(d.reasons.filter { $0 == "Paused" }.count == 1, "the pause is announced once")
        d.advance(1)
        d.step(commands: [("promote-1", .promote(full: false))])
        d.advance(1)
        d.step(commands: [("promote-1", .promote(full: false))])
        #expect(d.status.approvedGates == [50])
        d.run(rounds: 1, checks: pass)
        #expect(d.status.stepWeight == 100)
    }

    @Test func promoteFullSkipsTheRemainingSteps() throws {
        var d = try withStable()
        d.step()
        d.advance(5)
        d.step(commands: [("p", .promote(full: true))])
        #expect(d.status.phase == .succeeded && d.status.stableVersion == "v2")
    }

    @Test func abortThenRetry() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 1, checks: pass)
        d.step(commands: [("abort-1", .abort)])
        #expect(d.status.phase == .rolledBack)
        #expect(d.status.failedVersions.first?.reason == "aborted by the user")
        d.advance(30)
        d.step()
        #expect(d.status.phase == .rolledBack, "not retried by itself")
        d.step(commands: [("retry-1", .retry(version: "v2"))])
        #expect(d.status.phase == .progressing && d.status.stepWeight == 5 && d.status.failedVersions.isEmpty)
    }

    @Test func aNewVersionSupersedesACanaryInFlight() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 2, checks: pass)
        #expect(d.status.stepWeight == 25)
        d.spec = try spec("v3")
        d.step()
        #expect(d.status.canaryVersion == "v3" && d.status.stepWeight == 5 && d.status.stableVersion == "v1")
        #expect(d.retired == ["v2"])
        #expect(d.reasons.contains("CanarySuperseded"))
    }

    @Test func gitRevertingToStableAbandonsTheCanary() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 2, checks: pass)
        d.spec = try spec("v1")
        d.step()
        #expect(d.status.phase == .succeeded && d.status.canaryVersion == nil)
        #expect(d.retired == ["v2"])
    }

    @Test func aNewVersionAfterARollbackStartsFresh() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 2, checks: [check(.fail, value: 1)])
        #expect(d.status.phase == .rolledBack)
        d.spec = try spec("v3")
        d.step()
        #expect(d.status.phase == .progressing && d.status.canaryVersion == "v3")
        #expect(d.retired == ["v2"])
        #expect(d.status.failedVersions.map(\.version) == ["v2"], "v2 stays failed")
    }

    @Test func specChangesMidStepKeepProgress() throws {
        var d = try withStable()
        d.step()
        d.run(rounds: 2, checks: pass)
        #expect(d.status.stepWeight == 25)
        // Steps edited while at 25%: the weight reached is kept.
        d.spec = try spec("v2", extra: "    steps: [10, 30, 100]")
        d.step()
        #expect(d.status.stepWeight == 30 && d.status.step == 1)
        // The canary's template changes: same version, the step restarts.
        var changed = try spec("v2", extra: "    steps: [10, 30, 100]")
        changed.image = "reg/churn:v2-hotfix"
        d.spec = changed
        d.step()
        #expect(d.status.canary?.image == "reg/churn:v2-hotfix" && d.status.successfulChecks == 0)
        #expect(d.reasons.contains("CanaryUpdated"))
    }

    @Test func requeueTimesFollowTheNextDecision() throws {
        var d = try withStable()
        let start = d.step(canary: .progressing)
        #expect(start.requeueAfter == RolloutMachine.readinessPoll)
        d.advance(1)
        let ready = d.step()
        #expect(ready.requeueAfter! > 28 && ready.requeueAfter! <= 30, "next analysis in ~one interval")
    }

    @Test func restartingInEveryStateConverges() throws {
        // The same scenario with and without a round trip through the status JSON after every
        // decision ends in the same status.
        func scenario(_ restart: Bool) throws -> RolloutStatus {
            var d = try withStable(extra: "    gates: [25]", restart: restart)
            d.step(canary: .progressing)
            d.advance(5)
            d.step()
            d.run(rounds: 3, checks: pass)
            d.run(rounds: 2, checks: [check(.noData)])
            d.step(commands: [("p", .promote(full: false))])
            d.run(rounds: 2, checks: [check(.error)])
            d.run(rounds: 8, checks: pass)
            return d.status
        }
        let a = try scenario(false)
        let b = try scenario(true)
        #expect(a.phase == b.phase && a.stableVersion == b.stableVersion && a.history.map(\.event) == b.history.map(\.event))
        #expect(a.phase == .succeeded && a.stableVersion == "v2")
    }
}

@Suite struct AnalysisTests {
    let errorRate = SLO(name: "error-rate", query: "q", max: 0.01, min: nil, relativeToStable: nil)
    let latency = SLO(name: "p95", query: "q", max: 0.25, min: nil, relativeToStable: 1.5)
    let relativeOnly = SLO(name: "rel", query: "q", max: nil, min: nil, relativeToStable: 2)
    let throughput = SLO(name: "rps", query: "q", max: nil, min: 10, relativeToStable: nil)

    @Test func outcomes() {
        #expect(Analysis.evaluate(errorRate, canary: .value(0.001), stable: nil).outcome == .pass)
        let fail = Analysis.evaluate(errorRate, canary: .value(0.05), stable: nil)
        #expect(fail.outcome == .fail && fail.value == 0.05 && fail.threshold == 0.01 && fail.message == "0.05 > max 0.01")
        #expect(Analysis.evaluate(errorRate, canary: .noData, stable: nil).outcome == .noData)
        #expect(Analysis.evaluate(errorRate, canary: .value(.nan), stable: nil).outcome == .noData)
        #expect(Analysis.evaluate(errorRate, canary: .value(.infinity), stable: nil).outcome == .fail)
        #expect(Analysis.evaluate(errorRate, canary: .error("bad_data: parse error"), stable: nil).outcome == .error)
        #expect(Analysis.evaluate(throughput, canary: .value(3), stable: nil).outcome == .fail)
        #expect(Analysis.evaluate(throughput, canary: .value(-.infinity), stable: nil).outcome == .fail)
    }

    @Test func relativeToStable() {
        #expect(Analysis.evaluate(latency, canary: .value(0.2), stable: .value(0.1)).outcome == .fail, "0.2 > 1.5 × 0.1")
        let ok = Analysis.evaluate(latency, canary: .value(0.12), stable: .value(0.1))
        #expect(ok.outcome == .pass && ok.stableValue == 0.1)
        #expect(Analysis.evaluate(latency, canary: .value(0.3), stable: .value(0.5)).outcome == .fail, "the absolute max still applies")
        #expect(Analysis.evaluate(latency, canary: .value(0.2), stable: .noData).outcome == .pass, "no stable traffic: only max applies")
        #expect(Analysis.evaluate(relativeOnly, canary: .value(0.2), stable: .noData).outcome == .noData)
        #expect(Analysis.evaluate(latency, canary: .value(0.1), stable: .error("timeout")).outcome == .error)
    }

    @Test func templates() {
        let q = Analysis.render(
            #"rate(x{model="{{model}}",version="{{version}}",ns="{{namespace}}",stable="{{stableVersion}}"}[{{interval}}])"#, model: "churn",
            version: "v2", namespace: "ml", stableVersion: "v1", interval: 30)
        #expect(q == #"rate(x{model="churn",version="v2",ns="ml",stable="v1"}[30s])"#)
    }
}
