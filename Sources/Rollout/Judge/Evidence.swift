import Foundation
import Values

/// What a verdict rests on, as the status and `sluice status` show it: how many requests, the
/// estimate and its interval at the stated confidence, the stable version's the same, and what
/// more is needed for a verdict.
public struct Evidence: Sendable, Equatable, Codable {
    /// `rate` (events among requests), `rank` (latency against the stable version) or `drift`
    /// (a distribution against the stable version's).
    public var test: String
    public var confidence: Double
    /// Requests (or predictions) seen for the canary since it started taking traffic.
    public var samples: Double
    /// Events among them (errors; slow requests).
    public var events: Double?
    public var estimate: Double
    public var lower: Double?
    public var upper: Double?
    /// What the estimate is held against (a rate bound, one half plus the margin, the largest divergence).
    public var bound: Double?
    public var stableSamples: Double?
    public var stableEstimate: Double?
    public var stableLower: Double?
    public var stableUpper: Double?
    /// `relativeToStable`: the canary's rate over the stable version's, on the traffic both
    /// served at the same time.
    public var ratio: Double?
    /// How many times more the canary's error rate varied between intervals than independent
    /// errors would (set when above 1): the rate is judged as if on that many times fewer requests.
    public var dispersion: Double?
    /// For the fixed-sample tests: the p-value and the level it was held to at this look.
    public var pValue: Double?
    public var level: Double?
    /// About how many more canary samples a verdict needs if things stay as they are (nil when
    /// a verdict was reached, or when none would come: the estimate sits on the bound).
    public var needed: Double?
    /// The fewest more samples a verdict could need at a rate the data still allows (the ends
    /// of the interval): what a step's hold is kept for.
    public var soonest: Double?

    public init(test: String, confidence: Double, samples: Double, estimate: Double) {
        self.test = test
        self.confidence = confidence
        self.samples = samples
        self.estimate = estimate
    }

    enum CodingKeys: String, CodingKey {
        case test, confidence, samples, events, estimate, lower, upper, bound, stableSamples, stableEstimate, stableLower, stableUpper, ratio, pValue, level
        case needed, dispersion, soonest
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        test = try c.value(.test, default: "rate")
        confidence = try c.value(.confidence, default: 0.95)
        samples = try c.value(.samples, default: 0)
        events = try c.value(.events, default: nil)
        estimate = try c.value(.estimate, default: 0)
        lower = try c.value(.lower, default: nil)
        upper = try c.value(.upper, default: nil)
        bound = try c.value(.bound, default: nil)
        stableSamples = try c.value(.stableSamples, default: nil)
        stableEstimate = try c.value(.stableEstimate, default: nil)
        stableLower = try c.value(.stableLower, default: nil)
        stableUpper = try c.value(.stableUpper, default: nil)
        ratio = try c.value(.ratio, default: nil)
        dispersion = try c.value(.dispersion, default: nil)
        soonest = try c.value(.soonest, default: nil)
        pValue = try c.value(.pValue, default: nil)
        level = try c.value(.level, default: nil)
        needed = try c.value(.needed, default: nil)
    }
}
