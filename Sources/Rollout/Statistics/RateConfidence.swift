import Foundation

/// Anytime-valid inference for a rate (errors among requests, slow requests among requests): a
/// confidence sequence from the beta-binomial mixture martingale (Robbins 1970; Howard, Ramdas,
/// McAuliffe and Sekhon, "Time-uniform, nonparametric, nonasymptotic confidence sequences",
/// 2021). Pure.
///
/// For a true rate p, the mixture likelihood ratio
///
///     M_n(p) = B(a + e, b + n − e) / B(a, b) / (pᵉ (1 − p)ⁿ⁻ᵉ)
///
/// of e events in n trials is a nonnegative martingale with mean 1, so by Ville's inequality
/// P(M_n(p) ≥ 1/α for some n) ≤ α: the set {p : M_n(p) < 1/α} covers the true rate at every n
/// at once, however often it is looked at. log M_n(p) is convex in p with its minimum at e/n,
/// so the set is an interval around the estimate.
///
/// A decision against a bound p₀ — the rate is above it (fail) or below it (pass) — is taken
/// when p₀ falls outside the interval. Either wrong decision needs the interval to miss the true
/// rate, so each happens with probability at most α = 1 − confidence, over the whole canary.
public enum RateConfidence {
    /// The mixing prior Beta(a, b). Any fixed prior keeps the guarantee; it decides which rates
    /// the sequence is sharpest for. `centered(on:)` puts its mean on the rate that matters (the
    /// SLO's bound) with the weight of one observation, so rare-event rates near the bound are
    /// judged on the fewest requests (docs/analysis.md, docs/benchmarks.md).
    public struct Prior: Sendable, Equatable {
        public var a: Double
        public var b: Double

        public init(a: Double, b: Double) {
            self.a = a
            self.b = b
        }

        public static func centered(on rate: Double) -> Prior {
            let r = min(max(rate, 1e-6), 0.5)
            return Prior(a: 0.4, b: 0.4 / r - 0.4)
        }
    }

    /// log M_n(p); +∞ where p is impossible given the data (p = 0 with events, p = 1 with non-events).
    public static func logMixture(events e: Double, trials n: Double, rate p: Double, prior: Prior) -> Double {
        let mix = SpecialFunctions.logBeta(prior.a + e, prior.b + n - e) - SpecialFunctions.logBeta(prior.a, prior.b)
        let pe = e > 0 ? e * log(p) : 0
        let qe = n - e > 0 ? (n - e) * log1p(-p) : 0
        let value = mix - pe - qe
        return value.isNaN ? .infinity : value
    }

    /// The (1 − α) confidence sequence's interval at this sample.
    public static func interval(events e: Double, trials n: Double, alpha: Double, prior: Prior) -> (lower: Double, upper: Double) {
        guard n > 0 else { return (0, 1) }
        let threshold = log(1 / alpha)
        let estimate = e / n
        func outside(_ p: Double) -> Bool { logMixture(events: e, trials: n, rate: p, prior: prior) >= threshold }
        func edge(from inside: Double, to out: Double) -> Double {
            guard outside(out) else { return out }
            var (lo, hi) = (inside, out)
            for _ in 0..<200 where abs(hi - lo) > 1e-12 * max(1e-12, abs(hi)) {
                let mid = (lo + hi) / 2
                if outside(mid) { hi = mid } else { lo = mid }
            }
            return hi
        }
        return (edge(from: estimate, to: 0), edge(from: estimate, to: 1))
    }

    public enum Decision: String, Sendable, Equatable { case below, above, undecided }

    /// Whether the evidence puts the rate credibly below or above `bound`.
    public static func decide(events e: Double, trials n: Double, bound: Double, alpha: Double, prior: Prior) -> Decision {
        guard n > 0 else { return .undecided }
        let estimate = e / n
        guard estimate != bound, logMixture(events: e, trials: n, rate: bound, prior: prior) >= log(1 / alpha) else { return .undecided }
        return estimate < bound ? .below : .above
    }

    /// About how many more trials a decision against `bound` needs if the rate stays at its
    /// current estimate (nil: none would, the estimate sits on the bound). With no trials yet,
    /// `assumedRate` stands in for the estimate.
    public static func trialsNeeded(events e: Double, trials n: Double, bound: Double, alpha: Double, prior: Prior, assumedRate: Double? = nil) -> Double? {
        let rate = n > 0 ? e / n : (assumedRate ?? 0)
        guard rate != bound else { return nil }
        func decided(_ total: Double) -> Bool { decide(events: rate * total, trials: total, bound: bound, alpha: alpha, prior: prior) != .undecided }
        if n > 0, decided(n) { return 0 }
        var hi = max(n, 1) * 2
        while !decided(hi) {
            hi *= 2
            if hi > 1e12 { return nil }
        }
        var lo = max(n, hi / 2)
        while hi - lo > max(1, lo * 0.01) {
            let mid = (lo + hi) / 2
            if decided(mid) { hi = mid } else { lo = mid }
        }
        return (hi - n).rounded(.up)
    }
}
