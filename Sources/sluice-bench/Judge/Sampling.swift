import Foundation

/// Seeded random draws for the simulated canaries (SplitMix64: the same numbers every run).
struct Seeded: RandomNumberGenerator {
    var state: UInt64

    init(_ seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func normal() -> Double {
        let u = max(uniform(), 1e-300)
        let v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// Poisson(λ): inversion for small λ, a normal approximation (rounded, ≥ 0) for large.
    mutating func poisson(_ lambda: Double) -> Int {
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

    /// Binomial(n, p): exact for small means (Poisson-limit inversion on the binomial pmf), a
    /// normal approximation when both n·p and n·(1 − p) are large.
    mutating func binomial(_ n: Int, _ p: Double) -> Int {
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
    mutating func multinomial(_ n: Int, _ probabilities: [Double]) -> [Int] {
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
