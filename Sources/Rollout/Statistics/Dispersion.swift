/// How much more an error rate varies between analysis intervals than independent errors at
/// one rate would: Pearson's statistic over the intervals' counts divided by its degrees of
/// freedom (the quasi-binomial dispersion), never below 1. Errors that come in bursts (a bad
/// minute, a flaky dependency) carry less evidence per request than the binomial model
/// assumes, and the rate test counts them as that many times fewer requests. Pure.
public enum Dispersion {
    /// From the cumulative `events` and `requests`, the number of intervals with requests and
    /// Σ eᵢ² / nᵢ over them. 1 before two intervals, and with fewer than five errors per interval
    /// on average: then a burst cannot be told from chance (three errors in one interval of ten
    /// read as a dispersion of 3, and slowed a good low-traffic version into inconclusive).
    public static func factor(events: Double, requests: Double, intervals: Int, squaresOverRequests: Double) -> Double {
        guard intervals >= 2, requests > 0, events >= 5 * Double(intervals), events < requests else { return 1 }
        let p = events / requests
        let pearson = (squaresOverRequests - p * events) / (p * (1 - p))
        return max(1, pearson / Double(intervals - 1))
    }
}
