import Foundation
import Values

extension RolloutStep {
    /// This round's SLO checks. A failure counts towards `failureLimit` and then rolls back; an
    /// error (the query could not run) counts towards `errorLimit` and then ends the canary as
    /// inconclusive; no verdict holds. A round without failures or errors resets the error count.
    mutating func judgeAnalysis() -> Decision? {
        guard let checks = o.analysis else { return nil }
        estimateTimeToVerdict(checks)
        s.lastAnalysisAt = now
        s.analyses += 1
        s.lastAnalysis = AnalysisRecord(time: now, weight: s.stepWeight, checks: checks)
        for c in checks { if let state = c.state { s.judge[c.slo] = state } }
        let failures = checks.filter { $0.outcome == .fail }
        let errors = checks.filter { $0.outcome == .error }
        let holds = checks.filter { $0.outcome == .noData }
        if let first = failures.first {
            s.failedChecks += 1
            if s.failedChecks > spec.failureLimit {
                rollback("SLO \(first.slo) breached: \(first.message)", check: first)
                return decision(nil)
            }
            event(.warning, "AnalysisFailed", "SLO \(first.slo): \(first.message) (\(s.failedChecks) of \(spec.failureLimit) tolerated)")
        } else if let first = errors.first {
            s.consecutiveErrors += 1
            if s.consecutiveErrors > spec.errorLimit {
                endInconclusive("analysis failed \(s.consecutiveErrors) times in a row: \(first.message)", retryByItself: true)
                return decision(s.inconclusive?.retryAt.map { $0.timeIntervalSince(now) })
            }
            event(.warning, "AnalysisError", "SLO \(first.slo): \(first.message) (\(s.consecutiveErrors) of \(spec.errorLimit) tolerated)")
        } else if let first = holds.first {
            s.consecutiveErrors = 0
            s.message = "no verdict yet for SLO \(first.slo) at \(s.stepWeight)%: holding (\(first.message))"
        } else {
            s.consecutiveErrors = 0
            s.successfulChecks += 1
        }
        return nil
    }

    /// The canary's request rate since the last analysis, and from it how long the holding SLOs
    /// need for a verdict (the most any of them needs, at the soonest their data allows; none if
    /// one of them says none would come).
    mutating func estimateTimeToVerdict(_ checks: [SLOCheck]) {
        let requests = checks.compactMap { $0.evidence?.samples }.max()
        if let requests, let before = s.canaryRequests, let last = s.lastAnalysisAt, now > last {
            s.canaryRequestRate = max(0, requests - before) / now.timeIntervalSince(last)
        }
        s.canaryRequests = requests
        let holding = checks.filter { $0.outcome == .noData }
        guard !holding.isEmpty, let rate = s.canaryRequestRate, rate > 0 else {
            s.verdictExpectedIn = nil
            return
        }
        let needed = holding.map { $0.evidence?.soonest ?? $0.evidence?.needed }
        s.verdictExpectedIn = needed.contains { $0 == nil } ? nil : needed.compactMap { $0 }.max().map { $0 / rate }
    }

    /// A step held without enough passing checks ends: the canary goes back to no traffic,
    /// inconclusive. With a fixed `progressDeadline`, after that long (and at least its
    /// `stepDuration`); with `auto`, once the judge no longer expects a verdict within the
    /// ceiling at the traffic the canary gets (never before the floor or the step's duration).
    mutating func endStepWithoutVerdict() -> Decision? {
        let heldFor = now.timeIntervalSince(s.stepStartedAt ?? now)
        guard s.successfulChecks < spec.minSuccessfulChecks else { return nil }
        var reason: String
        switch spec.holdLimit {
        case .fixed(let deadline):
            guard heldFor >= max(spec.stepDuration, deadline) else { return nil }
            reason = "no verdict at \(s.stepWeight)% within progressDeadline \(DurationText.format(deadline))"
        case .auto:
            let ceiling = ModelDeploymentSpec.HoldLimit.ceiling
            guard heldFor >= max(spec.stepDuration, ModelDeploymentSpec.HoldLimit.floor) else { return nil }
            if heldFor < ceiling {
                // Passing, and only short of minSuccessfulChecks: the next look may be enough.
                if let last = s.lastAnalysis, last.weight == s.stepWeight, last.checks.allSatisfy({ $0.outcome == .pass }) { return nil }
                if let expected = s.verdictExpectedIn, heldFor + expected <= ceiling { return nil }
            }
            reason = "no verdict at \(s.stepWeight)% after \(DurationText.format(heldFor.rounded()))"
            if heldFor < ceiling { reason += ": " + Self.expectation(s, ceiling: ceiling) }
        }
        if let hold = s.lastAnalysis?.checks.first(where: { $0.outcome != .pass }) { reason += " (SLO \(hold.slo): \(hold.message))" }
        endInconclusive(reason, retryByItself: false)
        return decision(nil)
    }

    /// What the judge expects, in words: "at 2.5 req/s to the canary a verdict needs about 40m".
    static func expectation(_ s: RolloutStatus, ceiling: Double? = nil) -> String {
        let rate = s.canaryRequestRate.map { String(format: "%.3g req/s", $0) } ?? "the traffic so far"
        let limit = ceiling.map { "; progressDeadline auto holds a step up to \(DurationText.format($0))" } ?? ""
        guard let expected = s.verdictExpectedIn else { return "at \(rate) to the canary no verdict is in sight\(limit)" }
        return "at \(rate) to the canary a verdict needs at least about \(DurationText.format(max(60, (expected / 60).rounded(.up) * 60)))\(limit)"
    }

    /// Advance when the step has been held long enough with enough passing checks.
    mutating func advanceOrHold() -> Decision {
        let heldFor = now.timeIntervalSince(s.stepStartedAt ?? now)
        let evidence = s.successfulChecks >= spec.minSuccessfulChecks
        if evidence && heldFor >= spec.stepDuration {
            if spec.gates.contains(s.stepWeight) && !s.approvedGates.contains(s.stepWeight) {
                if s.phase != .paused { event(.normal, "Paused", "canary \(desired.version) waits at \(s.stepWeight)%: run `sluice promote \(spec.name)`") }
                s.phase = .paused
                s.message = "waiting at the \(s.stepWeight)% gate for `sluice promote \(spec.name)`"
                return decision(RolloutMachine.nextAnalysis(s, spec, now))
            }
            if s.step == spec.steps.count - 1 {
                promote("passed every step")
                return decision(nil)
            }
            s.step += 1
            s.stepWeight = spec.steps[s.step]
            s.stepStartedAt = now
            s.successfulChecks = 0
            s.phase = .progressing
            s.message = "canary \(desired.version) at \(s.stepWeight)%"
            event(.normal, "StepAdvanced", "canary \(desired.version) advanced to \(s.stepWeight)%")
            return decision(min(spec.analysisInterval, max(0.5, spec.stepDuration)))
        }
        s.phase = .progressing
        s.message = "canary \(desired.version) at \(s.stepWeight)%: \(s.successfulChecks)/\(spec.minSuccessfulChecks) checks passed"
        if let holding = s.lastAnalysis?.checks.first(where: { $0.outcome == .noData }), s.lastAnalysis?.weight == s.stepWeight {
            s.message += "; no verdict yet for SLO \(holding.slo): \(holding.message); \(Self.expectation(s))"
        }
        let untilStepEnd = max(0, spec.stepDuration - heldFor)
        let holdFor: Double
        switch spec.holdLimit {
        case .fixed(let d): holdFor = max(spec.stepDuration, d)
        case .auto: holdFor = max(spec.stepDuration, ModelDeploymentSpec.HoldLimit.floor)
        }
        // Past auto's floor the step ends at an analysis, when the estimate says so.
        let untilDeadline = heldFor >= holdFor && spec.holdLimit == .auto ? RolloutMachine.nextAnalysis(s, spec, now) : max(0, holdFor - heldFor)
        return decision(max(0.1, min(RolloutMachine.nextAnalysis(s, spec, now), evidence ? untilStepEnd : untilDeadline)))
    }
}
