/// How much more an error rate varies between analysis intervals than independent errors at
/// one rate would: Pearson's statistic over the intervals' counts divided by its degrees of
/// freedom (the quasi-binomial dispersion), never below 1. Errors that come in bursts (a bad
/// minute, a flaky dependency) carry less evidence per request than the binomial model
/// assumes, and the rate test counts them as that many times fewer requests. Pure.
public struct Dispersion: Sendable, Equatable {
    /// The plug-in estimate, at least 1.
    public var estimate: Double
    /// Intervals with requests; the estimate has one degree of freedom fewer.
    public var intervals: Int
    /// Errors per interval on average.
    public var eventsPerInterval: Double

    /// From the cumulative `events` and `requests`, the number of intervals with requests and
    /// Σ eᵢ² / nᵢ over them. 1 before two intervals, and with fewer than five errors per interval
    /// on average: then a burst cannot be told from chance (three errors in one interval of ten
    /// read as a dispersion of 3, and slowed a good low-traffic version into inconclusive).
    public init(events: Double, requests: Double, intervals: Int, squaresOverRequests: Double) {
        self.intervals = intervals
        eventsPerInterval = intervals > 0 ? events / Double(intervals) : 0
        guard intervals >= 2, requests > 0, eventsPerInterval >= Self.measurable, events < requests else {
            estimate = 1
            return
        }
        let p = events / requests
        let pearson = (squaresOverRequests - p * events) / (p * (1 - p))
        estimate = max(1, pearson / Double(intervals - 1))
    }

    /// Errors per interval below which a burst cannot be told from chance.
    static let measurable = 5.0

    /// What the evidence is divided by for a test at `alpha`: the estimate widened for how
    /// few intervals it rests on. An estimate from k intervals has k − 1 degrees of freedom and
    /// with few of them is mostly noise: two looks that each saw half of one burst show no
    /// variation at all, and a full run rolled a good bursty version back on exactly that. A
    /// quasi-likelihood with an estimated scale judges with Student's t on k − 1 degrees of
    /// freedom in place of the normal; the same widening here is w = (t/z)², 15 at two
    /// intervals and α = 0.05, 3.2 at three, 1.5 at six, under 1.1 past thirty. It applies at an
    /// estimate of 1 too: few intervals cannot show that errors are *not* bursty.
    ///
    /// With fewer errors per interval than `measurable`, only that share of the widening
    /// applies (1 + (w − 1) · errors per interval / 5): a burst needs errors to show, a
    /// low-traffic canary's verdicts are not held back for bursts it has too few errors to
    /// have, and the evidence still grows with every request (a cliff at five errors made 10 in
    /// 1,000 requests weigh less than 1 in 100). 1 before two intervals (the judge holds then).
    public func factor(alpha: Double) -> Double {
        guard intervals >= 2 else { return estimate }
        let z = SpecialFunctions.normalQuantile(1 - alpha)
        let t = SpecialFunctions.studentTCritical(alpha, degreesOfFreedom: Double(intervals - 1))
        let widening = max(1, (t / z) * (t / z))
        return 1 + (estimate * widening - 1) * min(1, eventsPerInterval / Self.measurable)
    }
}
