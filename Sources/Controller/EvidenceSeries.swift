import Rollout

/// What a look's verdict rests on, as gauges per SLO and role (`canary`, `stable`): the
/// estimate, the confidence bounds, the samples, and the threshold it was held against — the
/// judge's evidence where a dashboard can plot it, not only the outcome.
enum EvidenceSeries {
    struct Value {
        var metric: String
        var role: String
        var value: Double
    }

    static func values(of check: SLOCheck) -> [Value] {
        var out: [Value] = []
        func add(_ metric: String, _ role: String, _ v: Double?) { if let v { out.append(Value(metric: metric, role: role, value: v)) } }
        if let e = check.evidence {
            add("sluice_slo_estimate", "canary", e.estimate)
            add("sluice_slo_lower_bound", "canary", e.lower)
            add("sluice_slo_upper_bound", "canary", e.upper)
            add("sluice_slo_samples", "canary", e.samples)
            add("sluice_slo_estimate", "stable", e.stableEstimate)
            add("sluice_slo_lower_bound", "stable", e.stableLower)
            add("sluice_slo_upper_bound", "stable", e.stableUpper)
            add("sluice_slo_samples", "stable", e.stableSamples)
        } else {
            // A threshold SLO has a point estimate per version and no interval.
            add("sluice_slo_estimate", "canary", check.value)
            add("sluice_slo_estimate", "stable", check.stableValue)
        }
        add("sluice_slo_threshold", "canary", check.threshold)
        return out
    }
}
