import Foundation

/// The Mann-Whitney U test on binned samples (histogram buckets): every sample in a bucket ties
/// with every other in it. Pure; checked against scipy's `mannwhitneyu` (asymptotic, with the
/// tie correction, without continuity correction).
public enum RankTest {
    public struct Result: Sendable, Equatable {
        /// U for the first sample: pairs where it is larger, plus half the ties.
        public var u: Double
        public var n1: Double
        public var n2: Double
        /// The standard deviation of U under "same distribution", with the tie correction.
        public var sigma: Double
        /// The variance of `superiority` estimated from the samples themselves (DeLong's
        /// placement values, ties counting half): right for a test against any probability,
        /// where `sigma` holds only when the two distributions are the same.
        public var superiorityVariance: Double = 0

        /// The probability that a sample from the first is larger than one from the second
        /// (ties counting half): 0.5 when the two do not differ.
        public var superiority: Double { n1 * n2 > 0 ? u / (n1 * n2) : 0.5 }

        /// z for "the first is larger than `probability` would make it": at 0.5 the classic
        /// test (the null variance); above it, with the variance of the estimate itself, since
        /// two distributions that differ by the margin do not have the null's variance.
        public func z(against probability: Double = 0.5) -> Double {
            if probability == 0.5 { return sigma > 0 ? (u - probability * n1 * n2) / sigma : 0 }
            return superiorityVariance > 0 ? (superiority - probability) / superiorityVariance.squareRoot() : 0
        }
    }

    /// `first[i]` and `second[i]` count the samples in bucket i, buckets in increasing order.
    public static func compare(_ first: [Double], _ second: [Double]) -> Result {
        precondition(first.count == second.count, "the two histograms need the same buckets")
        let n1 = first.reduce(0, +)
        let n2 = second.reduce(0, +)
        var below2 = 0.0
        var u = 0.0
        var ties = 0.0
        for i in first.indices {
            u += first[i] * (below2 + second[i] / 2)
            below2 += second[i]
            let t = first[i] + second[i]
            ties += t * t * t - t
        }
        let n = n1 + n2
        let variance = n > 1 ? n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))) : 0
        var result = Result(u: u, n1: n1, n2: n2, sigma: max(0, variance).squareRoot())
        result.superiorityVariance = placementVariance(first, second, theta: result.superiority)
        return result
    }

    /// DeLong's variance of the superiority estimate on binned samples: for a first-sample value
    /// in bucket i, the share of second samples below it (ties half), and the other way round.
    static func placementVariance(_ first: [Double], _ second: [Double], theta: Double) -> Double {
        let n1 = first.reduce(0, +)
        let n2 = second.reduce(0, +)
        guard n1 > 1, n2 > 1 else { return 0 }
        var secondBelow = 0.0
        var firstAbove = n1
        var s10 = 0.0
        var s01 = 0.0
        for i in first.indices {
            firstAbove -= first[i]
            let v10 = (secondBelow + second[i] / 2) / n2
            let v01 = (firstAbove + first[i] / 2) / n1
            s10 += first[i] * (v10 - theta) * (v10 - theta)
            s01 += second[i] * (v01 - theta) * (v01 - theta)
            secondBelow += second[i]
        }
        return s10 / (n1 - 1) / n1 + s01 / (n2 - 1) / n2
    }
}

/// Pearson's chi-squared test of homogeneity on a 2 × K table (the canary's and the stable
/// version's counts per category). Categories empty in both are dropped. Pure; checked against
/// scipy's `chi2_contingency(correction=False)`.
public enum ContingencyTest {
    public struct Result: Sendable, Equatable {
        public var statistic: Double
        public var degreesOfFreedom: Int
        public var pValue: Double
    }

    public static func homogeneity(_ first: [Double], _ second: [Double]) -> Result {
        precondition(first.count == second.count, "the two distributions need the same categories")
        let kept = first.indices.filter { first[$0] + second[$0] > 0 }
        let n1 = first.reduce(0, +)
        let n2 = second.reduce(0, +)
        let n = n1 + n2
        guard kept.count > 1, n1 > 0, n2 > 0 else { return Result(statistic: 0, degreesOfFreedom: 0, pValue: 1) }
        var statistic = 0.0
        for i in kept {
            let column = first[i] + second[i]
            for (observed, row) in [(first[i], n1), (second[i], n2)] {
                let expected = row * column / n
                statistic += (observed - expected) * (observed - expected) / expected
            }
        }
        let df = kept.count - 1
        return Result(statistic: statistic, degreesOfFreedom: df, pValue: SpecialFunctions.chiSquaredSurvival(statistic, degreesOfFreedom: Double(df)))
    }
}

/// How far apart two distributions are.
public enum Divergence {
    /// The Jensen-Shannon divergence in bits: 0 for the same distribution, 1 for disjoint ones.
    /// Symmetric, bounded, and defined when a category is empty on one side — which is why it is
    /// the drift bound rather than PSI or Kullback-Leibler, which are infinite then (a new class
    /// the canary predicts that the stable version never does is exactly what must be caught).
    /// Checked against scipy's `jensenshannon(p, q, base=2) ** 2`.
    public static func jensenShannon(_ first: [Double], _ second: [Double]) -> Double {
        let n1 = first.reduce(0, +)
        let n2 = second.reduce(0, +)
        guard n1 > 0, n2 > 0 else { return 0 }
        var total = 0.0
        for i in first.indices {
            let p = first[i] / n1
            let q = second[i] / n2
            let m = (p + q) / 2
            if p > 0 { total += 0.5 * p * log2(p / m) }
            if q > 0 { total += 0.5 * q * log2(q / m) }
        }
        return max(0, total)
    }
}

/// Fixed-sample tests (the rank and chi-squared tests) looked at after every analysis would find
/// a difference by chance sooner or later. Spending the error rate over the looks keeps it: the
/// k-th look (k = 1, 2, ...) tests at α · 6 / (π² k²), and these add up to α over any number of
/// looks (a union bound; conservative, and simple to reason about).
public enum LookSpending {
    public static func alpha(_ alpha: Double, look k: Int) -> Double {
        alpha * 6 / (Double.pi * Double.pi * Double(max(1, k) * max(1, k)))
    }
}
