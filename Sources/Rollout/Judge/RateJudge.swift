import Foundation

/// Rates judged on their confidence sequences (`RateConfidence`): below `max` with confidence
/// passes, above fails; with `relativeToStable: r`, the canary's rate credibly above r × the
/// stable's fails (and, without `max`, credibly below it passes). With a stable comparison each
/// version's sequence runs at half the error rate, so the SLO's wrong verdicts stay within
/// 1 − confidence in all.
enum RateJudge {
    /// The prior when a rate has no bound of its own (relative-only SLOs): Jeffreys' Beta(½, ½),
    /// which favours no rate (the prior must be fixed before the data; one centred on a guessed
    /// rate would cost many requests when the guess is far off).
    static let neutral = RateConfidence.Prior(a: 0.5, b: 0.5)

    static func evaluate(_ slo: SLO, canary c: RateCounts, stable s: RateCounts?, confidence: Double, noun: String = "requests", eventNoun: String = "errors")
        -> SLOCheck
    {
        let alpha = 1 - confidence
        let relative = slo.relativeToStable.flatMap { r in s.map { (r, $0) } }
        let perArm = relative == nil ? alpha : alpha / 2
        let prior = slo.max.map(RateConfidence.Prior.centered(on:)) ?? neutral
        let (lower, upper) = RateConfidence.interval(events: c.events, trials: c.trials, alpha: perArm, prior: prior)
        var evidence = Evidence(test: "rate", confidence: confidence, samples: c.trials, estimate: c.estimate)
        evidence.events = c.events
        evidence.lower = lower
        evidence.upper = upper
        evidence.bound = slo.max
        var stableInterval: (lower: Double, upper: Double)?
        if let (_, s) = relative {
            let si = RateConfidence.interval(events: s.events, trials: s.trials, alpha: perArm, prior: prior)
            stableInterval = si
            evidence.stableSamples = s.trials
            evidence.stableEstimate = s.estimate
            evidence.stableLower = si.lower
            evidence.stableUpper = si.upper
        }
        let level = Judge.level(confidence)
        let described = "\(Judge.percent(c.estimate)) (\(level) interval \(Judge.percent(lower))–\(Judge.percent(upper))) of \(Judge.count(c.trials)) \(noun)"
        func check(_ outcome: SLOCheck.Outcome, _ message: String, threshold: Double? = slo.max) -> SLOCheck {
            SLOCheck(slo: slo.name, outcome: outcome, value: c.estimate, stableValue: s?.estimate, threshold: threshold, message: message, evidence: evidence)
        }

        if c.trials < Double(slo.minSamples) || (relative != nil && (s?.trials ?? 0) < Double(slo.minSamples)) {
            let short = max(Double(slo.minSamples) - c.trials, 0)
            evidence.needed = max(short, 1)
            let stableShort = relative != nil && (s?.trials ?? 0) < Double(slo.minSamples) ? "; the stable version has \(Judge.count(s?.trials ?? 0))" : ""
            return check(.noData, "not enough data: \(Judge.count(c.trials)) of the \(slo.minSamples) \(noun) minSamples asks for\(stableShort)")
        }
        // Failures first: evidence against the canary on any bound is enough.
        if let max = slo.max, RateConfidence.decide(events: c.events, trials: c.trials, bound: max, alpha: perArm, prior: prior) == .above {
            return check(.fail, "\(described): above max \(Judge.percent(max)) at \(level) confidence")
        }
        if let (r, s) = relative, let si = stableInterval, lower > r * si.upper {
            return check(
                .fail,
                "\(described): above \(format(r)) × the stable version's \(Judge.percent(s.estimate)) (interval up to \(Judge.percent(si.upper))) at \(level) confidence",
                threshold: r * si.upper)
        }
        // Then passes.
        if let max = slo.max {
            if RateConfidence.decide(events: c.events, trials: c.trials, bound: max, alpha: perArm, prior: prior) == .below {
                return check(.pass, "\(described): below max \(Judge.percent(max)) at \(level) confidence")
            }
            evidence.needed = RateConfidence.trialsNeeded(events: c.events, trials: c.trials, bound: max, alpha: perArm, prior: prior)
            return check(
                .noData,
                "\(described): not yet \(c.estimate < max ? "below" : "above") max \(Judge.percent(max)) at \(level) confidence; \(more(evidence.needed, noun))"
            )
        }
        guard let (r, s) = relative, let si = stableInterval else {
            return check(.noData, "\(described): no stable data to compare with")
        }
        if upper < r * si.lower {
            return check(
                .pass, "\(described): below \(format(r)) × the stable version's \(Judge.percent(s.estimate)) at \(level) confidence", threshold: r * si.lower)
        }
        evidence.needed = scaledNeeded(c, s) { c, s in
            let ci = RateConfidence.interval(events: c.events, trials: c.trials, alpha: perArm, prior: prior)
            let si = RateConfidence.interval(events: s.events, trials: s.trials, alpha: perArm, prior: prior)
            return ci.lower > r * si.upper || ci.upper < r * si.lower
        }
        return check(
            .noData,
            "\(described) against the stable version's \(Judge.percent(s.estimate)): not yet credibly different from \(format(r)) × it; \(more(evidence.needed, noun))",
            threshold: nil)
    }

    static func more(_ needed: Double?, _ noun: String) -> String {
        guard let needed else { return "no verdict while the rate stays at the bound" }
        return "about \(Judge.count(needed)) more \(noun) for a verdict"
    }

    static func format(_ r: Double) -> String { r == r.rounded() ? String(Int(r)) : String(format: "%g", r) }

    /// More canary requests a verdict needs if both versions keep their rates and their share
    /// of traffic (nil: none would).
    static func scaledNeeded(_ c: RateCounts, _ s: RateCounts, decided: (RateCounts, RateCounts) -> Bool) -> Double? {
        func at(_ k: Double) -> Bool {
            decided(RateCounts(events: c.events * k, trials: c.trials * k), RateCounts(events: s.events * k, trials: s.trials * k))
        }
        guard c.trials > 0 else { return nil }
        var hi = 2.0
        while !at(hi) {
            hi *= 2
            if hi > 1e9 { return nil }
        }
        var lo = hi / 2
        while (hi - lo) * c.trials > max(1, lo * c.trials * 0.01) {
            let mid = (lo + hi) / 2
            if at(mid) { hi = mid } else { lo = mid }
        }
        return ((hi - 1) * c.trials).rounded(.up)
    }
}
