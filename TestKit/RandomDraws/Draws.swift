import Foundation

/// The draws simulated traffic is made of, on any generator.
extension RandomNumberGenerator {
    /// Uniform on [0, 1), 53 bits.
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal (Box-Muller).
    public mutating func normal() -> Double {
        let u = max(uniform(), 1e-300)
        let v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// Gamma(shape, 1) (Marsaglia and Tsang; below shape 1, Gamma(shape + 1) · U^(1/shape)).
    public mutating func gamma(shape: Double) -> Double {
        if shape < 1 { return gamma(shape: shape + 1) * pow(max(uniform(), 1e-300), 1 / shape) }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            let x = normal()
            let v = pow(1 + c * x, 3)
            if v <= 0 { continue }
            let u = uniform()
            if log(max(u, 1e-300)) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    /// A positive factor with mean 1 and this coefficient of variation (Gamma): how much a
    /// burst multiplies a rate by.
    public mutating func burst(coefficientOfVariation cv: Double) -> Double {
        guard cv > 0 else { return 1 }
        return gamma(shape: 1 / (cv * cv)) * cv * cv
    }

    /// Poisson(λ): inversion for small λ, a normal approximation (rounded, ≥ 0) for large.
    public mutating func poisson(_ lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        if lambda > 60 { return max(0, Int((lambda + lambda.squareRoot() * normal()).rounded())) }
        var k = 0
        var p = exp(-lambda)
        var cumulative = p
        let u = uniform()
        while u > cumulative, k < 10_000 {
            k += 1
            p *= lambda / Double(k)
            cumulative += p
        }
        return k
    }

    /// Binomial(n, p): exact for small means (inversion on the binomial pmf), a normal
    /// approximation when both n·p and n·(1 − p) are large.
    public mutating func binomial(_ n: Int, _ p: Double) -> Int {
        guard n > 0, p > 0 else { return 0 }
        if p >= 1 { return n }
        let mean = Double(n) * p
        if mean > 40 && Double(n) * (1 - p) > 40 {
            return min(n, max(0, Int((mean + (mean * (1 - p)).squareRoot() * normal()).rounded())))
        }
        let q = 1 - p
        var k = 0
        var pmf = pow(q, Double(n))
        var cumulative = pmf
        let u = uniform()
        while u > cumulative, k < n {
            pmf *= Double(n - k) / Double(k + 1) * p / q
            k += 1
            cumulative += pmf
        }
        return k
    }

    /// Counts over categories with these probabilities (summing to 1).
    public mutating func multinomial(_ n: Int, _ probabilities: [Double]) -> [Int] {
        var left = n
        var rest = 1.0
        var out: [Int] = []
        for (i, p) in probabilities.enumerated() {
            if i == probabilities.count - 1 {
                out.append(left)
                break
            }
            let k = rest > 0 ? binomial(left, min(1, p / rest)) : 0
            out.append(k)
            left -= k
            rest -= p
        }
        return out
    }
}
