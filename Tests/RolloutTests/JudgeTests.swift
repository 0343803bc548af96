import Foundation
import Rollout
import Testing

/// The judge, table by table: what each kind of SLO decides from what was measured.
@Suite struct JudgeTests {
    static let rate = SLO(name: "error-rate", measure: .rate(events: "e", total: "t"), max: 0.05)

    static func counts(_ events: Double, _ total: Double) -> SLOMeasurement { .rate(events: .value(events), total: .value(total)) }

    struct RateCase: Sendable, CustomTestStringConvertible {
        var name: String
        var slo: SLO
        var canary: (Double, Double)
        var stable: (Double, Double)?
        var outcome: SLOCheck.Outcome
        var message: String
        var testDescription: String { name }
    }

    static let rateCases: [RateCase] = {
        let relative = SLO(name: "error-rate", measure: .rate(events: "e", total: "t"), relativeToStable: 2)
        let both = SLO(name: "error-rate", measure: .rate(events: "e", total: "t"), max: 0.05, relativeToStable: 2)
        return [
            // The demo's false rollback: one error among 16 requests said 6% > 5%.
            RateCase(
                name: "one error in sixteen is not evidence", slo: rate, canary: (1, 16), stable: nil, outcome: .noData,
                message: "not enough data: 16 of the 50 requests"),
            RateCase(name: "one error in sixty holds", slo: rate, canary: (1, 60), stable: nil, outcome: .noData, message: "not yet below max 5.00%"),
            RateCase(name: "no errors in 200 passes", slo: rate, canary: (0, 200), stable: nil, outcome: .pass, message: "below max 5.00% at 95% confidence"),
            RateCase(
                name: "40 errors in 200 over two intervals hold: two cannot show the errors are not one burst", slo: rate, canary: (40, 200), stable: nil,
                outcome: .noData, message: "judged as 14 (2 intervals cannot yet show the errors are not bursts)"),
            RateCase(
                name: "150 errors in 200 fail even so", slo: rate, canary: (150, 200), stable: nil, outcome: .fail, message: "above max 5.00% at 95% confidence"
            ),
            RateCase(name: "fractional increase() counts round", slo: rate, canary: (0.4, 199.6), stable: nil, outcome: .pass, message: "0% (95% interval 0%–"),
            RateCase(
                name: "a rate at the bound never decides", slo: rate, canary: (500, 10_000), stable: nil, outcome: .noData,
                message: "no verdict while the rate stays at the bound"),
            RateCase(
                name: "credibly above twice the stable", slo: relative, canary: (60, 1000), stable: (100, 10_000), outcome: .fail,
                message: "the canary's 6.00% against the stable version's 1.00%: above 2 × it"),
            RateCase(
                name: "credibly below twice the stable", slo: relative, canary: (100, 10_000), stable: (1000, 100_000), outcome: .pass,
                message: "the canary's 1.00% against the stable version's 1.00%: below 2 × it"),
            RateCase(
                name: "not yet different from twice the stable", slo: relative, canary: (10, 1000), stable: (100, 10_000), outcome: .noData,
                message: "not yet credibly different"),
            RateCase(
                name: "the stable version has too little traffic", slo: relative, canary: (10, 1000), stable: (0, 10), outcome: .noData,
                message: "1,000 canary and 10 stable requests, minSamples 50 each"),
            // The issue-25 finding: with max, the relative check could only fail, so a canary at 3×
            // the stable's rate was promoted on max alone. Now it must be credibly under r × too.
            RateCase(
                name: "with max, a pass also needs the canary credibly under r × the stable", slo: both, canary: (1, 1000), stable: (0, 100_000),
                outcome: .noData, message: "below max 5.00%; over the 1 interval both versions served"),
            RateCase(
                name: "with max, relative still fails a credible excess", slo: both, canary: (40, 1000), stable: (100, 100_000), outcome: .fail,
                message: "against the stable version's 0.10%: above 2 × it"),
        ]
    }()

    @Test(arguments: rateCases)
    func rates(_ c: RateCase) {
        let check = Judge.evaluate(
            c.slo, canary: Self.counts(c.canary.0, c.canary.1), stable: c.stable.map { Self.counts($0.0, $0.1) }, confidence: 0.95, look: 3)
        #expect(check.outcome == c.outcome, "\(check.message)")
        #expect(check.message.contains(c.message), "\(check.message)")
        let e = try? #require(check.evidence)
        #expect(e?.samples == c.canary.1.rounded() && e?.confidence == 0.95)
        if check.outcome == .noData, !check.message.contains("stays at the bound") { #expect((e?.needed ?? 0) > 0, "says how much more is needed") }
    }

    /// docs/modeldeployment.md's worked example, number for number: 30 requests a look (half a
    /// request a second, a look a minute), the judge's state carried from look to look.
    static func looks(_ errors: (Int) -> Double, upTo last: Int = 12) -> [SLOCheck] {
        var state = JudgeState()
        return (1...last).map { look in
            let check = Judge.evaluate(rate, canary: counts(errors(look), 30 * Double(look)), stable: nil, confidence: 0.95, state: state)
            state = check.state ?? state
            return check
        }
    }

    @Test func theWorkedExampleInTheDocs() {
        let oneError = Self.looks { $0 == 1 ? 0 : 1 }
        #expect(oneError[0].outcome == .noData && oneError[0].message.contains("not enough data: 30 of the 50"), "\(oneError[0].message)")
        let second = oneError[1]
        #expect(
            second.outcome == .noData
                && second.message.contains(
                    "1.67% (95% interval 0.00013%–18.2%) of 60 requests, judged as 25 (2 intervals cannot yet show the errors are not bursts)")
                && second.message.contains("about 650 more requests"), "\(second.message)")
        #expect(oneError[2].message.contains("0.0044%–8.10%") && oneError[2].message.contains("about 128 more requests"), "\(oneError[2].message)")
        #expect(oneError.firstIndex { $0.outcome == .pass } == 4, "passes at the fifth look, 150 requests")
        #expect(Self.looks { _ in 0 }.firstIndex { $0.outcome == .pass } == 2, "with no error at all at the third, 90 requests")
        let bad = Self.looks { 7.5 * Double($0) }
        #expect(bad.firstIndex { $0.outcome == .fail } == 2, "25% errors hold at the second look and fail at the third: \(bad.map(\.outcome))")
        #expect(!bad.prefix(2).contains { $0.outcome != .noData })
    }

    @Test func theIntervalContainsTheEstimateAndTightensWithData() {
        var widths: [Double] = []
        for n in [100.0, 1000, 10_000, 100_000] {
            let e = Judge.evaluate(Self.rate, canary: Self.counts(n / 100, n), stable: nil, confidence: 0.95, look: 1).evidence!
            #expect(e.lower! <= e.estimate && e.estimate <= e.upper!)
            widths.append(e.upper! - e.lower!)
        }
        #expect(zip(widths, widths.dropFirst()).allSatisfy { $0 > $1 }, "\(widths)")
    }

    @Test func higherConfidenceNeedsMoreEvidence() {
        let at95 = Judge.evaluate(Self.rate, canary: Self.counts(1, 80), stable: nil, confidence: 0.95, look: 1)
        let at99 = Judge.evaluate(Self.rate, canary: Self.counts(1, 80), stable: nil, confidence: 0.99, look: 1)
        #expect(at95.evidence!.needed! < at99.evidence!.needed!)
    }

    @Test func queryErrorsAreErrorsNotVerdicts() {
        let down = Judge.evaluate(Self.rate, canary: .rate(events: .error("Prometheus unreachable"), total: .value(10)), stable: nil, confidence: 0.95, look: 1)
        #expect(down.outcome == .error && down.message == "Prometheus unreachable")
        let relative = SLO(name: "r", measure: .rate(events: "e", total: "t"), relativeToStable: 2)
        let stableDown = Judge.evaluate(
            relative, canary: Self.counts(0, 100), stable: .rate(events: .value(0), total: .error("timeout")), confidence: 0.95, look: 1)
        #expect(stableDown.outcome == .error && stableDown.message == "stable query: timeout")
        let empty = Judge.evaluate(Self.rate, canary: .rate(events: .noData, total: .noData), stable: nil, confidence: 0.95, look: 1)
        #expect(empty.outcome == .noData && empty.message.contains("not enough data: 0 of the 50"))
    }

    // MARK: latency

    static let latency = SLO(name: "p95", measure: .latency(histogram: "h", quantile: 0.95), max: 0.25)
    static let edges = ["0.05", "0.1", "0.25", "0.5", "1", "+Inf"]

    /// Cumulative bucket counts from counts per bucket.
    static func histogram(_ perBucket: [Double]) -> SLOMeasurement {
        var running = 0.0
        var series: [[String: String]: Double] = [:]
        for (edge, n) in zip(edges, perBucket) {
            running += n
            series[["le": edge]] = running
        }
        return .counts(.series(series))
    }

    @Test(arguments: [
        ([600.0, 300, 90, 10, 0, 0], SLOCheck.Outcome.pass, "share slower than 0.25 s: 1.00%"),
        ([300.0, 300, 200, 150, 50, 0], .fail, "above 5.00% (p95 under 0.25 s)"),
        ([30.0, 10, 5, 1, 0, 0], .noData, "not enough data"),
        ([200.0, 150, 130, 15, 5, 0], .noData, "not yet below 5.00% (p95 under 0.25 s)"),
    ])
    func latencyIsTheRateOfSlowRequests(_ buckets: [Double], _ outcome: SLOCheck.Outcome, _ message: String) {
        let check = Judge.evaluate(Self.latency, canary: Self.histogram(buckets), stable: nil, confidence: 0.95, look: 1)
        #expect(check.outcome == outcome, "\(check.message)")
        #expect(check.message.contains(message), "\(check.message)")
    }

    @Test func aBoundBetweenBucketsCountsTheBucketAgainstEitherVerdict() {
        let between = SLO(name: "p95", measure: .latency(histogram: "h", quantile: 0.95), max: 0.3)
        // 6% of requests in (0.25, 0.5]: at 0.3 they might be fast or slow — no verdict either way.
        let check = Judge.evaluate(between, canary: Self.histogram([4000, 3000, 2400, 600, 0, 0]), stable: nil, confidence: 0.95, look: 1)
        #expect(check.outcome == .noData, "\(check.message)")
        #expect(check.message.contains("not a bucket boundary"))
    }

    @Test func theRankTestFailsACanaryCrediblySlowerThanStable() {
        let relative = SLO(name: "p95", measure: .latency(histogram: "h", quantile: 0.95), max: 1, relativeToStable: 1)
        let stable = Self.histogram([7000, 2500, 500, 0, 0, 0])
        let slower = Judge.evaluate(relative, canary: Self.histogram([500, 2500, 1800, 200, 0, 0]), stable: stable, confidence: 0.95, look: 2)
        #expect(slower.outcome == .fail && slower.evidence?.test == "rank", "\(slower.message)")
        #expect(slower.message.contains("slower than a stable one"))
        // A trivial shift on a big sample is within the margin: it does not fail.
        let trivial = Judge.evaluate(
            relative, canary: Self.histogram([68_000, 26_000, 6000, 0, 0, 0]), stable: Self.histogram([70_000, 25_000, 5000, 0, 0, 0]), confidence: 0.95,
            look: 2)
        #expect(trivial.outcome == .pass, "\(trivial.message)")
    }

    @Test func aHistogramWithoutBucketsIsAnError() {
        let check = Judge.evaluate(Self.latency, canary: .counts(.series([["code": "200"]: 5])), stable: nil, confidence: 0.95, look: 1)
        #expect(check.outcome == .error && check.message.contains("labelled le"))
    }

    // MARK: drift

    static let drift = SLO(name: "class-mix", measure: .distribution(query: "d"), maxDivergence: 0.01)

    static func classes(_ counts: [String: Double]) -> SLOMeasurement {
        .counts(.series(Dictionary(uniqueKeysWithValues: counts.map { (["class": $0.key], $0.value) })))
    }

    @Test(arguments: [
        (["churn": 600.0, "stay": 300, "unsure": 100], ["churn": 6000.0, "stay": 3000, "unsure": 1000], SLOCheck.Outcome.pass, "divergence 0.0000"),
        (["churn": 450.0, "stay": 350, "unsure": 200], ["churn": 6000.0, "stay": 3000, "unsure": 1000], .fail, "credibly above the bound (chi-squared"),
        (["churn": 48.0, "stay": 34, "unsure": 18], ["churn": 600.0, "stay": 300, "unsure": 100], .noData, "not yet credibly above or within it"),
        (["churn": 10.0, "stay": 5], ["churn": 6000.0, "stay": 3000, "unsure": 1000], .noData, "not enough data"),
        (["churn": 900.0, "stay": 100, "new": 200], ["churn": 900.0, "stay": 100], .fail, "credibly above the bound"),
    ])
    func predictionDrift(_ canary: [String: Double], _ stable: [String: Double], _ outcome: SLOCheck.Outcome, _ message: String) {
        let check = Judge.evaluate(Self.drift, canary: Self.classes(canary), stable: Self.classes(stable), confidence: 0.95, look: 4)
        #expect(check.outcome == outcome, "\(check.message)")
        #expect(check.message.contains(message), "\(check.message)")
        #expect(check.evidence?.test == "drift")
    }

    /// However strong, the first interval's evidence holds: how much the rate varies (bursts)
    /// shows only between intervals, and one burst read as the rate failed a good version.
    @Test func aRateVerdictWaitsForASecondInterval() {
        let slo = SLO(name: "errors", measure: .rate(events: "e", total: "t"), max: 0.04)
        let first = Judge.evaluate(slo, canary: .rate(events: .value(77), total: .value(764)), stable: nil, confidence: 0.95, state: JudgeState())
        #expect(first.outcome == .noData && first.message.contains("a burst cannot be told from the rate before a second"), "\(first.message)")
        #expect(first.state?.intervals == 1)
        let second = Judge.evaluate(
            slo, canary: .rate(events: .value(154), total: .value(1528)), stable: nil, confidence: 0.95, state: first.state ?? JudgeState())
        #expect(
            second.outcome == .noData && second.message.contains("2 intervals cannot yet show the errors are not bursts"),
            "two intervals: one burst across both? \(second.message)")
        let third = Judge.evaluate(
            slo, canary: .rate(events: .value(231), total: .value(2292)), stable: nil, confidence: 0.95, state: second.state ?? JudgeState())
        #expect(third.outcome == .fail, "the same rate in a third interval: no burst, a rate: \(third.message)")
    }

    /// Prometheus names a young counter only from its second sample: a class missing from a
    /// canary's first looks may be too young to report, so those looks hold; from the third look
    /// with data, a class the canary never predicts is a shift like any other.
    @Test func aClassMissingFromAYoungCanaryHoldsThenCountsAsZero() {
        let c = Self.classes(["churn": 700, "stay": 300])
        let s = Self.classes(["churn": 6000, "stay": 3000, "unsure": 1000])
        var state = JudgeState()
        for look in 1...2 {
            let check = Judge.evaluate(Self.drift, canary: c, stable: s, confidence: 0.95, state: state)
            #expect(check.outcome == .noData && check.message.contains("no series yet for class=unsure"), "look \(look): \(check.message)")
            state = check.state ?? state
        }
        #expect(state.looksWithData == 2 && state.looks == 0, "a held look spends nothing")
        let third = Judge.evaluate(Self.drift, canary: c, stable: s, confidence: 0.95, state: state)
        #expect(third.outcome == .fail && third.message.contains("credibly above the bound"), "\(third.message)")
        let complete = Judge.evaluate(
            Self.drift, canary: Self.classes(["churn": 600, "stay": 300, "unsure": 100]), stable: s, confidence: 0.95, state: JudgeState())
        #expect(complete.outcome == .pass, "every class named: judged at once: \(complete.message)")
    }

    @Test func laterLooksNeedStrongerEvidence() {
        let c = Self.classes(["churn": 540, "stay": 340, "unsure": 120])
        let s = Self.classes(["churn": 6000, "stay": 3000, "unsure": 1000])
        let first = Judge.evaluate(Self.drift, canary: c, stable: s, confidence: 0.95, look: 1)
        let hundredth = Judge.evaluate(Self.drift, canary: c, stable: s, confidence: 0.95, look: 100)
        #expect(first.evidence!.level! > hundredth.evidence!.level!)
        #expect(first.evidence!.pValue == hundredth.evidence!.pValue)
    }

    @Test func thresholdSLOsAreJudgedAsBefore() {
        let slo = SLO(name: "q", query: "q", max: 0.05)
        #expect(Judge.evaluate(slo, canary: .value(.value(0.06258)), stable: nil, confidence: 0.95, look: 1).outcome == .fail)
        #expect(Judge.evaluate(slo, canary: .value(.noData), stable: nil, confidence: 0.95, look: 1).outcome == .noData)
    }
}
