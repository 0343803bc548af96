import Foundation

/// The few special functions the judge needs, each checked against scipy
/// (Tests/RolloutTests/Fixtures/statistics-reference.json).
public enum SpecialFunctions {
    /// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b).
    public static func logBeta(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }

    /// The standard normal distribution function Φ(z).
    public static func normalCDF(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// Φ⁻¹(p) for 0 < p < 1: Acklam's rational approximation refined by two Newton steps on
    /// `normalCDF` (relative error below 1e-12 away from the extreme tails).
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1")
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        for _ in 0..<2 {
            let density = exp(-x * x / 2) / (2 * Double.pi).squareRoot()
            guard density > 0 else { break }
            x -= (normalCDF(x) - p) / density
        }
        return x
    }

    /// The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a): the survival
    /// function of a chi-squared variable with 2a degrees of freedom at 2x. Series below a + 1,
    /// Lentz's continued fraction above (Numerical Recipes §6.2).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        precondition(a > 0, "regularizedGammaQ needs a > 0")
        if x <= 0 { return 1 }
        let front = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            var sum = 1 / a
            var term = 1 / a
            var n = a
            for _ in 0..<10_000 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - exp(front) * sum)
        }
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(front) * h
    }

    /// P(χ²_df ≥ x).
    public static func chiSquaredSurvival(_ x: Double, degreesOfFreedom df: Double) -> Double { regularizedGammaQ(df / 2, x / 2) }

    /// P(χ'²_df(λ) ≤ x) for the noncentral chi-squared distribution: a Poisson(λ/2) mixture of
    /// central chi-squared distributions with df + 2j degrees of freedom, summed outwards from
    /// the largest Poisson weight until the weights are negligible.
    public static func noncentralChiSquaredCDF(_ x: Double, degreesOfFreedom df: Double, noncentrality lambda: Double) -> Double {
        if x <= 0 { return 0 }
        if lambda <= 0 { return 1 - chiSquaredSurvival(x, degreesOfFreedom: df) }
        // The series needs thousands of incomplete-gamma terms once λ is large (a drift canary
        // at its bound for hours reaches λ ≈ 30,000, and each look asked it dozens of times);
        // there Sankaran's normal approximation agrees with scipy to 0.1% down to tails of 1e-4.
        if lambda > 2000 { return sankaran(x, df, lambda) }
        let half = lambda / 2
        let center = Int(half.rounded(.down))
        func weight(_ j: Int) -> Double { exp(-half + Double(j) * log(half) - lgamma(Double(j) + 1)) }
        func term(_ j: Int) -> Double { weight(j) * (1 - chiSquaredSurvival(x, degreesOfFreedom: df + 2 * Double(j))) }
        var total = term(center)
        var j = center + 1
        while j < center + 100_000 {
            let w = weight(j)
            total += w * (1 - chiSquaredSurvival(x, degreesOfFreedom: df + 2 * Double(j)))
            if w < 1e-17 { break }
            j += 1
        }
        j = center - 1
        while j >= 0 {
            let w = weight(j)
            total += w * (1 - chiSquaredSurvival(x, degreesOfFreedom: df + 2 * Double(j)))
            if w < 1e-17 { break }
            j -= 1
        }
        return min(1, max(0, total))
    }

    /// Sankaran (1963): a power of the noncentral χ² is close to normal.
    static func sankaran(_ x: Double, _ k: Double, _ lambda: Double) -> Double {
        let h = 1 - 2.0 / 3 * (k + lambda) * (k + 3 * lambda) / ((k + 2 * lambda) * (k + 2 * lambda))
        let p = (k + 2 * lambda) / ((k + lambda) * (k + lambda))
        let m = (h - 1) * (1 - 3 * h)
        let z = (pow(x / (k + lambda), h) - (1 + h * p * (h - 1 - 0.5 * (2 - h) * m * p))) / (h * (2 * p).squareRoot() * (1 + 0.5 * m * p))
        return normalCDF(z)
    }

    /// The x with P(χ²_df ≥ x) = `survival` (bisection on `chiSquaredSurvival`).
    public static func chiSquaredCritical(_ survival: Double, degreesOfFreedom df: Double) -> Double {
        var lo = 0.0
        var hi = max(1, df)
        while chiSquaredSurvival(hi, degreesOfFreedom: df) > survival { hi *= 2 }
        for _ in 0..<200 where hi - lo > 1e-12 * hi {
            let mid = (lo + hi) / 2
            if chiSquaredSurvival(mid, degreesOfFreedom: df) > survival { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// The regularized incomplete beta function I_x(a, b), by Lentz's continued fraction
    /// (Numerical Recipes §6.4), evaluated on the side of I_x(a, b) = 1 − I₁₋ₓ(b, a) where it
    /// converges quickly.
    public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        precondition(a > 0 && b > 0, "regularizedBeta needs a, b > 0")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedBeta(1 - x, b, a) }
        let front = exp(a * log(x) + b * log1p(-x) - logBeta(a, b))
        return front * betaContinuedFraction(x, a, b) / a
    }

    static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        func nonzero(_ v: Double) -> Double { abs(v) < tiny ? tiny : v }
        var c = 1.0
        var d = 1 / nonzero(1 - (a + b) * x / (a + 1))
        var h = d
        for m in 1...10_000 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 / nonzero(1 + even * d)
            c = nonzero(1 + even / c)
            h *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 / nonzero(1 + odd * d)
            c = nonzero(1 + odd / c)
            h *= d * c
            if abs(d * c - 1) < 1e-15 { break }
        }
        return h
    }

    /// P(T ≥ t) for Student's t with `df` degrees of freedom.
    public static func studentTSurvival(_ t: Double, degreesOfFreedom df: Double) -> Double {
        let tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5)
        return t >= 0 ? tail : 1 - tail
    }

    /// The t with P(T_df ≥ t) = `survival`, for 0 < survival < ½ (bisection on `studentTSurvival`).
    public static func studentTCritical(_ survival: Double, degreesOfFreedom df: Double) -> Double {
        precondition(survival > 0 && survival < 0.5, "studentTCritical needs 0 < survival < 0.5")
        var lo = 0.0
        var hi = 1.0
        while studentTSurvival(hi, degreesOfFreedom: df) > survival { hi *= 2 }
        for _ in 0..<200 where hi - lo > 1e-12 * hi {
            let mid = (lo + hi) / 2
            if studentTSurvival(mid, degreesOfFreedom: df) > survival { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
