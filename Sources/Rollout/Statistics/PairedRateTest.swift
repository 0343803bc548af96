import Foundation

/// Is the canary's error rate more (or less) than `ratio` times the stable version's, judged
/// only on traffic the two served at the same time?
///
/// In each analysis interval t both versions see the same world: whatever raises the stable
/// version's rate to p_t (an incident downstream, a burst of bad inputs) raises the canary's to
/// θ·p_t. Given the interval's errors of both, E_t, the canary's share of them is binomial with
/// π_t(θ) = θ·n_c / (θ·n_c + n_s), whatever p_t was: shared incidents and bursts cancel, and an
/// interval in which one version served nothing says nothing. The test multiplies, over
/// intervals, the likelihood ratio of alternatives θ against θ₀ = ratio and mixes over a fixed
/// grid of alternatives. Each side's mixture is a nonnegative (super)martingale while its null
/// holds (θ ≤ ratio for the fail side, θ ≥ ratio for the pass side: the binomial family has
/// monotone likelihood ratios), so by Ville's inequality it ever reaches 1/α with probability at
/// most α, however often it is looked at. Pure.
public enum PairedRateTest {
    /// The alternatives, as log(θ / ratio), and their prior weights (equal). From a tenth more
    /// to twenty times: small effects take many errors to see, large ones few.
    static let offsets: [Double] = [0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0]

    /// The evidence so far: the log likelihood ratio of each alternative against the null, for
    /// the side above (`up`) and below (`down`) the ratio, and the totals over intervals both
    /// versions served in.
    public struct State: Sendable, Equatable, Codable {
        public var up: [Double]
        public var down: [Double]
        public var canaryErrors: Double
        public var canaryRequests: Double
        public var stableErrors: Double
        public var stableRequests: Double
        /// Intervals in which both versions served requests.
        public var intervals: Int

        public init() {
            up = Array(repeating: 0, count: PairedRateTest.offsets.count)
            down = Array(repeating: 0, count: PairedRateTest.offsets.count)
            canaryErrors = 0
            canaryRequests = 0
            stableErrors = 0
            stableRequests = 0
            intervals = 0
        }

        /// The canary's rate over the stable's, on the shared intervals (nil: no stable errors).
        public var ratioEstimate: Double? {
            guard canaryRequests > 0, stableRequests > 0, stableErrors > 0 else { return nil }
            return (canaryErrors / canaryRequests) / (stableErrors / stableRequests)
        }
    }

    /// One interval's counts: errors and requests of each version.
    public struct Interval: Sendable, Equatable {
        public var canaryErrors: Double
        public var canaryRequests: Double
        public var stableErrors: Double
        public var stableRequests: Double

        public init(canaryErrors: Double, canaryRequests: Double, stableErrors: Double, stableRequests: Double) {
            self.canaryErrors = canaryErrors
            self.canaryRequests = canaryRequests
            self.stableErrors = stableErrors
            self.stableRequests = stableRequests
        }
    }

    /// The evidence with one more interval.
    public static func adding(_ i: Interval, to state: State, ratio: Double) -> State {
        var s = state
        guard i.canaryRequests > 0, i.stableRequests > 0 else { return s }
        s.intervals += 1
        s.canaryErrors += i.canaryErrors
        s.canaryRequests += i.canaryRequests
        s.stableErrors += i.stableErrors
        s.stableRequests += i.stableRequests
        guard i.canaryErrors + i.stableErrors > 0 else { return s }
        func share(_ theta: Double) -> Double { theta * i.canaryRequests / (theta * i.canaryRequests + i.stableRequests) }
        let null = share(ratio)
        func logRatio(_ theta: Double) -> Double {
            let p = share(theta)
            return i.canaryErrors * log(p / null) + i.stableErrors * log((1 - p) / (1 - null))
        }
        for (k, d) in offsets.enumerated() {
            s.up[k] += logRatio(ratio * exp(d))
            s.down[k] += logRatio(ratio * exp(-d))
        }
        return s
    }

    /// The mixture e-values: against "not above the ratio" and against "not below it".
    public static func eValues(_ s: State) -> (above: Double, below: Double) {
        func mixture(_ logs: [Double]) -> Double {
            guard let top = logs.max() else { return 0 }
            let sum = logs.reduce(0) { $0 + exp($1 - top) }
            return exp(top) * sum / Double(logs.count)
        }
        return (mixture(s.up), mixture(s.down))
    }

    public enum Verdict: Sendable, Equatable { case above, below, undecided }

    /// Above when the evidence against "at most the ratio" reaches 1/α, below when the evidence
    /// against "at least the ratio" does.
    public static func decide(_ s: State, alpha: Double) -> Verdict {
        let e = eValues(s)
        if e.above >= 1 / alpha { return .above }
        if e.below >= 1 / alpha { return .below }
        return .undecided
    }

    /// How many times the shared evidence so far a verdict needs, if things go on as they have
    /// (the log ratios grow in proportion); nil when none would come.
    public static func scaleNeeded(_ s: State, alpha: Double) -> Double? {
        func decided(_ k: Double) -> Bool {
            var t = s
            t.up = s.up.map { $0 * k }
            t.down = s.down.map { $0 * k }
            return decide(t, alpha: alpha) != .undecided
        }
        guard s.intervals > 0, s.up.contains(where: { $0 > 0 }) || s.down.contains(where: { $0 > 0 }) else { return nil }
        var hi = 2.0
        while !decided(hi) {
            hi *= 2
            if hi > 1e6 { return nil }
        }
        var lo = hi / 2
        while hi - lo > 0.01 * lo {
            let mid = (lo + hi) / 2
            if decided(mid) { hi = mid } else { lo = mid }
        }
        return hi
    }
}
