import Foundation
import Values

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
            guard let n = requests(slo, errorRate: p, confidence: confidence, perLook: canaryRate * spec.analysisInterval) else { return nil }
            return VerdictEstimate(slo: slo.name, errorRate: p, requests: n, canaryRate: canaryRate)
        }
    }

    /// The requests by the first look at which events at `errorRate` pass or fail the SLO, with
    /// `perLook` requests between looks (nil: none up to a billion, the rate sits on the bound).
    /// Looks, not requests alone: how many intervals the counts span weighs them (`Dispersion`).
    static func requests(_ slo: SLO, errorRate p: Double, confidence: Double, perLook: Double) -> Double? {
        func decided(_ looks: Int) -> Bool {
            let check = look(looks, slo, errorRate: p, confidence: confidence, perLook: perLook)
            return check.outcome == .pass || check.outcome == .fail
        }
        var high = 2
        while !decided(high) {
            high *= 2
            if Double(high) * perLook > 1e9 { return nil }
        }
        var low = high / 2
        while high - low > 1 {
            let mid = (low + high) / 2
            if decided(mid) { high = mid } else { low = mid }
        }
        return Double(high) * perLook
    }

    /// The judge at the `looks`-th look of a canary whose errors came at exactly `errorRate`
    /// in every interval (so its intervals show no bursts: what they say of the rate is all).
    public static func look(_ looks: Int, _ slo: SLO, errorRate p: Double, confidence: Double, perLook: Double) -> SLOCheck {
        let before = Double(looks - 1) * perLook
        var state = JudgeState()
        state.intervals = looks - 1
        state.canaryEvents = p * before
        state.canaryRequests = before
        state.squaresOverRequests = p * p * before
        let n = Double(looks) * perLook
        return Judge.evaluate(slo, canary: .rate(events: .value(p * n), total: .value(n)), stable: nil, confidence: confidence, state: state)
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
