/// Turns what was measured for an SLO into a verdict that says how sure it is. Pure.
///
/// Threshold SLOs (`query`) compare one value with their bounds, as before. The others are
/// judged on evidence: a verdict comes only when the chance of it being wrong is at most
/// 1 − `confidence`, however many times the canary is looked at; until then the SLO holds
/// (outcome `NoData`, with what more is needed). See docs/analysis.md.
public enum Judge {
    /// `state` is what the last look at this SLO left (`RolloutStatus.judge`); the check carries
    /// the next one in `state`.
    public static func evaluate(_ slo: SLO, canary: SLOMeasurement, stable: SLOMeasurement?, confidence: Double, state: JudgeState) -> SLOCheck {
        var check = judge(slo, canary: canary, stable: stable, confidence: confidence, state: state)
        if check.state == nil { check.state = state }
        return check
    }

    /// A look with `look − 1` earlier looks that spent error rate and no other memory.
    public static func evaluate(_ slo: SLO, canary: SLOMeasurement, stable: SLOMeasurement?, confidence: Double, look: Int) -> SLOCheck {
        // The look-th look of a canary already past its first interval (a verdict needs two).
        var state = JudgeState(looks: max(0, look - 1))
        state.looksWithData = state.looks
        state.intervals = 1
        return evaluate(slo, canary: canary, stable: stable, confidence: confidence, state: state)
    }

    /// One error budget for a version: with k SLOs judged on evidence, each is held to
    /// 1 − (1 − confidence)/k (Bonferroni), so the chance that any of them gives a wrong
    /// verdict stays within 1 − confidence. Threshold SLOs have no error rate to share.
    public static func confidence(_ confidence: Double, sharedBy slos: [SLO]) -> Double {
        let k = slos.filter { if case .value = $0.measure { false } else { true } }.count
        return k <= 1 ? confidence : 1 - (1 - confidence) / Double(k)
    }

    static func judge(_ slo: SLO, canary: SLOMeasurement, stable: SLOMeasurement?, confidence: Double, state: JudgeState) -> SLOCheck {
        if let message = canary.error { return SLOCheck(slo: slo.name, outcome: .error, value: nil, stableValue: nil, threshold: nil, message: message) }
        if let message = stable?.error {
            return SLOCheck(slo: slo.name, outcome: .error, value: nil, stableValue: nil, threshold: nil, message: "stable query: \(message)")
        }
        switch (slo.measure, canary) {
        case (.value, .value(let outcome)):
            if case .value(let s)? = stable { return Analysis.evaluate(slo, canary: outcome, stable: s) }
            return Analysis.evaluate(slo, canary: outcome, stable: nil)
        case (.rate, .rate(let events, let total)):
            var stableCounts: RateCounts?
            if case .rate(let e, let t)? = stable { stableCounts = RateCounts(events: e, total: t) }
            return RateJudge.evaluate(
                slo, canary: RateCounts(events: events, total: total), stable: stableCounts, confidence: confidence, state: state, dispersionCorrected: true)
        case (.latency(_, let quantile), .counts(.series(let canarySeries))):
            var stableSeries: [[String: String]: Double]?
            if case .counts(.series(let s))? = stable { stableSeries = s }
            return LatencyJudge.evaluate(slo, quantile: quantile, canary: canarySeries, stable: stableSeries, confidence: confidence, state: state)
        case (.distribution, .counts(.series(let canarySeries))):
            var stableSeries: [[String: String]: Double] = [:]
            if case .counts(.series(let s))? = stable { stableSeries = s }
            return DriftJudge.evaluate(slo, canary: canarySeries, stable: stableSeries, confidence: confidence, state: state)
        default:
            return SLOCheck(slo: slo.name, outcome: .error, value: nil, stableValue: nil, threshold: nil, message: "internal: measurement does not fit the SLO")
        }
    }

    static func percent(_ rate: Double) -> String {
        let p = rate * 100
        if p == 0 { return "0%" }
        if p < 0.01 { return String(format: "%.2g%%", p) }
        return p < 10 ? String(format: "%.2f%%", p) : String(format: "%.1f%%", p)
    }

    public static func count(_ n: Double) -> String {
        let i = Int64(n.rounded())
        let digits = String(i)
        var out = ""
        for (k, ch) in digits.reversed().enumerated() {
            if k > 0 && k % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }

    static func level(_ confidence: Double) -> String {
        let p = confidence * 100
        return p == p.rounded() ? "\(Int(p))%" : String(format: "%.1f%%", p)
    }
}

/// Events and requests for one version, as counted by `increase()`.
struct RateCounts {
    var events: Double
    var trials: Double

    /// `increase()` extrapolates, so counts come back fractional: rounded, with events never
    /// more than requests. No data is no requests.
    init(events: QueryOutcome, total: QueryOutcome) {
        func number(_ o: QueryOutcome) -> Double {
            if case .value(let v) = o, v.isFinite, v > 0 { return v.rounded() }
            return 0
        }
        trials = number(total)
        self.events = min(number(events), trials)
    }

    init(events: Double, trials: Double) {
        self.events = events
        self.trials = trials
    }

    var estimate: Double { trials > 0 ? events / trials : 0 }
}
