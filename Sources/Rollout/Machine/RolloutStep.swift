import Foundation
import Values

/// One decision of `RolloutMachine`, phase by phase: each function either decides (returns the
/// decision) or lets the next one look. The order is the rules' priority: commands, the first
/// deployment, git naming the stable version, failed and inconclusive versions, a new canary,
/// the canary's readiness, the analysis, then advancing.
struct RolloutStep {
    var s: RolloutStatus
    let o: Observation
    let desired: VersionSpec
    var events: [RolloutEvent] = []
    var retire: [String] = []
    var revert: RevertRequest?
    var promoteFull = false

    var spec: ModelDeploymentSpec { o.spec }
    var now: Date { o.now }

    init(_ status: RolloutStatus, _ o: Observation) {
        s = status
        self.o = o
        desired = VersionSpec(o.spec)
        s.observedGeneration = o.generation
        if let r = o.revision { s.sourceRevision = r }
    }

    mutating func decide() -> Decision {
        if let d = handleCommands() { return d }
        if let d = deployFirstVersion() { return d }
        if let d = followStableInGit() { return d }
        if let d = holdFailedVersion() { return d }
        if let d = holdInconclusiveVersion() { return d }
        if let d = startNewCanary() { return d }
        followCanaryChanges()
        if let d = waitForCanaryPods() { return d }
        if promoteFull {
            promote("promoted by the user, skipping the remaining steps")
            return decision(nil)
        }
        if let d = judgeAnalysis() { return d }
        if let d = endStepWithoutVerdict() { return d }
        return advanceOrHold()
    }

    // MARK: outcome

    mutating func event(_ kind: RolloutEvent.Kind, _ reason: String, _ message: String) {
        events.append(RolloutEvent(kind: kind, reason: reason, message: message))
    }

    func topology() -> Topology {
        Topology(stable: s.stable, canary: s.canary, canaryWeight: s.canary == nil ? 0 : s.stepWeight, failed: s.failedVersions, scale: scalePlan())
    }

    /// Every phase ends here; a hand-over continues after whatever the phase decided (so a
    /// version git went back to is never scaled down under its new canary).
    mutating func decision(_ requeue: Double?) -> Decision {
        continueHandover()
        let topology = topology()
        s.canaryWeight = Placement.compute(spec: spec, canaryWeight: topology.canaryWeight, hasCanary: s.canary != nil, scale: topology.scale).effectiveWeight
        s.scaling = spec.autoscaling == nil ? nil : o.scale
        return Decision(status: s, topology: topology, retire: retire, events: events, requeueAfter: handoverRequeue(requeue), revert: revert)
    }

    // MARK: commands

    /// Each command acts once (its id is remembered).
    mutating func handleCommands() -> Decision? {
        for (id, command) in o.commands where !s.handledCommands.contains(id) {
            s.handledCommands.append(id)
            if s.handledCommands.count > 20 { s.handledCommands.removeFirst(s.handledCommands.count - 20) }
            switch command {
            case .retry(let version):
                let wasInconclusive = s.inconclusive?.version == version
                if s.isFailed(version) || wasInconclusive {
                    s.failedVersions.removeAll { $0.version == version }
                    if wasInconclusive { s.inconclusive = nil }
                    if s.canary?.version == version { s.canary = nil }
                    event(.normal, "RetryRequested", "version \(version) may be tried again")
                }
            case .abort:
                if s.canary != nil, s.phase == .progressing || s.phase == .paused {
                    rollback("aborted by the user")
                    return decision(nil)
                }
                if let i = s.inconclusive, i.holding, s.canary?.version == i.version {
                    // Aborting a canary that waits to be tried again: it is not tried again.
                    markFailed(i.version, reason: "aborted by the user (after: \(i.reason))")
                    s.inconclusive = nil
                    s.message = "version \(i.version) aborted; traffic stays on \(s.stable?.version ?? "the stable version")"
                    event(.warning, "Aborted", s.message)
                    return decision(nil)
                }
            case .promote(let full):
                guard s.canary != nil, s.phase == .progressing || s.phase == .paused else { continue }
                if full {
                    promoteFull = true
                } else if !s.approvedGates.contains(s.stepWeight) {
                    s.approvedGates.append(s.stepWeight)
                    event(.normal, "GateApproved", "gate at \(s.stepWeight)% approved")
                }
            }
        }
        return nil
    }

    // MARK: which version runs

    /// No stable version yet: the first version goes straight to 100%, unless it is one that
    /// failed (its Deployment is marked, and the status was rebuilt from it).
    mutating func deployFirstVersion() -> Decision? {
        guard s.stable == nil else { return nil }
        if let failed = s.failedVersions.first(where: { $0.version == desired.version }) {
            s.phase = .rolledBack
            s.stepWeight = 0
            s.message =
                "version \(desired.version) failed (\(failed.reason)) and no other version is known to serve; it is not deployed until git names another version or `sluice retry` is run"
            return decision(nil)
        }
        s.stable = desired
        s.phase = .progressing
        s.message = "deploying the first version \(desired.version)"
        s.record(desired.version, "Deployed", "first version", at: now)
        event(.normal, "Deploying", s.message)
        return decision(RolloutMachine.readinessPoll)
    }

    /// Git names the stable version: no canary (a canary in flight is abandoned).
    mutating func followStableInGit() -> Decision? {
        guard let stable = s.stable, desired.version == stable.version else { return nil }
        if let canary = s.canary, canary.version != stable.version {
            retire.append(canary.version)
            s.record(canary.version, "Abandoned", "git names \(stable.version) again", at: now)
            event(.normal, "CanaryAbandoned", "git names \(stable.version) again; canary \(canary.version) removed")
            s.canary = nil
        }
        s.inconclusive = nil
        if desired.templateHash != stable.templateHash {
            s.stable = desired
            event(.normal, "StableUpdated", "configuration of \(stable.version) changed; rolling it in place")
        }
        s.stepWeight = 0
        switch o.stable {
        case .ready:
            s.phase = .succeeded
            s.message = "version \(stable.version) is stable"
            return decision(nil)
        case .failed(let why):
            s.phase = .failed
            s.message = "version \(stable.version) is not available: \(why)"
            return decision(RolloutMachine.readinessPoll * 5)
        default:
            s.phase = .progressing
            s.message = "rolling out \(stable.version)"
            return decision(RolloutMachine.readinessPoll)
        }
    }

    /// A version that failed is not retried until git names another one (or sluice retry).
    mutating func holdFailedVersion() -> Decision? {
        guard let stable = s.stable, let failed = s.failedVersions.first(where: { $0.version == desired.version }) else { return nil }
        s.phase = .rolledBack
        s.stepWeight = 0
        s.message =
            "version \(desired.version) failed (\(failed.reason)); traffic stays on \(stable.version) until git names another version or `sluice retry` is run"
        if s.canary?.version != desired.version { s.canary = nil }
        return decision(nil)
    }

    /// A canary that ended without a verdict waits at no traffic; when it is due and the SLO
    /// queries answer again it starts over, else it waits twice as long.
    mutating func holdInconclusiveVersion() -> Decision? {
        guard var i = s.inconclusive, i.holding, i.version == desired.version, let stable = s.stable else { return nil }
        s.phase = .rolledBack
        s.stepWeight = 0
        if let at = i.retryAt, now >= at, let answer = o.queriesAnswer {
            if answer {
                i.retries += 1
                i.holding = false
                s.inconclusive = i
                event(.normal, "RetryingInconclusive", "the SLO queries answer again: canary \(desired.version) starts over (retry \(i.retries))")
                return startCanary(reason: "retry \(i.retries) after an inconclusive canary")
            }
            i.retries += 1
            i.retryAt = now.addingTimeInterval(RolloutMachine.retryBackoff(spec, retries: i.retries))
            s.inconclusive = i
        }
        let next =
            i.retryAt.map { "it is tried again from \($0.formatted(.iso8601)) once its SLO queries answer" }
            ?? "run `sluice retry \(spec.name)` to try it again, or commit another version"
        s.message = "canary \(i.version) inconclusive (\(i.reason)); traffic stays on \(stable.version); it is not marked failed, and \(next)"
        return decision(i.retryAt.map { max(0.5, $0.timeIntervalSince(now)) })
    }

    /// A new version in git: start (or restart) a canary against the stable version.
    mutating func startNewCanary() -> Decision? {
        guard s.canary == nil || s.canary?.version != desired.version else { return nil }
        if s.inconclusive?.version != desired.version { s.inconclusive = nil }
        return startCanary(reason: nil)
    }

    mutating func startCanary(reason: String?) -> Decision {
        if let old = s.canary, old.version != desired.version {
            retire.append(old.version)
            s.record(old.version, "Superseded", "git names \(desired.version)", at: now)
            event(.normal, "CanarySuperseded", "canary \(old.version) replaced by \(desired.version)")
        }
        let stable = s.stable?.version ?? "-"
        s.canary = desired
        s.step = 0
        s.stepWeight = spec.steps[0]
        s.canaryStartedAt = now
        s.canaryWaitingSince = now
        s.stepStartedAt = now
        s.lastAnalysisAt = nil
        s.successfulChecks = 0
        s.failedChecks = 0
        s.consecutiveErrors = 0
        s.approvedGates = []
        s.lastAnalysis = nil
        s.analyses = 0
        s.judge = [:]
        s.canaryRequests = nil
        s.canaryRequestRate = nil
        s.verdictExpectedIn = nil
        s.phase = .progressing
        s.message = "canary \(desired.version) at \(s.stepWeight)%"
        s.record(desired.version, "CanaryStarted", reason ?? "against \(stable)", at: now)
        event(.normal, "CanaryStarted", "canary \(desired.version) started at \(s.stepWeight)% against \(stable)")
        return decision(RolloutMachine.readinessPoll)
    }

    /// The canary's pod template or the step list changed mid-rollout.
    mutating func followCanaryChanges() {
        if let canary = s.canary, canary.templateHash != desired.templateHash {
            s.canary = desired
            s.stepStartedAt = now
            s.successfulChecks = 0
            event(.normal, "CanaryUpdated", "canary \(desired.version) changed; step \(s.stepWeight)% restarts")
        }
        // Keep the weight reached, clamp the index.
        if let i = spec.steps.firstIndex(where: { $0 >= s.stepWeight }) {
            s.step = i
            s.stepWeight = spec.steps[i]
        } else {
            s.step = spec.steps.count - 1
            s.stepWeight = spec.steps.last!
        }
    }

    /// The canary's pods must become ready first.
    mutating func waitForCanaryPods() -> Decision? {
        switch o.canary {
        case .failed(let why):
            rollback("canary never became ready: \(why)")
            return decision(nil)
        case .missing, .progressing:
            let since = s.canaryWaitingSince ?? now
            s.canaryWaitingSince = since
            let waited = now.timeIntervalSince(since)
            if waited >= spec.progressDeadline {
                rollback("canary not ready for \(DurationText.format(waited)) (progressDeadline \(DurationText.format(spec.progressDeadline)))")
                return decision(nil)
            }
            s.phase = .progressing
            s.message = "waiting for canary \(desired.version) pods (\(s.stepWeight)%)"
            return decision(min(RolloutMachine.readinessPoll, spec.progressDeadline - waited))
        case .ready:
            s.canaryWaitingSince = nil
            return nil
        }
    }

    // MARK: endings

    mutating func markFailed(_ version: String, reason: String, check: SLOCheck? = nil) {
        s.failedVersions.removeAll { $0.version == version }
        s.failedVersions.append(FailedVersion(version: version, reason: reason, slo: check?.slo, value: check?.value, threshold: check?.threshold, time: now))
    }

    /// Evidence against the canary (or the user): traffic back on stable, the version failed.
    mutating func rollback(_ reason: String, check: SLOCheck? = nil) {
        guard let canary = s.canary, let stable = s.stable else { return }
        markFailed(canary.version, reason: reason, check: check)
        s.inconclusive = nil
        s.record(canary.version, "RolledBack", reason, at: now)
        s.phase = .rolledBack
        s.stepWeight = 0
        s.message = "version \(canary.version) rolled back: \(reason); traffic is on \(stable.version)"
        event(.warning, "RolledBack", s.message)
        if spec.revertCommit { revert = RevertRequest(failedVersion: canary.version, stable: stable, reason: reason) }
    }

    /// No verdict: traffic back on stable as for a rollback, but the version is not failed —
    /// nothing was learned against it.
    mutating func endInconclusive(_ reason: String, retryByItself: Bool) {
        guard let canary = s.canary, let stable = s.stable else { return }
        let retries = s.inconclusive?.version == canary.version ? s.inconclusive?.retries ?? 0 : 0
        let retryAt = retryByItself ? now.addingTimeInterval(RolloutMachine.retryBackoff(spec, retries: retries)) : nil
        s.inconclusive = InconclusiveVersion(version: canary.version, reason: reason, time: now, retries: retries, retryAt: retryAt, holding: true)
        s.record(canary.version, "Inconclusive", reason, at: now)
        s.phase = .rolledBack
        s.stepWeight = 0
        let next =
            retryAt.map { "it starts over by itself from \($0.formatted(.iso8601)) once its SLO queries answer (sluice abort stops that)" }
            ?? "run `sluice retry \(spec.name)` to try it again"
        s.message = "canary \(canary.version) inconclusive: \(reason); traffic is back on \(stable.version); it is not marked failed, and \(next)"
        event(.warning, "Inconclusive", s.message)
    }

    mutating func promote(_ how: String) {
        guard let canary = s.canary else { return }
        if let old = s.stable, old.version != canary.version { retireOrHandOver(old.version) }
        s.record(canary.version, "Promoted", how, at: now)
        s.stable = canary
        s.canary = nil
        s.inconclusive = nil
        s.stepWeight = 0
        s.phase = .succeeded
        s.successfulChecks = 0
        s.failedChecks = 0
        s.consecutiveErrors = 0
        s.approvedGates = []
        s.message = "version \(canary.version) promoted (\(how))"
        event(.normal, "Promoted", s.message)
    }
}
