import Foundation

/// Rates judged on their confidence sequences (`RateConfidence`): below `max` with confidence
/// passes, above fails. With `relativeToStable: r`, the canary's rate is compared with r × the
/// stable version's on the traffic both served at the same time (`PairedRateTest`): credibly
/// above fails, and a pass needs it credibly below (as well as below `max`, when set). With
/// both, each test runs at half the error rate, so the SLO's wrong verdicts stay within
/// 1 − confidence in all.
enum RateJudge {
    /// The prior when a rate has no bound of its own (relative-only SLOs): Jeffreys' Beta(½, ½),
    /// which favours no rate (the prior must be fixed before the data; one centred on a guessed
    /// rate would cost many requests when the guess is far off).
    static let neutral = RateConfidence.Prior(a: 0.5, b: 0.5)

    /// The comparison with the stable version this look: the evidence so far, and whether the
    /// stable version served anything since the last look.
    struct Shared {
        var ratio: Double
        var state: PairedRateTest.State
        var stableServed: Bool
    }

    static func evaluate(
        _ slo: SLO, canary c: RateCounts, stable s: RateCounts?, confidence: Double, state: JudgeState = JudgeState(), noun: String = "requests",
        eventNoun: String = "errors", dispersionCorrected: Bool = false
    ) -> SLOCheck {
        var next = state
        var shared: Shared?
        if let r = slo.relativeToStable, let s {
            let interval = PairedRateTest.Interval(
                canaryErrors: max(0, c.events - (state.canaryEvents ?? 0)), canaryRequests: max(0, c.trials - (state.canaryRequests ?? 0)),
                stableErrors: max(0, s.events - (state.stableEvents ?? 0)), stableRequests: max(0, s.trials - (state.stableRequests ?? 0)))
            let paired = PairedRateTest.adding(interval, to: state.paired ?? PairedRateTest.State(), ratio: r)
            shared = Shared(ratio: r, state: paired, stableServed: interval.stableRequests > 0)
            next.paired = paired
            next.stableEvents = s.events
            next.stableRequests = s.trials
        }
        let delta = (events: max(0, c.events - (state.canaryEvents ?? 0)), requests: max(0, c.trials - (state.canaryRequests ?? 0)))
        if delta.requests > 0 {
            next.intervals += 1
            next.squaresOverRequests += delta.events * delta.events / delta.requests
        }
        next.canaryEvents = c.events
        next.canaryRequests = c.trials
        let dispersion =
            dispersionCorrected
            ? Dispersion(events: c.events, requests: c.trials, intervals: next.intervals, squaresOverRequests: next.squaresOverRequests) : nil
        var check = judge(slo, canary: c, shared: shared, confidence: confidence, noun: noun, dispersion: dispersion)
        if dispersionCorrected, next.intervals < 2, check.outcome == .pass || check.outcome == .fail {
            // One interval cannot tell a burst from the rate: how much the rate varies is seen
            // only between intervals. A real run's first look came 13 s into a bursty canary and
            // failed a good version on one burst; the second look comes one interval later.
            check.outcome = .noData
            check.message += "; held: one interval of traffic so far, and a burst cannot be told from the rate before a second"
        }
        check.state = next
        return check
    }

    /// `dispersion`: how much more errors varied between intervals than independent errors at
    /// one rate would, and over how many; the evidence counts as that many times fewer requests
    /// (`Dispersion.factor`). nil: errors are taken as independent.
    static func judge(_ slo: SLO, canary raw: RateCounts, shared: Shared?, confidence: Double, noun: String, dispersion measured: Dispersion? = nil) -> SLOCheck
    {
        let alpha = 1 - confidence
        let perTest = shared != nil && slo.max != nil ? alpha / 2 : alpha
        let dispersion = measured?.factor(alpha: perTest) ?? 1
        let prior = slo.max.map(RateConfidence.Prior.centered(on:)) ?? neutral
        let c = RateCounts(events: raw.events / dispersion, trials: raw.trials / dispersion)
        let (lower, upper) = RateConfidence.interval(events: c.events, trials: c.trials, alpha: perTest, prior: prior)
        var evidence = Self.evidence(slo, raw, shared: shared, confidence: confidence, dispersion: dispersion, interval: (lower, upper))
        let level = Judge.level(confidence)
        let bursts = measured.map { burstText($0, factor: dispersion, judgedAs: c.trials) } ?? ""
        let described =
            "\(Judge.percent(raw.estimate)) (\(level) interval \(Judge.percent(lower))–\(Judge.percent(upper))) of \(Judge.count(raw.trials)) \(noun)\(bursts)"
        func check(_ outcome: SLOCheck.Outcome, _ message: String, threshold: Double? = slo.max) -> SLOCheck {
            SLOCheck(
                slo: slo.name, outcome: outcome, value: raw.estimate, stableValue: evidence.stableEstimate, threshold: threshold, message: message,
                evidence: evidence)
        }

        if raw.trials < Double(slo.minSamples) {
            evidence.needed = max(Double(slo.minSamples) - raw.trials, 1)
            return check(.noData, "not enough data: \(Judge.count(raw.trials)) of the \(slo.minSamples) \(noun) minSamples asks for")
        }
        let absolute = slo.max.map { RateConfidence.decide(events: c.events, trials: c.trials, bound: $0, alpha: perTest, prior: prior) }
        let relative = shared.map { comparison(slo, $0, alpha: perTest, noun: noun) }
        // Failures first: evidence against the canary on any bound is enough.
        if let max = slo.max, absolute == .above {
            return check(.fail, "\(described): above max \(Judge.percent(max)) at \(level) confidence")
        }
        if let relative, relative.verdict == .above {
            return check(.fail, "\(described); \(relative.text) at \(level) confidence", threshold: nil)
        }
        let absolutePass = slo.max == nil || absolute == .below
        let relativePass = relative == nil || relative?.verdict == .below
        if absolutePass && relativePass {
            var parts: [String] = []
            if let max = slo.max { parts.append("below max \(Judge.percent(max))") }
            if let relative { parts.append(relative.text) }
            return check(.pass, "\(described): \(parts.joined(separator: "; ")) at \(level) confidence")
        }
        let holds = hold(
            slo, c, absolute: absolute, relative: relative, alpha: perTest, prior: prior, dispersion: dispersion, interval: (lower, upper), level: level,
            evidence: &evidence)
        return check(.noData, "\(described): \(holds.joined(separator: "; ")); \(more(evidence.needed, noun))", threshold: slo.max)
    }

    static func evidence(
        _ slo: SLO, _ raw: RateCounts, shared: Shared?, confidence: Double, dispersion: Double, interval: (lower: Double, upper: Double)
    ) -> Evidence {
        var evidence = Evidence(test: "rate", confidence: confidence, samples: raw.trials, estimate: raw.estimate)
        evidence.events = raw.events
        if dispersion > 1 { evidence.dispersion = dispersion }
        evidence.lower = interval.lower
        evidence.upper = interval.upper
        evidence.bound = slo.max
        if let p = shared?.state {
            evidence.stableSamples = p.stableRequests
            evidence.stableEstimate = p.stableRequests > 0 ? p.stableErrors / p.stableRequests : 0
            evidence.ratio = p.ratioEstimate
        }
        return evidence
    }

    /// Why a rate neither passes nor fails yet, with the requests a verdict needs (and the
    /// soonest one could come) written into `evidence`.
    static func hold(
        _ slo: SLO, _ c: RateCounts, absolute: RateConfidence.Decision?, relative: (verdict: PairedRateTest.Verdict, text: String, needed: Double?)?,
        alpha perTest: Double,
        prior: RateConfidence.Prior, dispersion: Double, interval: (Double, Double), level: String, evidence: inout Evidence
    ) -> [String] {
        let (lower, upper) = interval
        var holds: [String] = []
        var needed: [Double] = []
        if let max = slo.max, absolute != .below {
            let n = RateConfidence.trialsNeeded(events: c.events, trials: c.trials, bound: max, alpha: perTest, prior: prior)
            holds.append("not yet \(c.estimate < max ? "below" : "above") max \(Judge.percent(max)) at \(level) confidence")
            if let n { needed.append(n * dispersion) }
            // At the rates the interval still allows, the soonest a verdict could come.
            let soonest = [lower, upper].compactMap { rate in
                RateConfidence.trialsNeeded(events: rate * c.trials, trials: c.trials, bound: max, alpha: perTest, prior: prior)
            }.min()
            evidence.soonest = soonest.map { $0 * dispersion }
        } else if let max = slo.max {
            holds.append("below max \(Judge.percent(max))")
        }
        if let relative, relative.verdict != .below {
            holds.append(relative.text)
            if let n = relative.needed { needed.append(n) }
        }
        evidence.needed = needed.max()
        return holds
    }

    /// The same-time comparison's verdict and how to say it.
    static func comparison(_ slo: SLO, _ shared: Shared, alpha: Double, noun: String)
        -> (verdict: PairedRateTest.Verdict, text: String, needed: Double?)
    {
        let p = shared.state
        let r = format(shared.ratio)
        let stableRate = p.stableRequests > 0 ? p.stableErrors / p.stableRequests : 0
        let canaryRate = p.canaryRequests > 0 ? p.canaryErrors / p.canaryRequests : 0
        let over =
            "over the \(p.intervals) interval\(p.intervals == 1 ? "" : "s") both versions served, the canary's \(Judge.percent(canaryRate)) against the stable version's \(Judge.percent(stableRate))"
        let standing = shared.stableServed ? "" : " (the stable version served nothing since the last look, as at 100%: the comparison stands as it was)"
        guard p.canaryRequests >= Double(slo.minSamples), p.stableRequests >= Double(slo.minSamples) else {
            // Canary requests until both have minSamples, at the two versions' shares so far.
            let share = p.stableRequests > 0 ? p.canaryRequests / p.stableRequests : 1
            let n = max(Double(slo.minSamples) - p.canaryRequests, (Double(slo.minSamples) - p.stableRequests) * share, 1).rounded(.up)
            return (
                .undecided,
                "not enough traffic served at the same time to compare with the stable version: \(Judge.count(p.canaryRequests)) canary and \(Judge.count(p.stableRequests)) stable \(noun), minSamples \(slo.minSamples) each\(standing)",
                shared.stableServed ? n : nil
            )
        }
        switch PairedRateTest.decide(p, alpha: alpha) {
        case .above: return (.above, "\(over): above \(r) × it\(standing)", nil)
        case .below: return (.below, "\(over): below \(r) × it\(standing)", nil)
        case .undecided:
            let k = shared.stableServed ? PairedRateTest.scaleNeeded(p, alpha: alpha) : nil
            return (.undecided, "\(over): not yet credibly different from \(r) × it\(standing)", k.map { (($0 - 1) * p.canaryRequests).rounded(.up) })
        }
    }

    static func more(_ needed: Double?, _ noun: String) -> String {
        guard let needed else { return "no verdict while the rate stays at the bound" }
        return "about \(Judge.count(needed)) more \(noun) for a verdict"
    }

    static func format(_ r: Double) -> String { r == r.rounded() ? String(Int(r)) : String(format: "%g", r) }

    /// How the dispersion weighed the evidence, when it did (a factor that rounds to 1 says nothing).
    static func burstText(_ d: Dispersion, factor: Double, judgedAs trials: Double) -> String {
        guard factor >= 1.05 else { return "" }
        if d.estimate > 1 {
            return String(
                format: ", bursty: judged as %@ (dispersion %.1f over %d intervals, %.1f allowing for how few)", Judge.count(trials), d.estimate, d.intervals,
                factor)
        }
        return ", judged as \(Judge.count(trials)) (\(d.intervals) intervals cannot yet show the errors are not bursts)"
    }
}
