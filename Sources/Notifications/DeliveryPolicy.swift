/// How one channel delivers: retries with exponential backoff and jitter, a rate limit, and
/// de-duplication of the same event.
public struct DeliveryPolicy: Sendable, Equatable {
    /// Tries per notification, the first included.
    public var maxAttempts: Int
    /// The wait before the second try; it doubles after each failure, up to `maxDelay`, and
    /// each wait is drawn from its upper half (jitter, so many controllers do not retry in step).
    public var baseDelay: Double
    public var maxDelay: Double
    /// Sends per minute at most: what Slack (about one message per second per channel) and
    /// Teams allow.
    public var perMinute: Int
    /// A notification with an id seen this recently is a duplicate.
    public var dedupWindow: Double
    /// Notifications waiting at most; past it the oldest that is not a warning is dropped.
    public var capacity: Int

    public init(maxAttempts: Int = 8, baseDelay: Double = 1, maxDelay: Double = 300, perMinute: Int = 30, dedupWindow: Double = 3600, capacity: Int = 1000) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.perMinute = perMinute
        self.dedupWindow = dedupWindow
        self.capacity = capacity
    }

    /// The wait after failed try `attempt` (0-based), given a draw `u` in 0...1.
    public func backoff(after attempt: Int, draw u: Double) -> Double {
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(attempt, 30)))
        return ceiling * (0.5 + 0.5 * u)
    }
}

/// Time for a queue: waiting and a monotonic now, so tests can record waits instead of taking them.
public protocol Pacer: Sendable {
    var now: Double { get async }
    func wait(_ seconds: Double) async
}

/// The real clock.
public struct ContinuousPacer: Pacer {
    let start = ContinuousClock.now
    public init() {}
    public var now: Double { (ContinuousClock.now - start) / .seconds(1) }
    public func wait(_ seconds: Double) async { try? await Task.sleep(for: .seconds(max(0, seconds))) }
}
