import Foundation

/// What a simulated canary is, and what the right verdict for it is.
struct Scenario: Sendable {
    enum Kind: String, Sendable { case rate, latency, drift }
    var name: String
    var kind: Kind
    var canary: VersionBehavior
    /// Whether promoting it is right (it meets the SLO); otherwise rolling it back is.
    var shouldPass: Bool

    static let all: [Scenario] = {
        let s = VersionBehavior.stable
        func with(_ change: (inout VersionBehavior) -> Void) -> VersionBehavior {
            var b = s
            change(&b)
            return b
        }
        return [
            Scenario(name: "equal to stable (1% errors)", kind: .rate, canary: s, shouldPass: true),
            Scenario(name: "1.5x errors", kind: .rate, canary: with { $0.errorRate = 0.015 }, shouldPass: true),
            Scenario(name: "2x errors (at the bound)", kind: .rate, canary: with { $0.errorRate = 0.02 }, shouldPass: false),
            Scenario(name: "5x errors", kind: .rate, canary: with { $0.errorRate = 0.05 }, shouldPass: false),
            Scenario(name: "p95 latency +20%", kind: .latency, canary: with { $0.latencyMedian *= 1.2 }, shouldPass: true),
            Scenario(name: "p95 latency +100%", kind: .latency, canary: with { $0.latencyMedian *= 2 }, shouldPass: false),
            Scenario(name: "class mix shifted 2 points", kind: .drift, canary: with { $0.classMix = [0.22, 0.68, 0.1] }, shouldPass: true),
            Scenario(name: "class mix shifted 10 points", kind: .drift, canary: with { $0.classMix = [0.3, 0.6, 0.1] }, shouldPass: false),
        ]
    }()
}

/// How one simulated canary ended.
struct RunResult: Sendable {
    enum Outcome: Sendable { case promoted, rolledBack, none }
    var outcome: Outcome
    var minutes: Double
    var canaryRequests: Double
    /// Canary requests when the judge first reached a verdict on the SLO the scenario is about
    /// (Sluice's judge only: the threshold judges give one at every look).
    var requestsToFirstVerdict: Double?
}

/// The timing every judge runs with: four steps of two minutes, a look every 30 s, and (for the
/// judges that can wait) up to eight hours for a verdict.
enum Schedule {
    static let interval = 30.0
    static let stepDuration = 120.0
    static let steps = [5, 25, 50, 100]
    static let horizon = 8 * 3600.0
    /// The stable version serves ten times the canary's traffic.
    static let stableTrafficRatio = 10.0
    static let maxErrorRate = 0.02
    static let latencyMax = 0.25
    static let quantile = 0.95
    static let maxDivergence = 0.005
}
