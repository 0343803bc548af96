import Foundation
import RandomDraws
import Rollout

/// How many requests Sluice's rate test needs for a verdict when it looks after every request,
/// against Wald's SPRT between the bound and the true rate at the same error rates: the test's
/// own efficiency, apart from how often a controller looks.
enum SampleSize {
    struct Row {
        var rate: Double
        var median: Double
        var wrong: Double
        var sprt: Double?
    }

    static func measure(rates: [Double], bound: Double, confidence: Double, runs: Int, seed: UInt64) -> [Row] {
        let prior = RateConfidence.Prior.centered(on: bound)
        let alpha = 1 - confidence
        return rates.map { p in
            var sizes: [Double] = []
            var wrong = 0
            for run in 0..<runs {
                var rng = Seeded(seed &+ UInt64(run) &* 0x9E37_79B9 &+ UInt64(p * 1e6))
                var e = 0.0
                var n = 0.0
                var decision = RateConfidence.Decision.undecided
                while decision == .undecided, n < 1_000_000 {
                    n += 1
                    if rng.uniform() < p { e += 1 }
                    decision = RateConfidence.decide(events: e, trials: n, bound: bound, alpha: alpha, prior: prior)
                }
                sizes.append(n)
                if (p < bound && decision == .above) || (p > bound && decision == .below) { wrong += 1 }
            }
            sizes.sort()
            return Row(rate: p, median: sizes[sizes.count / 2], wrong: Double(wrong) / Double(runs), sprt: SPRT.expectedSamples(p0: bound, p1: p, alpha: alpha))
        }
    }

    static func report(_ rows: [Row], bound: Double, runs: Int) -> String {
        var out = "\n### Requests to a verdict, looking after every request (bound \(bound * 100)%, \(runs) runs per rate)\n\n"
        out += "| true error rate | median requests (Sluice) | SPRT expected requests | ratio | wrong verdicts |\n|---|---|---|---|---|\n"
        for r in rows {
            let ratio = r.sprt.map { String(format: "%.2f", r.median / $0) } ?? "—"
            out += "| \(r.rate * 100)% | \(Int(r.median)) | \(r.sprt.map { String(format: "%.0f", $0) } ?? "—") | \(ratio) | \(JudgeBench.percent(r.wrong)) |\n"
        }
        return out
    }
}
