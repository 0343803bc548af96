import Foundation

/// Prediction drift: the canary's distribution of predictions (counts by class, or a histogram
/// of scores by `le`) against the stable version's over the same window, held against
/// `maxDivergence` (Jensen-Shannon, bits). A model that answers without errors but predicts
/// differently is caught before it takes all the traffic.
///
/// For small differences 8 ln 2 · JS ≈ Σ (p − q)² / m, and Pearson's chi-squared statistic on the
/// 2 × K table is then approximately noncentral χ²_{K−1}(λ) with λ = 8 ln 2 · JS / (1/n₁ + 1/n₂)
/// times the ratio of Pearson's pooled denominators to the divergence's (`pooledWeight`: 1 for
/// equal samples).
/// So, at the divergence bound, λ₀ = 8 ln 2 · maxDivergence / (1/n₁ + 1/n₂), and:
/// - it fails when the statistic is too large for any divergence within the bound (upper tail of
///   χ²(λ₀) below the level) and the measured divergence is above it;
/// - it passes when the statistic is too small for any divergence at or above the bound (lower
///   tail of χ²(λ₀) below the level);
/// - otherwise it holds. Both tests run at a level spent over the looks (`LookSpending`), so each
///   wrong verdict stays within 1 − confidence however often the canary is looked at. (The plain
///   divergence estimate is biased upwards on small samples; judging it alone would fail true
///   small shifts and pass true large ones by chance.)
enum DriftJudge {
    static func evaluate(_ slo: SLO, canary: [[String: String]: Double], stable: [[String: String]: Double], confidence: Double, state: JudgeState) -> SLOCheck
    {
        var next = state
        if !canary.isEmpty { next.looksWithData += 1 }
        if canary.values.reduce(0, +) >= Double(slo.minSamples), let young = youngSeries(canary: canary, stable: stable, looksWithData: state.looksWithData) {
            var held = SLOCheck(
                slo: slo.name, outcome: .noData, value: nil, stableValue: nil, threshold: slo.maxDivergence ?? 0, message: young,
                evidence: Evidence(test: "drift", confidence: confidence, samples: canary.values.reduce(0, +), estimate: 0))
            held.state = next
            return held
        }
        var check = judge(slo, canary: canary, stable: stable, confidence: confidence, look: state.looks + 1)
        // Only a look that ran the test (enough samples on both sides) spends error rate.
        if check.evidence?.level != nil { next.looks += 1 }
        check.state = next
        return check
    }

    /// A class the stable version predicts that the canary's result does not name, at the
    /// canary's first two looks with data: Prometheus reports a counter's increase only from its
    /// second sample in the window, and a client library creates a class's series at its first
    /// prediction, so a young canary's rarer classes are missing rather than zero (a real run
    /// read one as zero and failed a canary at its bound with p = 2e-7). Later, absent is zero.
    static func youngSeries(canary: [[String: String]: Double], stable: [[String: String]: Double], looksWithData: Int) -> String? {
        guard looksWithData < 2, !canary.isEmpty, canary.keys.first?["le"] == nil else { return nil }
        let missing = stable.filter { $0.value > 0 && canary[$0.key] == nil }.keys.map {
            $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
        guard !missing.isEmpty else { return nil }
        return
            "the canary has no series yet for \(missing.sorted().joined(separator: "; ")) (a young counter's increase is missing, not zero); held for this look"
    }

    static func judge(_ slo: SLO, canary: [[String: String]: Double], stable: [[String: String]: Double], confidence: Double, look: Int) -> SLOCheck {
        let (c, s) = align(canary, stable)
        let nc = c.reduce(0, +)
        let ns = s.reduce(0, +)
        let maxDivergence = slo.maxDivergence ?? 0
        let js = Divergence.jensenShannon(c, s)
        var evidence = Evidence(test: "drift", confidence: confidence, samples: nc, estimate: js)
        evidence.bound = maxDivergence
        evidence.stableSamples = ns
        func check(_ outcome: SLOCheck.Outcome, _ message: String) -> SLOCheck {
            SLOCheck(slo: slo.name, outcome: outcome, value: js, stableValue: nil, threshold: maxDivergence, message: message, evidence: evidence)
        }
        guard nc >= Double(slo.minSamples), ns >= Double(slo.minSamples) else {
            evidence.needed = max(1, Double(slo.minSamples) - nc)
            return check(.noData, "not enough data: \(Judge.count(nc)) canary and \(Judge.count(ns)) stable predictions, minSamples \(slo.minSamples) each")
        }
        let test = ContingencyTest.homogeneity(c, s)
        let level = LookSpending.alpha(1 - confidence, look: look)
        evidence.pValue = test.pValue
        evidence.level = level
        let described = String(
            format: "divergence %.4f bits from the stable version's predictions (max %g) over %@ canary and %@ stable predictions", js, maxDivergence,
            Judge.count(nc),
            Judge.count(ns))
        let weight = pooledWeight(c, s)
        let verdict = decide(statistic: test.statistic, df: test.degreesOfFreedom, js: js, bound: maxDivergence, nc: nc, ns: ns, level: level, weight: weight)
        switch verdict {
        case .above:
            return check(
                .fail,
                described
                    + String(
                        format: ": credibly above the bound (chi-squared %.1f, %d df, p = %.2g; level %.2g at look %d)", test.statistic, test.degreesOfFreedom,
                        test.pValue, level, look))
        case .below:
            return check(.pass, described + String(format: ": credibly within the bound (level %.2g at look %d)", level, look))
        case .undecided:
            evidence.needed = needed(test, js: js, bound: maxDivergence, nc: nc, ns: ns, level: level, weight: weight)
            return check(
                .noData,
                described
                    + String(
                        format: ": not yet credibly above or within it (chi-squared %.1f, p = %.2g, level %.2g); %@", test.statistic, test.pValue, level,
                        RateJudge.more(evidence.needed, "predictions")))
        }
    }

    /// Pearson's statistic divides each squared difference by the pooled share (weighted by the
    /// samples: with a small canary, nearly the stable version's), the divergence by the plain
    /// mean of the two. Their ratio, on the observed differences, turns a divergence into the
    /// statistic's noncentrality; without it a 1:10 sample was failed at the bound about twice
    /// as often as the level (1 for equal samples, or no difference).
    static func pooledWeight(_ c: [Double], _ s: [Double]) -> Double {
        let nc = c.reduce(0, +)
        let ns = s.reduce(0, +)
        guard nc > 0, ns > 0 else { return 1 }
        var pearson = 0.0
        var divergence = 0.0
        for i in c.indices where c[i] + s[i] > 0 {
            let p = c[i] / nc
            let q = s[i] / ns
            let d2 = (p - q) * (p - q)
            pearson += d2 / ((c[i] + s[i]) / (nc + ns))
            divergence += d2 / ((p + q) / 2)
        }
        return divergence > 0 ? pearson / divergence : 1
    }

    static func decide(statistic: Double, df: Int, js: Double, bound: Double, nc: Double, ns: Double, level: Double, weight: Double = 1)
        -> RateConfidence.Decision
    {
        guard df > 0 else { return bound > 0 ? .below : .undecided }
        let lambda = 8 * log(2) * bound / (1 / nc + 1 / ns) * weight
        let cdf = SpecialFunctions.noncentralChiSquaredCDF(statistic, degreesOfFreedom: Double(df), noncentrality: lambda)
        if js > bound, 1 - cdf < level { return .above }
        if cdf < level { return .below }
        return .undecided
    }

    /// More canary predictions a verdict needs if both distributions keep their shapes and their
    /// shares of traffic (the statistic grows with the sample; nil: none would).
    static func needed(_ test: ContingencyTest.Result, js: Double, bound: Double, nc: Double, ns: Double, level: Double, weight: Double) -> Double? {
        var k = 1.25
        while decide(statistic: test.statistic * k, df: test.degreesOfFreedom, js: js, bound: bound, nc: nc * k, ns: ns * k, level: level, weight: weight)
            == .undecided
        {
            k *= 1.25
            // A thousand times the evidence so far and still no verdict: the divergence sits on
            // the bound, and no amount of data will say which side.
            if k > 1000 { return nil }
        }
        return ((k - 1) * nc).rounded(.up)
    }

    /// Counts by category, the union of both sides' labels (a histogram's cumulative buckets
    /// become counts per bucket).
    static func align(_ canary: [[String: String]: Double], _ stable: [[String: String]: Double]) -> ([Double], [Double]) {
        let byLe = (canary.keys.first ?? stable.keys.first)?["le"] != nil
        if byLe, let c = Buckets(canary.isEmpty ? [["le": "+Inf"]: 0] : canary), let s = Buckets(stable.isEmpty ? [["le": "+Inf"]: 0] : stable) {
            let grid = Array(Set(c.edges + s.edges)).sorted()
            return (c.perBucket(grid), s.perBucket(grid))
        }
        func key(_ labels: [String: String]) -> String { labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") }
        var c: [String: Double] = [:]
        var s: [String: Double] = [:]
        for (l, v) in canary where v.isFinite { c[key(l), default: 0] += max(0, v.rounded()) }
        for (l, v) in stable where v.isFinite { s[key(l), default: 0] += max(0, v.rounded()) }
        let keys = Set(c.keys).union(s.keys).sorted()
        return (keys.map { c[$0] ?? 0 }, keys.map { s[$0] ?? 0 })
    }
}
