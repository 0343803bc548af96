public import Foundation

/// The state of a version's Deployment, as the controller observed it.
public enum WorkloadState: Sendable, Equatable {
    case missing
    case progressing
    case ready
    /// It will not become ready (progress deadline exceeded, image cannot be pulled...).
    case failed(String)
}

/// What a user asked for through `sluice promote`, `sluice abort` or `sluice retry`.
public enum RolloutCommand: Sendable, Equatable {
    /// Pass the current gate, or with `full` skip straight to promotion.
    case promote(full: Bool)
    case abort
    case retry(version: String)
}

/// Everything the machine looks at for one decision. The controller gathers it; the machine
/// never does I/O.
public struct Observation: Sendable {
    public var now: Date
    public var spec: ModelDeploymentSpec
    public var generation: Int
    public var revision: String?
    public var stable: WorkloadState
    public var canary: WorkloadState
    /// SLO checks run for this decision (nil when no analysis was due).
    public var analysis: [SLOCheck]?
    /// Commands with a unique id each, so each acts once.
    public var commands: [(id: String, command: RolloutCommand)]

    public init(now: Date, spec: ModelDeploymentSpec, generation: Int = 1, revision: String? = nil, stable: WorkloadState, canary: WorkloadState, analysis: [SLOCheck]? = nil, commands: [(id: String, command: RolloutCommand)] = []) {
        self.now = now
        self.spec = spec
        self.generation = generation
        self.revision = revision
        self.stable = stable
        self.canary = canary
        self.analysis = analysis
        self.commands = commands
    }
}

/// Which versions should run and how traffic splits between them.
public struct Topology: Sendable, Equatable {
    public var stable: VersionSpec?
    public var canary: VersionSpec?
    /// Percentage requested for the canary (0: no traffic, its pods scaled to zero).
    public var canaryWeight: Int
    /// Versions that failed: the Deployment of any of them that still runs (at zero replicas)
    /// is marked, so the failure outlives the status (see `DeploymentRecord`).
    public var failed: [FailedVersion]

    public init(stable: VersionSpec?, canary: VersionSpec?, canaryWeight: Int, failed: [FailedVersion] = []) {
        self.stable = stable
        self.canary = canary
        self.canaryWeight = canaryWeight
        self.failed = failed
    }
}

public struct RolloutEvent: Sendable, Equatable {
    public enum Kind: String, Sendable { case normal = "Normal", warning = "Warning" }
    public var kind: Kind
    public var reason: String
    public var message: String
}

/// Ask to commit a revert of the model version in git (spec.rollback.revertCommit).
public struct RevertRequest: Sendable, Equatable {
    public var failedVersion: String
    public var stable: VersionSpec
    public var reason: String

    public init(failedVersion: String, stable: VersionSpec, reason: String) {
        self.failedVersion = failedVersion
        self.stable = stable
        self.reason = reason
    }
}

public struct Decision: Sendable {
    public var status: RolloutStatus
    public var topology: Topology
    /// Versions whose Deployments should be deleted.
    public var retire: [String]
    public var events: [RolloutEvent]
    /// When to look again (nil: only on change).
    public var requeueAfter: Double?
    public var revert: RevertRequest?
}

/// The canary state machine: status + observation → next status and what to do. Pure: the same
/// inputs always give the same decision, which is what makes it exhaustively testable and a
/// controller restart in any state safe.
public enum RolloutMachine {
    /// How often to look at a canary whose pods are not ready yet.
    public static let readinessPoll = 2.0

    /// Whether SLO queries should run before the next decision: a ready canary of the version
    /// git names, one interval after the last analysis (or the step's start).
    public static func analysisDue(_ s: RolloutStatus, spec: ModelDeploymentSpec, now: Date, canary: WorkloadState) -> Bool {
        guard let c = s.canary, c.version == spec.version, s.phase == .progressing || s.phase == .paused, canary == .ready else { return false }
        let last = s.lastAnalysisAt ?? s.stepStartedAt ?? now
        return now.timeIntervalSince(last) >= spec.analysisInterval - 0.001
    }

    public static func next(_ status: RolloutStatus, _ o: Observation) -> Decision {
        var s = status
        var events: [RolloutEvent] = []
        var retire: [String] = []
        var revert: RevertRequest?
        let spec = o.spec
        let desired = VersionSpec(spec)
        let now = o.now
        s.observedGeneration = o.generation
        if let r = o.revision { s.sourceRevision = r }

        func event(_ kind: RolloutEvent.Kind, _ reason: String, _ message: String) {
            events.append(RolloutEvent(kind: kind, reason: reason, message: message))
        }
        func topology() -> Topology {
            Topology(stable: s.stable, canary: s.canary, canaryWeight: s.canary == nil ? 0 : s.stepWeight, failed: s.failedVersions)
        }
        func decision(_ requeue: Double?) -> Decision {
            s.canaryWeight = Placement.compute(spec: spec, canaryWeight: topology().canaryWeight, hasCanary: s.canary != nil).effectiveWeight
            return Decision(status: s, topology: topology(), retire: retire, events: events, requeueAfter: requeue, revert: revert)
        }
        func rollback(_ reason: String, check: SLOCheck? = nil) {
            guard let canary = s.canary, let stable = s.stable else { return }
            s.failedVersions.removeAll { $0.version == canary.version }
            s.failedVersions.append(FailedVersion(version: canary.version, reason: reason, slo: check?.slo, value: check?.value, threshold: check?.threshold, time: now))
            s.record(canary.version, "RolledBack", reason, at: now)
            s.phase = .rolledBack
            s.stepWeight = 0
            s.message = "version \(canary.version) rolled back: \(reason); traffic is on \(stable.version)"
            event(.warning, "RolledBack", s.message)
            if spec.revertCommit { revert = RevertRequest(failedVersion: canary.version, stable: stable, reason: reason) }
        }
        func promote(_ how: String) {
            guard let canary = s.canary else { return }
            if let old = s.stable, old.version != canary.version { retire.append(old.version) }
            s.record(canary.version, "Promoted", how, at: now)
            s.stable = canary
            s.canary = nil
            s.stepWeight = 0
            s.phase = .succeeded
            s.successfulChecks = 0
            s.failedChecks = 0
            s.consecutiveErrors = 0
            s.approvedGates = []
            s.message = "version \(canary.version) promoted (\(how))"
            event(.normal, "Promoted", s.message)
        }

        // Commands first: each acts once.
        var promoteFull = false
        for (id, command) in o.commands where !s.handledCommands.contains(id) {
            s.handledCommands.append(id)
            if s.handledCommands.count > 20 { s.handledCommands.removeFirst(s.handledCommands.count - 20) }
            switch command {
            case .retry(let version):
                if s.isFailed(version) {
                    s.failedVersions.removeAll { $0.version == version }
                    if s.canary?.version == version { s.canary = nil }
                    event(.normal, "RetryRequested", "version \(version) may be tried again")
                }
            case .abort:
                if s.canary != nil, s.phase == .progressing || s.phase == .paused {
                    rollback("aborted by the user")
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

        // No stable version yet: the first version goes straight to 100%, unless it is one that
        // failed (its Deployment is marked, and the status was rebuilt from it).
        if s.stable == nil, let failed = s.failedVersions.first(where: { $0.version == desired.version }) {
            s.phase = .rolledBack
            s.stepWeight = 0
            s.message = "version \(desired.version) failed (\(failed.reason)) and no other version is known to serve; it is not deployed until git names another version or `sluice retry` is run"
            return decision(nil)
        }
        guard let stable = s.stable else {
            s.stable = desired
            s.phase = .progressing
            s.message = "deploying the first version \(desired.version)"
            s.record(desired.version, "Deployed", "first version", at: now)
            event(.normal, "Deploying", s.message)
            return decision(readinessPoll)
        }
        // Git names the stable version: no canary (a canary in flight is abandoned).
        if desired.version == stable.version {
            if let canary = s.canary, canary.version != stable.version {
                retire.append(canary.version)
                s.record(canary.version, "Abandoned", "git names \(stable.version) again", at: now)
                event(.normal, "CanaryAbandoned", "git names \(stable.version) again; canary \(canary.version) removed")
                s.canary = nil
            }
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
                return decision(readinessPoll * 5)
            default:
                s.phase = .progressing
                s.message = "rolling out \(stable.version)"
                return decision(readinessPoll)
            }
        }

        // A version that failed is not retried until git names another one (or sluice retry).
        if let failed = s.failedVersions.first(where: { $0.version == desired.version }) {
            s.phase = .rolledBack
            s.stepWeight = 0
            s.message = "version \(desired.version) failed (\(failed.reason)); traffic stays on \(stable.version) until git names another version or `sluice retry` is run"
            if s.canary?.version != desired.version { s.canary = nil }
            return decision(nil)
        }

        // A new version in git: start (or restart) a canary against the stable version.
        if s.canary == nil || s.canary?.version != desired.version {
            if let old = s.canary {
                retire.append(old.version)
                s.record(old.version, "Superseded", "git names \(desired.version)", at: now)
                event(.normal, "CanarySuperseded", "canary \(old.version) replaced by \(desired.version)")
            }
            s.canary = desired
            s.step = 0
            s.stepWeight = spec.steps[0]
            s.canaryStartedAt = now
            s.stepStartedAt = now
            s.lastAnalysisAt = nil
            s.successfulChecks = 0
            s.failedChecks = 0
            s.consecutiveErrors = 0
            s.approvedGates = []
            s.lastAnalysis = nil
            s.phase = .progressing
            s.message = "canary \(desired.version) at \(s.stepWeight)%"
            s.record(desired.version, "CanaryStarted", "against \(stable.version)", at: now)
            event(.normal, "CanaryStarted", "canary \(desired.version) started at \(s.stepWeight)% against \(stable.version)")
            return decision(readinessPoll)
        }
        if let canary = s.canary, canary.templateHash != desired.templateHash {
            s.canary = desired
            s.stepStartedAt = now
            s.successfulChecks = 0
            event(.normal, "CanaryUpdated", "canary \(desired.version) changed; step \(s.stepWeight)% restarts")
        }
        // The step list may have changed mid-rollout: keep the weight reached, clamp the index.
        if let i = spec.steps.firstIndex(where: { $0 >= s.stepWeight }) {
            s.step = i
            s.stepWeight = spec.steps[i]
        } else {
            s.step = spec.steps.count - 1
            s.stepWeight = spec.steps.last!
        }

        // The canary's pods must become ready first.
        switch o.canary {
        case .failed(let why):
            rollback("canary never became ready: \(why)")
            return decision(nil)
        case .missing, .progressing:
            let waited = now.timeIntervalSince(s.canaryStartedAt ?? now)
            if waited >= spec.progressDeadline {
                rollback("canary not ready after \(DurationText.format(waited)) (progressDeadline \(DurationText.format(spec.progressDeadline)))")
                return decision(nil)
            }
            s.phase = .progressing
            s.message = "waiting for canary \(desired.version) pods (\(s.stepWeight)%)"
            return decision(min(readinessPoll, spec.progressDeadline - waited))
        case .ready:
            break
        }

        if promoteFull {
            promote("promoted by the user, skipping the remaining steps")
            return decision(nil)
        }

        // Analysis results from this round.
        if let checks = o.analysis {
            s.lastAnalysisAt = now
            s.lastAnalysis = AnalysisRecord(time: now, weight: s.stepWeight, checks: checks)
            let failures = checks.filter { $0.outcome == .fail }
            let errors = checks.filter { $0.outcome == .error }
            let noData = checks.filter { $0.outcome == .noData }
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
                    rollback("analysis failed \(s.consecutiveErrors) times in a row: \(first.message)")
                    return decision(nil)
                }
                event(.warning, "AnalysisError", "SLO \(first.slo): \(first.message) (\(s.consecutiveErrors) of \(spec.errorLimit) tolerated)")
            } else if let first = noData.first {
                s.consecutiveErrors = 0
                s.message = "no data for SLO \(first.slo) at \(s.stepWeight)%: holding"
            } else {
                s.consecutiveErrors = 0
                s.successfulChecks += 1
            }
        }

        // Advance when the step has been held long enough with enough passing checks.
        let heldFor = now.timeIntervalSince(s.stepStartedAt ?? now)
        let evidence = s.successfulChecks >= spec.minSuccessfulChecks
        if evidence && heldFor >= spec.stepDuration {
            if spec.gates.contains(s.stepWeight) && !s.approvedGates.contains(s.stepWeight) {
                if s.phase != .paused { event(.normal, "Paused", "canary \(desired.version) waits at \(s.stepWeight)%: run `sluice promote \(spec.name)`") }
                s.phase = .paused
                s.message = "waiting at the \(s.stepWeight)% gate for `sluice promote \(spec.name)`"
                return decision(nextAnalysis(s, spec, now))
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
        if let missing = s.lastAnalysis?.checks.first(where: { $0.outcome == .noData }), s.lastAnalysis?.weight == s.stepWeight {
            s.message += "; no data for SLO \(missing.slo): holding"
        }
        let untilStepEnd = max(0, spec.stepDuration - heldFor)
        return decision(max(0.1, min(nextAnalysis(s, spec, now), evidence ? untilStepEnd : .infinity)))
    }

    static func nextAnalysis(_ s: RolloutStatus, _ spec: ModelDeploymentSpec, _ now: Date) -> Double {
        let last = s.lastAnalysisAt ?? s.stepStartedAt ?? now
        return max(0.1, spec.analysisInterval - now.timeIntervalSince(last))
    }
}
