import Foundation

/// Latency from a histogram: "p95 under 250 ms" is "fewer than 5% of requests slower than
/// 250 ms", a rate, judged as one (`RateJudge`) on the bucket counts. With `relativeToStable`,
/// the canary's and the stable version's bucket counts also go through a Mann-Whitney test: it
/// fails when a canary request is credibly slower than a stable one more often than
/// ½ + `minEffect` of the time (so a trivial shift on a huge sample does not fail), at a level
/// spent over the looks (`LookSpending`).
enum LatencyJudge {
    static func evaluate(
        _ slo: SLO, quantile: Double, canary: [[String: String]: Double], stable: [[String: String]: Double]?, confidence: Double, state: JudgeState
    ) -> SLOCheck {
        var next = state
        var check = judge(slo, quantile: quantile, canary: canary, stable: stable, confidence: confidence, look: state.looks + 1, spent: &next.looks)
        check.state = next
        return check
    }

    /// `spent` becomes `look` when the rank test ran (enough samples on both sides): a look
    /// without enough data spends nothing.
    static func judge(
        _ slo: SLO, quantile: Double, canary: [[String: String]: Double], stable: [[String: String]: Double]?, confidence: Double, look: Int,
        spent: inout Int
    ) -> SLOCheck {
        guard let canaryBuckets = Buckets(canary) else { return notByLe(slo) }
        let stableBuckets = stable.flatMap(Buckets.init)
        if stable != nil, stable?.isEmpty == false, stableBuckets == nil { return notByLe(slo) }
        let bound = 1 - quantile
        let limit = slo.max ?? .infinity
        let ranked = slo.relativeToStable != nil && stableBuckets != nil
        let confidenceForRate = ranked ? 1 - (1 - confidence) / 2 : confidence
        // A bound between bucket boundaries: count the bucket it falls in as slow for a pass and
        // as fast for a failure, so neither verdict leans on where inside the bucket requests fell.
        let slowForPass = canaryBuckets.total - canaryBuckets.cumulative(atOrBelow: limit)
        let slowForFail = canaryBuckets.total - canaryBuckets.cumulative(atOrAbove: limit)
        let rateSLO = SLO(name: slo.name, measure: slo.measure, max: bound, minSamples: slo.minSamples)
        let failSide = RateJudge.evaluate(
            rateSLO, canary: RateCounts(events: slowForFail, trials: canaryBuckets.total), stable: nil, confidence: confidenceForRate, noun: "requests",
            eventNoun: "slow requests")
        let passSide = RateJudge.evaluate(
            rateSLO, canary: RateCounts(events: slowForPass, trials: canaryBuckets.total), stable: nil, confidence: confidenceForRate, noun: "requests",
            eventNoun: "slow requests")
        let boundary =
            canaryBuckets.isBoundary(limit) ? "" : " (max is not a bucket boundary: the bucket it falls in counts against whichever verdict it would help)"
        let what = "slower than \(format(limit)) s"
        func relabel(_ check: SLOCheck, _ outcome: SLOCheck.Outcome) -> SLOCheck {
            var c = check
            c.outcome = outcome
            c.message =
                "share \(what): "
                + check.message.replacingOccurrences(
                    of: "max \(Judge.percent(bound))", with: "\(Judge.percent(bound)) (p\(format(quantile * 100)) under \(format(limit)) s)") + boundary
            return c
        }
        if failSide.outcome == .fail { return relabel(failSide, .fail) }
        if ranked, let stableBuckets, canaryBuckets.total >= Double(slo.minSamples), stableBuckets.total >= Double(slo.minSamples) {
            spent = look
            if let rank = rankVerdict(slo, canaryBuckets, stableBuckets, confidence: confidence, look: look, base: passSide) { return rank }
        }
        // The pass side counts the bucket around max as slow: it may pass, never fail.
        if passSide.outcome == .fail {
            var hold = relabel(passSide, .noData)
            hold.message =
                "share \(what): between \(Judge.percent(failSide.value ?? 0)) and \(Judge.percent(passSide.value ?? 0)) of \(Judge.count(canaryBuckets.total)) requests, depending on where in its bucket max falls: no verdict against \(Judge.percent(bound))\(boundary)"
            hold.evidence?.needed = nil
            return hold
        }
        return relabel(passSide, passSide.outcome)
    }

    /// The rank test's failure, if there is one.
    static func rankVerdict(_ slo: SLO, _ c: Buckets, _ s: Buckets, confidence: Double, look: Int, base: SLOCheck) -> SLOCheck? {
        guard c.total >= Double(slo.minSamples), s.total >= Double(slo.minSamples) else { return nil }
        let edges = Array(Set(c.edges + s.edges)).sorted()
        let result = RankTest.compare(c.perBucket(edges), s.perBucket(edges))
        let level = LookSpending.alpha((1 - confidence) / 2, look: look)
        let margin = 0.5 + slo.minEffect
        let z = result.z(against: margin)
        let p = 1 - SpecialFunctions.normalCDF(z)
        guard p < level else { return nil }
        var check = base
        check.outcome = .fail
        check.evidence?.test = "rank"
        check.evidence?.pValue = p
        check.evidence?.level = level
        check.message = String(
            format:
                "a canary request is slower than a stable one %.1f%% of the time (more than %.0f%% at p = %.2g < %.2g, look %d), over %@ canary and %@ stable requests",
            result.superiority * 100, margin * 100, p, level, look, Judge.count(result.n1), Judge.count(result.n2))
        return check
    }

    static func notByLe(_ slo: SLO) -> SLOCheck {
        SLOCheck(
            slo: slo.name, outcome: .error, value: nil, stableValue: nil, threshold: nil,
            message: "the histogram query must return one series per bucket, labelled le (sum by (le) (increase(..._bucket[{{window}}])))")
    }

    static func format(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e9 ? String(Int(d)) : String(format: "%g", d) }
}

/// A Prometheus histogram's cumulative bucket counts, by upper bound.
struct Buckets {
    var edges: [Double]
    var counts: [Double]

    init?(_ series: [[String: String]: Double]) {
        var pairs: [(Double, Double)] = []
        for (labels, value) in series {
            guard let le = labels["le"] else { return nil }
            let edge = le == "+Inf" ? Double.infinity : Double(le)
            guard let edge else { return nil }
            pairs.append((edge, value.isFinite ? max(0, value.rounded()) : 0))
        }
        pairs.sort { $0.0 < $1.0 }
        // Counts are cumulative; extrapolated increases can dip, so keep them monotone.
        var running = 0.0
        edges = []
        counts = []
        for (e, v) in pairs {
            running = max(running, v)
            edges.append(e)
            counts.append(running)
        }
    }

    var total: Double { counts.last ?? 0 }

    func cumulative(atOrBelow x: Double) -> Double {
        edges.lastIndex { $0 <= x }.map { counts[$0] } ?? 0
    }

    func cumulative(atOrAbove x: Double) -> Double {
        zip(edges, counts).first { $0.0 >= x }?.1 ?? total
    }

    func isBoundary(_ x: Double) -> Bool { edges.contains(x) }

    /// Counts per bucket over `grid` (a superset of these edges).
    func perBucket(_ grid: [Double]) -> [Double] {
        var previous = 0.0
        return grid.map { edge in
            let c = cumulative(atOrBelow: edge)
            defer { previous = c }
            return c - previous
        }
    }
}
