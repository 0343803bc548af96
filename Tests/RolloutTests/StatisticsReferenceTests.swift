import Foundation
import Rollout
import TestSupport
import Testing
import YAML

/// The judge's statistics against scipy's (Fixtures/statistics-reference.json, written by
/// scripts/statistics-reference.py): the special functions, the rate confidence sequence's
/// interval and decision boundaries, Mann-Whitney U with ties, chi-squared, Jensen-Shannon.
@Suite(.offThePool) struct StatisticsReferenceTests {
    static let reference: Value = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/statistics-reference.json").path
        return try! JSON.parse(String(contentsOfFile: path, encoding: .utf8))
    }()

    static func cases(_ name: String) -> [Value] { reference[path: ["cases", name]]?.arrayValue ?? [] }
    static func numbers(_ v: Value?) -> [Double] { (v?.arrayValue ?? []).compactMap(\.doubleValue) }

    func close(_ a: Double, _ b: Double, relative: Double = 1e-9, absolute: Double = 1e-12) -> Bool {
        abs(a - b) <= max(absolute, relative * max(abs(a), abs(b)))
    }

    @Test func thereAreAtLeastFiftyCases() {
        let total = (Self.reference["cases"]?.objectValue.map { Array($0.values) } ?? []).map { $0.arrayValue?.count ?? 0 }.reduce(0, +)
        #expect(total >= 50, "\(total)")
    }

    @Test func specialFunctions() {
        for c in Self.cases("logBeta") {
            let v = SpecialFunctions.logBeta(c["a"]!.doubleValue!, c["b"]!.doubleValue!)
            #expect(close(v, c["value"]!.doubleValue!, relative: 1e-10), "logBeta \(c): \(v)")
        }
        for c in Self.cases("normalQuantile") {
            let v = SpecialFunctions.normalQuantile(c["p"]!.doubleValue!)
            #expect(close(v, c["value"]!.doubleValue!, relative: 1e-9), "Φ⁻¹ \(c): \(v)")
        }
        for c in Self.cases("chiSquaredSurvival") {
            let v = SpecialFunctions.chiSquaredSurvival(c["x"]!.doubleValue!, degreesOfFreedom: c["df"]!.doubleValue!)
            #expect(close(v, c["value"]!.doubleValue!, relative: 1e-9, absolute: 1e-15), "χ² sf \(c): \(v)")
        }
    }

    @Test func chiSquaredCriticalValues() {
        for c in Self.cases("chiSquaredCritical") {
            let v = SpecialFunctions.chiSquaredCritical(c["p"]!.doubleValue!, degreesOfFreedom: c["df"]!.doubleValue!)
            #expect(close(v, c["value"]!.doubleValue!, relative: 1e-8), "χ² isf \(c): \(v)")
        }
    }

    /// Student's t, which widens a dispersion measured over few intervals (`Dispersion.factor`).
    @Test func regularizedBetaAndStudentT() {
        for c in Self.cases("regularizedBeta") {
            let v = SpecialFunctions.regularizedBeta(c["x"]!.doubleValue!, c["a"]!.doubleValue!, c["b"]!.doubleValue!)
            #expect(close(v, c["value"]!.doubleValue!, relative: 1e-9), "I_x(a, b) \(c): \(v)")
        }
        for c in Self.cases("studentTSurvival") {
            let v = SpecialFunctions.studentTSurvival(c["t"]!.doubleValue!, degreesOfFreedom: c["df"]!.doubleValue!)
            #expect(close(v, c["value"]!.doubleValue!, relative: 1e-9), "t sf \(c): \(v)")
        }
        for c in Self.cases("studentTCritical") {
            let v = SpecialFunctions.studentTCritical(c["p"]!.doubleValue!, degreesOfFreedom: c["df"]!.doubleValue!)
            #expect(close(v, c["value"]!.doubleValue!, relative: 1e-8), "t isf \(c): \(v)")
        }
    }

    @Test func noncentralChiSquared() {
        for c in Self.cases("noncentralChiSquared") {
            let v = SpecialFunctions.noncentralChiSquaredCDF(
                c["x"]!.doubleValue!, degreesOfFreedom: c["df"]!.doubleValue!, noncentrality: c["lambda"]!.doubleValue!)
            #expect(close(v, c["value"]!.doubleValue!, relative: 1e-7, absolute: 1e-12), "ncx2 cdf \(c): \(v)")
        }
    }

    @Test func rateIntervalsAndDecisions() {
        for c in Self.cases("rateInterval") {
            let (e, n, alpha, rate) = (c["events"]!.doubleValue!, c["trials"]!.doubleValue!, c["alpha"]!.doubleValue!, c["priorRate"]!.doubleValue!)
            let prior = RateConfidence.Prior.centered(on: rate)
            let (lower, upper) = RateConfidence.interval(events: e, trials: n, alpha: alpha, prior: prior)
            #expect(close(lower, c["lower"]!.doubleValue!, relative: 1e-7, absolute: 1e-12), "lower \(c): \(lower)")
            #expect(close(upper, c["upper"]!.doubleValue!, relative: 1e-7, absolute: 1e-12), "upper \(c): \(upper)")
            let decision = RateConfidence.decide(events: e, trials: n, bound: rate, alpha: alpha, prior: prior)
            #expect(decision.rawValue == c["decision"]!.stringValue!, "decision \(c)")
        }
    }

    /// The sequential test's boundaries: at each sample size, the most events still judged below
    /// the bound and the fewest judged above.
    @Test func rateDecisionBoundaries() {
        for c in Self.cases("rateBoundaries") {
            let (n, bound, alpha) = (c["trials"]!.doubleValue!, c["bound"]!.doubleValue!, c["alpha"]!.doubleValue!)
            let prior = RateConfidence.Prior.centered(on: bound)
            let decisions = (0...Int(n)).map { RateConfidence.decide(events: Double($0), trials: n, bound: bound, alpha: alpha, prior: prior) }
            let maxBelow = decisions.lastIndex(of: .below)
            let minAbove = decisions.firstIndex(of: .above)
            #expect(maxBelow.map { Int64($0) } == c["maxBelow"]?.intValue, "\(c)")
            #expect(minAbove.map { Int64($0) } == c["minAbove"]?.intValue, "\(c)")
        }
    }

    @Test func mannWhitneyWithTies() {
        for c in Self.cases("mannWhitney") {
            let r = RankTest.compare(Self.numbers(c["first"]), Self.numbers(c["second"]))
            #expect(close(r.u, c["u"]!.doubleValue!), "U \(c): \(r.u)")
            #expect(close(r.sigma, c["sigma"]!.doubleValue!, relative: 1e-9), "σ \(c): \(r.sigma)")
            let p = 1 - SpecialFunctions.normalCDF(r.z())
            #expect(close(p, c["pGreater"]!.doubleValue!, relative: 1e-7, absolute: 1e-12), "p \(c): \(p)")
        }
    }

    /// Large noncentralities use Sankaran's approximation: against scipy's `ncx2.cdf` at its own
    /// quantiles, from the far lower tail to the upper.
    @Test func noncentralChiSquaredForLargeNoncentrality() {
        let cases: [(x: Double, df: Double, lambda: Double, cdf: Double)] = [
            (348.42380425938813, 2, 500, 1e-4), (430.10809279733303, 2, 500, 0.05), (648.8153431321198, 2, 500, 0.999),
            (26770.198921186442, 2, 28000, 1e-4), (28554.18375993824, 2, 28000, 0.95), (437.15926723918983, 7, 600, 1e-4),
            (1204.9929874365791, 1, 1000, 0.999),
        ]
        for c in cases {
            let got = SpecialFunctions.noncentralChiSquaredCDF(c.x, degreesOfFreedom: c.df, noncentrality: c.lambda)
            #expect(close(got, c.cdf, relative: 1e-3), "\(c): \(got)")
        }
    }

    /// DeLong's variance of the superiority estimate, against a direct computation on the
    /// expanded samples (numpy: every pair compared, placement values, ddof=1).
    @Test func superiorityVarianceFromPlacementValues() {
        let r = RankTest.compare([5, 10, 20, 8, 2], [12, 30, 25, 6, 1])
        #expect(close(r.superiority, 0.6297297297297298, relative: 1e-12))
        #expect(close(r.superiorityVariance, 0.0026096872146174877, relative: 1e-9), "\(r.superiorityVariance)")
        // The margin test uses it; the classic one keeps the null variance.
        #expect(close(r.z(against: 0.55), (r.superiority - 0.55) / r.superiorityVariance.squareRoot()))
        #expect(close(r.z(), (r.u - 0.5 * r.n1 * r.n2) / r.sigma))
    }

    @Test func chiSquaredHomogeneity() {
        for c in Self.cases("chiSquared") {
            let r = ContingencyTest.homogeneity(Self.numbers(c["first"]), Self.numbers(c["second"]))
            #expect(close(r.statistic, c["statistic"]!.doubleValue!), "χ² \(c): \(r.statistic)")
            #expect(Int64(r.degreesOfFreedom) == c["df"]!.intValue!, "df \(c)")
            #expect(close(r.pValue, c["pValue"]!.doubleValue!, relative: 1e-8, absolute: 1e-15), "p \(c): \(r.pValue)")
        }
    }

    @Test func jensenShannonDivergence() {
        for c in Self.cases("jensenShannon") {
            let v = Divergence.jensenShannon(Self.numbers(c["first"]), Self.numbers(c["second"]))
            #expect(close(v, c["value"]!.doubleValue!, relative: 1e-9, absolute: 1e-14), "JS \(c): \(v)")
        }
    }
}
