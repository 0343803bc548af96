import Foundation

/// What the judge carries from one look at an SLO to the next, kept in the status so a
/// restarted controller judges on: how many looks spent error rate, the counts seen at the last
/// look (the next interval is the difference), and the same-time evidence against the stable
/// version.
public struct JudgeState: Sendable, Equatable, Codable {
    /// Looks at which a fixed-sample test (rank, drift) ran and spent part of the error rate;
    /// a look without enough data spends nothing.
    public var looks: Int = 0
    /// Cumulative events and requests of each version at the last look.
    public var canaryEvents: Double?
    public var canaryRequests: Double?
    public var stableEvents: Double?
    public var stableRequests: Double?
    /// `relativeToStable` on a rate: the evidence from intervals both versions served.
    public var paired: PairedRateTest.State?
    /// A rate's intervals with canary requests, and Σ errors² / requests over them: how much
    /// more the interval rates vary than independent errors would (`Dispersion`).
    public var intervals: Int = 0
    public var squaresOverRequests: Double = 0
    /// Looks at which the canary's query returned anything (drift: how young its series are).
    public var looksWithData: Int = 0

    public init(looks: Int = 0) { self.looks = looks }

    enum CodingKeys: String, CodingKey {
        case looks, canaryEvents, canaryRequests, stableEvents, stableRequests, paired, intervals, squaresOverRequests, looksWithData
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        looks = try c.value(.looks, default: 0)
        canaryEvents = try c.value(.canaryEvents, default: nil)
        canaryRequests = try c.value(.canaryRequests, default: nil)
        stableEvents = try c.value(.stableEvents, default: nil)
        stableRequests = try c.value(.stableRequests, default: nil)
        paired = try c.value(.paired, default: nil)
        intervals = try c.value(.intervals, default: 0)
        squaresOverRequests = try c.value(.squaresOverRequests, default: 0)
        looksWithData = try c.value(.looksWithData, default: 0)
    }
}

extension PairedRateTest.State {
    enum CodingKeys: String, CodingKey { case up, down, canaryErrors, canaryRequests, stableErrors, stableRequests, intervals }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        let up: [Double] = try c.value(.up, default: [])
        let down: [Double] = try c.value(.down, default: [])
        // Another release's grid is not this one's: its evidence cannot be read as ours, and
        // starting it again is safe (it can only delay a verdict, never make one).
        if up.count == self.up.count, down.count == self.down.count {
            self.up = up
            self.down = down
            canaryErrors = try c.value(.canaryErrors, default: 0)
            canaryRequests = try c.value(.canaryRequests, default: 0)
            stableErrors = try c.value(.stableErrors, default: 0)
            stableRequests = try c.value(.stableRequests, default: 0)
            intervals = try c.value(.intervals, default: 0)
        }
    }
}
