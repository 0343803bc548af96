import Foundation
import Rollout
import Testing

/// `relativeToStable` on a rate compares the versions only on traffic they served at the same
/// time: a shared incident cancels, an interval the stable version did not serve says nothing,
/// and a relative SLO both fails a canary and holds its promotion.
@Suite struct PairedComparisonTests {
    static func interval(_ ce: Double, _ cn: Double, _ se: Double, _ sn: Double) -> PairedRateTest.Interval {
        PairedRateTest.Interval(canaryErrors: ce, canaryRequests: cn, stableErrors: se, stableRequests: sn)
    }

    static func run(_ intervals: [PairedRateTest.Interval], ratio: Double) -> PairedRateTest.State {
        intervals.reduce(PairedRateTest.State()) { PairedRateTest.adding($1, to: $0, ratio: ratio) }
    }

    @Test func anIncidentBothVersionsShareCancels() {
        // Both at 1%, then both at 5% for two intervals, then 1% again: the canary served 5% of
        // the traffic, as at the first step.
        var intervals = Array(repeating: Self.interval(3, 300, 57, 5700), count: 10)
        intervals += [Self.interval(15, 300, 285, 5700), Self.interval(15, 300, 285, 5700)]
        intervals += Array(repeating: Self.interval(3, 300, 57, 5700), count: 10)
        let s = Self.run(intervals, ratio: 1)
        #expect(PairedRateTest.decide(s, alpha: 0.05) != .above)
        #expect(PairedRateTest.eValues(s).above < 1, "no evidence against the canary at all: \(PairedRateTest.eValues(s))")
        #expect(s.ratioEstimate == 1)
    }

    @Test func aCanaryAtThreeTimesTheStablesRateFailsAndIsNeverPassed() {
        let intervals = Array(repeating: Self.interval(5, 1000, 17, 10_000), count: 30)  // 0.5% vs 0.17%: 3×
        var s = PairedRateTest.State()
        var verdicts: [PairedRateTest.Verdict] = []
        for i in intervals {
            s = PairedRateTest.adding(i, to: s, ratio: 2)
            verdicts.append(PairedRateTest.decide(s, alpha: 0.05))
        }
        #expect(!verdicts.contains(.below), "\(verdicts)")
        #expect(verdicts.last == .above, "\(verdicts), \(PairedRateTest.eValues(s))")
    }

    @Test func anIntervalTheStableDidNotServeChangesNothing() {
        let before = Self.run([Self.interval(5, 1000, 50, 10_000)], ratio: 2)
        let after = PairedRateTest.adding(Self.interval(400, 11_000, 0, 0), to: before, ratio: 2)
        #expect(after == before, "at 100% the stable version serves nothing: no comparison")
    }

    @Test func noErrorsInEitherIsNoEvidence() {
        let s = Self.run(Array(repeating: Self.interval(0, 1000, 0, 10_000), count: 50), ratio: 2)
        #expect(PairedRateTest.eValues(s) == (1, 1) && PairedRateTest.decide(s, alpha: 0.05) == .undecided)
        #expect(s.intervals == 50 && s.canaryRequests == 50_000)
    }

    /// The judge over looks, as the controller runs it: cumulative counts from the canary's start,
    /// the state carried from look to look.
    static func looks(_ slo: SLO, _ cumulative: [(Double, Double, Double, Double)]) -> [SLOCheck] {
        var state = JudgeState()
        return cumulative.map { c in
            let check = Judge.evaluate(
                slo, canary: .rate(events: .value(c.0), total: .value(c.1)), stable: .rate(events: .value(c.2), total: .value(c.3)), confidence: 0.95,
                state: state)
            state = check.state!
            return check
        }
    }

    @Test func aSharedIncidentAtTheLastStepDoesNotRollBackAVersionIdenticalToStable() {
        let slo = SLO(name: "errors", measure: .rate(events: "e", total: "t"), relativeToStable: 1.5)
        // Equal versions at 1% through the shared steps, then at 100% an incident: 5% errors on
        // the canary alone (the stable version serves nothing).
        var cumulative: [(Double, Double, Double, Double)] = []
        var c = (0.0, 0.0, 0.0, 0.0)
        for _ in 0..<40 {
            c = (c.0 + 10, c.1 + 1000, c.2 + 10, c.3 + 1000)
            cumulative.append(c)
        }
        for _ in 0..<10 {
            c = (c.0 + 100, c.1 + 2000, c.2, c.3)
            cumulative.append(c)
        }
        let checks = Self.looks(slo, cumulative)
        #expect(!checks.contains { $0.outcome == .fail }, "\(checks.filter { $0.outcome == .fail }.map(\.message))")
        #expect(checks.last?.message.contains("the stable version served nothing since the last look") == true, "\(checks.last?.message ?? "")")
        #expect(checks.last?.outcome == checks[39].outcome, "the comparison stands as it was")
    }

    @Test func withMaxARelativeSLOHoldsAPromotionMaxAloneWouldGive() {
        let slo = SLO(name: "errors", measure: .rate(events: "e", total: "t"), max: 0.02, relativeToStable: 2)
        // 1.5% against the stable's 0.5%: under max, but three times the stable's.
        var cumulative: [(Double, Double, Double, Double)] = []
        var c = (0.0, 0.0, 0.0, 0.0)
        for _ in 0..<30 {
            c = (c.0 + 15, c.1 + 1000, c.2 + 50, c.3 + 10_000)
            cumulative.append(c)
        }
        let checks = Self.looks(slo, cumulative)
        #expect(!checks.contains { $0.outcome == .pass }, "never promoted on max alone")
        #expect(checks.contains { $0.outcome == .fail }, "\(checks.last?.message ?? "")")
    }
}

/// One error budget for a version, and looks without data spending none of it.
@Suite struct ErrorBudgetTests {
    @Test func theConfidenceIsSharedByTheSLOsJudgedOnEvidence() {
        let rate = SLO(name: "e", measure: .rate(events: "e", total: "t"), max: 0.02)
        let latency = SLO(name: "l", measure: .latency(histogram: "h", quantile: 0.95), max: 0.25)
        let drift = SLO(name: "d", measure: .distribution(query: "d"), maxDivergence: 0.01)
        let threshold = SLO(name: "q", measure: .value(query: "q"), max: 1)
        #expect(Judge.confidence(0.95, sharedBy: [rate]) == 0.95)
        #expect(Judge.confidence(0.95, sharedBy: [rate, threshold]) == 0.95, "a threshold SLO has no error rate to share")
        #expect(abs(Judge.confidence(0.95, sharedBy: [rate, latency, drift]) - (1 - 0.05 / 3)) < 1e-12)
    }

    @Test func aLookWithoutEnoughDataSpendsNothing() {
        let drift = SLO(name: "mix", measure: .distribution(query: "d"), minSamples: 50, maxDivergence: 0.01)
        func counts(_ a: Double, _ b: Double) -> SLOMeasurement { .counts(.series([["class": "a"]: a, ["class": "b"]: b])) }
        var state = JudgeState()
        for _ in 0..<5 {
            state = Judge.evaluate(drift, canary: counts(3, 2), stable: counts(30, 20), confidence: 0.95, state: state).state!
        }
        #expect(state.looks == 0, "five looks below minSamples spent nothing")
        let ran = Judge.evaluate(drift, canary: counts(300, 200), stable: counts(3000, 2000), confidence: 0.95, state: state)
        #expect(ran.state?.looks == 1)
        #expect(ran.message.contains("at look 1"), "\(ran.message)")
    }
}

/// Bursts count as fewer requests only when the intervals clearly vary more than independent
/// errors would.
@Suite struct DispersionTests {
    static func dispersion(_ intervals: [(Double, Double)]) -> Dispersion {
        Dispersion(
            events: intervals.map(\.0).reduce(0, +), requests: intervals.map(\.1).reduce(0, +), intervals: intervals.count,
            squaresOverRequests: intervals.reduce(0) { $0 + $1.0 * $1.0 / $1.1 })
    }

    static func factor(_ intervals: [(Double, Double)]) -> Double { dispersion(intervals).estimate }

    @Test func steadyErrorsAreNotBursts() {
        #expect(Self.factor(Array(repeating: (10, 1000), count: 20)) == 1)
        #expect(Self.factor([(3, 60)]) == 1, "one interval says nothing of how intervals vary")
        #expect(Self.factor([(3, 60)] + Array(repeating: (0, 60), count: 9)) == 1, "three errors over ten intervals cannot tell a burst from chance")
    }

    @Test func burstsAreMeasured() {
        // Minutes at 0.5% and at 4.5% alternating: the mean is 2.5%, the spread far beyond binomial.
        let bursty = (0..<20).map { $0 % 2 == 0 ? (5.0, 1000.0) : (45.0, 1000.0) }
        let f = Self.factor(bursty)
        #expect(f > 10 && f < 25, "\(f)")
    }

    /// Two looks that each saw half of one burst vary not at all: their estimate is 1, and it
    /// must not be taken as proof that errors are independent.
    @Test func fewIntervalsCannotShowErrorsAreSteady() {
        let straddled = Self.dispersion([(10, 120), (10, 120)])
        #expect(straddled.estimate == 1)
        #expect(abs(straddled.factor(alpha: 0.05) - 14.73) < 0.01, "(t₁/z)² at 95%: \(straddled.factor(alpha: 0.05))")
        let three = Self.dispersion([(10, 120), (10, 120), (10, 120)])
        #expect(abs(three.factor(alpha: 0.05) - 3.15) < 0.01, "\(three.factor(alpha: 0.05))")
        let many = Self.dispersion(Array(repeating: (10, 1000), count: 40))
        #expect(many.factor(alpha: 0.05) > 1 && many.factor(alpha: 0.05) < 1.1)
        #expect(Self.dispersion([(10, 120)]).factor(alpha: 0.05) == 1, "one interval: the judge holds instead")
    }
}
