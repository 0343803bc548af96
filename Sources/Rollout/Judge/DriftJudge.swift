import Foundation

/// Prediction drift: the canary's distribution of predictions (counts by class, or a histogram
/// of scores by `le`) against the stable version's over the same window. It fails when the
/// difference is both significant (chi-squared on the 2 × K table, at a level spent over the
/// looks) and larger than `maxDivergence` (Jensen-Shannon, bits); it passes when the divergence
/// is within `maxDivergence`; otherwise it holds. A model that answers without errors but
/// predicts differently is caught before it takes all the traffic.
enum DriftJudge {
    static func evaluate(_ slo: SLO, canary: [[String: String]: Double], stable: [[String: String]: Double], confidence: Double, look: Int) -> SLOCheck {
        let (c, s) = align(canary, stable)
        let nc = c.reduce(0, +), ns = s.reduce(0, +)
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
        let described = String(format: "divergence %.4f bits from the stable version's predictions (max %g) over %@ canary and %@ stable predictions", js, maxDivergence, Judge.count(nc), Judge.count(ns))
        if js > maxDivergence && test.pValue < level {
            return check(.fail, described + String(format: ", significant (chi-squared %.1f, %d df, p = %.2g < %.2g at look %d)", test.statistic, test.degreesOfFreedom, test.pValue, level, look))
        }
        if js <= maxDivergence { return check(.pass, described) }
        evidence.needed = neededForSignificance(test, level: level, samples: nc)
        return check(.noData, described + String(format: ": not yet significant (p = %.2g, needs < %.2g); %@", test.pValue, level, RateJudge.more(evidence.needed, "predictions")))
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
        var c: [String: Double] = [:], s: [String: Double] = [:]
        for (l, v) in canary where v.isFinite { c[key(l), default: 0] += max(0, v.rounded()) }
        for (l, v) in stable where v.isFinite { s[key(l), default: 0] += max(0, v.rounded()) }
        let keys = Set(c.keys).union(s.keys).sorted()
        return (keys.map { c[$0] ?? 0 }, keys.map { s[$0] ?? 0 })
    }

    /// With the same proportions, chi-squared grows with the sample: how many more canary
    /// predictions would make the difference significant at this level.
    static func neededForSignificance(_ test: ContingencyTest.Result, level: Double, samples: Double) -> Double? {
        guard test.statistic > 0, test.degreesOfFreedom > 0 else { return nil }
        var k = 1.0
        while SpecialFunctions.chiSquaredSurvival(test.statistic * k, degreesOfFreedom: Double(test.degreesOfFreedom)) >= level {
            k *= 1.25
            if k > 1e9 { return nil }
        }
        return ((k - 1) * samples).rounded(.up)
    }
}
