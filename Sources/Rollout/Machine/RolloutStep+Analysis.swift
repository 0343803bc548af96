import Foundation

extension RolloutStep {
    /// This round's SLO checks. A failure counts towards `failureLimit` and then rolls back; an
    /// error (the query could not run) counts towards `errorLimit` and then ends the canary as
    /// inconclusive; no verdict holds. A round without failures or errors resets the error count.
    mutating func judgeAnalysis() -> Decision? {
        guard let checks = o.analysis else { return nil }
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

    /// A step held without enough passing checks for `progressDeadline` (and at least its
    /// `stepDuration`) ends: the canary goes back to no traffic, inconclusive.
    mutating func endStepWithoutVerdict() -> Decision? {
        let heldFor = now.timeIntervalSince(s.stepStartedAt ?? now)
        guard s.successfulChecks < spec.minSuccessfulChecks, heldFor >= max(spec.stepDuration, spec.progressDeadline) else { return nil }
        var reason = "no verdict at \(s.stepWeight)% within progressDeadline \(DurationText.format(spec.progressDeadline))"
        if let hold = s.lastAnalysis?.checks.first(where: { $0.outcome != .pass }) { reason += " (SLO \(hold.slo): \(hold.message))" }
        endInconclusive(reason, retryByItself: false)
        return decision(nil)
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
            s.message += "; no verdict yet for SLO \(holding.slo): \(holding.message)"
        }
        let untilStepEnd = max(0, spec.stepDuration - heldFor)
        let untilDeadline = max(0, max(spec.stepDuration, spec.progressDeadline) - heldFor)
        return decision(max(0.1, min(RolloutMachine.nextAnalysis(s, spec, now), evidence ? untilStepEnd : untilDeadline)))
    }
}
