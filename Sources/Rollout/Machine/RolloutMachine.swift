public import Foundation

/// The canary state machine: status + observation → next status and what to do. Pure: the same
/// inputs always give the same decision, which is what makes it exhaustively testable and a
/// controller restart in any state safe. Each phase of a decision is one function of
/// `RolloutStep`, taken in order until one decides.
public enum RolloutMachine {
    /// How often to look at a canary whose pods are not ready yet.
    public static let readinessPoll = 2.0
    /// The longest wait before an inconclusive canary is tried again.
    public static let maxRetryBackoff = 1800.0

    /// Whether SLO queries should run before the next decision: a ready canary of the version
    /// git names, one interval after the last analysis (or the step's start).
    public static func analysisDue(_ s: RolloutStatus, spec: ModelDeploymentSpec, now: Date, canary: WorkloadState) -> Bool {
        guard let c = s.canary, c.version == spec.version, s.phase == .progressing || s.phase == .paused, canary == .ready else { return false }
        let last = s.lastAnalysisAt ?? s.stepStartedAt ?? now
        return now.timeIntervalSince(last) >= spec.analysisInterval - 0.001
    }

    /// Whether to ask if the SLO queries answer again (`Observation.queriesAnswer`): an
    /// inconclusive canary of the version git names, held, and due to be started again.
    public static func probeDue(_ s: RolloutStatus, spec: ModelDeploymentSpec, now: Date) -> Bool {
        guard let i = s.inconclusive, i.holding, i.version == spec.version, let at = i.retryAt else { return false }
        return now >= at
    }

    /// How long an inconclusive canary waits before it is started again: five analysis intervals
    /// (at least 10 s), doubling with each retry, at most half an hour.
    public static func retryBackoff(_ spec: ModelDeploymentSpec, retries: Int) -> Double {
        min(maxRetryBackoff, max(10, 5 * spec.analysisInterval) * pow(2, Double(min(retries, 20))))
    }

    public static func next(_ status: RolloutStatus, _ o: Observation) -> Decision {
        var step = RolloutStep(status, o)
        return step.decide()
    }

    static func nextAnalysis(_ s: RolloutStatus, _ spec: ModelDeploymentSpec, _ now: Date) -> Double {
        let last = s.lastAnalysisAt ?? s.stepStartedAt ?? now
        return max(0.1, spec.analysisInterval - now.timeIntervalSince(last))
    }
}
