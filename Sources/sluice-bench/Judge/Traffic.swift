import Foundation
import RandomDraws

/// How one version behaves in a simulated canary, and what a look at its metrics sees.
struct VersionBehavior: Sendable {
    var errorRate: Double
    /// Log-normal latency: its median (seconds) and log-scale spread.
    var latencyMedian: Double
    var latencySigma: Double
    var classMix: [Double]

    static let stable = VersionBehavior(errorRate: 0.01, latencyMedian: 0.1, latencySigma: log(2) / 1.645, classMix: [0.2, 0.7, 0.1])

    /// Histogram bucket upper bounds, as a model server exports them.
    static let edges: [Double] = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, .infinity]

    var bucketProbabilities: [Double] {
        var previous = 0.0
        return Self.edges.map { edge in
            let c = edge.isInfinite ? 1 : 0.5 * erfc(-log(edge / latencyMedian) / latencySigma / 2.0.squareRoot())
            defer { previous = c }
            return c - previous
        }
    }

    var p95: Double { latencyMedian * exp(1.6448536 * latencySigma) }
}

/// What one version served during one analysis interval.
struct IntervalCounts {
    var requests = 0
    var errors = 0
    var buckets = [Int](repeating: 0, count: VersionBehavior.edges.count)
    var classes = [0, 0, 0]

    static func draw(_ b: VersionBehavior, rate: Double, seconds: Double, _ rng: inout Seeded) -> IntervalCounts {
        var c = IntervalCounts()
        c.requests = rng.poisson(rate * seconds)
        c.errors = rng.binomial(c.requests, b.errorRate)
        c.buckets = rng.multinomial(c.requests, b.bucketProbabilities)
        c.classes = rng.multinomial(c.requests - c.errors, b.classMix)
        return c
    }

    mutating func add(_ o: IntervalCounts) {
        requests += o.requests
        errors += o.errors
        for i in buckets.indices { buckets[i] += o.buckets[i] }
        for i in classes.indices { classes[i] += o.classes[i] }
    }

    /// Cumulative buckets by `le`, as a histogram query returns them.
    var histogram: [[String: String]: Double] {
        var running = 0
        var out: [[String: String]: Double] = [:]
        for (edge, n) in zip(VersionBehavior.edges, buckets) {
            running += n
            out[["le": edge.isInfinite ? "+Inf" : "\(edge)"]] = Double(running)
        }
        return out
    }

    var predictions: [[String: String]: Double] {
        Dictionary(uniqueKeysWithValues: zip(["churn", "stay", "unsure"], classes).map { (["class": $0.0], Double($0.1)) })
    }

    /// histogram_quantile as Prometheus computes it: linear within the bucket.
    func quantile(_ q: Double) -> Double? {
        guard requests > 0 else { return nil }
        let rank = q * Double(requests)
        var running = 0.0
        var lower = 0.0
        for (edge, n) in zip(VersionBehavior.edges, buckets) {
            if running + Double(n) >= rank {
                if edge.isInfinite { return lower }
                return lower + (edge - lower) * (n == 0 ? 0 : (rank - running) / Double(n))
            }
            running += Double(n)
            lower = edge
        }
        return lower
    }
}
