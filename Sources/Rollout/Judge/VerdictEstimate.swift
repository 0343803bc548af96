import Foundation

/// How long a canary needs for a verdict before it has served anything: what `sluice validate
/// --traffic` says. It asks the judge itself (the rate test, at the confidence the SLOs share)
/// how many canary requests a count-based SLO needs to pass when the canary's error rate is
/// `errorRate`, and turns that into time at the first step's share of the traffic (counts run
/// across steps, so the first verdict is the slow one).
public struct VerdictEstimate: Sendable, Equatable {
    public var slo: String
    public var errorRate: Double
    public var requests: Double
    /// Requests per second to the canary at the first step.
    public var canaryRate: Double
    public var seconds: Double { requests / canaryRate }

    /// One estimate per count-based SLO with `max` or `min` (one judged only relative to the
    /// stable version has no stable traffic to estimate from, and is left out). `errorRate`:
    /// the rate the new version is expected to have; nil, half way from 0 to `max` (or from
    /// `min` to 1).
    public static func estimates(_ spec: ModelDeploymentSpec, traffic: Double, errorRate: Double? = nil) -> [VerdictEstimate] {
        let canaryRate = traffic * Double(spec.steps.first ?? 100) / 100
        guard canaryRate > 0 else { return [] }
        let confidence = Judge.confidence(spec.confidence, sharedBy: spec.slos)
        return spec.slos.compactMap { slo in
            guard case .rate = slo.measure, slo.relativeToStable == nil, let bound = slo.max ?? slo.min else { return nil }
            let p = errorRate ?? (slo.max != nil ? bound / 2 : (1 + bound) / 2)
            guard let n = requests(slo, errorRate: p, confidence: confidence) else { return nil }
            return VerdictEstimate(slo: slo.name, errorRate: p, requests: n, canaryRate: canaryRate)
        }
    }

    /// The fewest requests at which events at `errorRate` pass or fail the SLO (nil: none up to a
    /// billion, the rate sits on the bound).
    static func requests(_ slo: SLO, errorRate p: Double, confidence: Double) -> Double? {
        // A canary past its first interval: a verdict waits for a second (RateJudge).
        var state = JudgeState()
        state.intervals = 1
        func decided(_ n: Double) -> Bool {
            let check = Judge.evaluate(
                slo, canary: .rate(events: .value((p * n).rounded()), total: .value(n.rounded())), stable: nil, confidence: confidence, state: state)
            return check.outcome == .pass || check.outcome == .fail
        }
        var high = max(10, Double(slo.minSamples))
        while !decided(high) {
            high *= 2
            if high > 1e9 { return nil }
        }
        var low = high / 2
        while high - low > max(1, high / 100) {
            let mid = (low + high) / 2
            if decided(mid) { high = mid } else { low = mid }
        }
        return high.rounded(.up)
    }

    /// How long a step may hold for it: a fixed progressDeadline (at least the step's duration),
    /// or the ceiling of `auto`.
    public static func holdLimit(_ spec: ModelDeploymentSpec) -> (seconds: Double, name: String) {
        switch spec.holdLimit {
        case .fixed(let d): (max(d, spec.stepDuration), "progressDeadline is \(DurationText.format(d))")
        case .auto:
            (ModelDeploymentSpec.HoldLimit.ceiling, "progressDeadline auto holds a step up to \(DurationText.format(ModelDeploymentSpec.HoldLimit.ceiling))")
        }
    }
}
