import Foundation

/// Wald's sequential probability ratio test between two simple hypotheses about a rate: the
/// test with the least expected sample size at given error rates, the yardstick for how many
/// requests a verdict needs at best.
enum SPRT {
    /// Expected requests until a verdict when the true rate is `p1` and the test is between the
    /// bound `p0` and `p1`, with both error rates `alpha` (Wald's approximation).
    static func expectedSamples(p0: Double, p1: Double, alpha: Double) -> Double? {
        guard p0 != p1 else { return nil }
        let kl = p1 * log(p1 / p0) + (1 - p1) * log((1 - p1) / (1 - p0))
        let a = log((1 - alpha) / alpha)
        let b = log(alpha / (1 - alpha))
        return ((1 - alpha) * a + alpha * b) / kl
    }
}
