import Foundation
import Synchronization

/// Failures the emulator injects so tests can prove the client and controller survive them.
public struct FaultPlan: Sendable, Codable, Equatable {
    /// Fraction (0...1) of matching requests answered with one of `statuses` instead.
    public var errorRate: Double = 0
    /// Status codes drawn from for `errorRate` (429 gets a Retry-After header).
    public var statuses: [Int] = [500, 503, 429]
    /// Answered, in order, to the next matching requests before anything else.
    public var sequence: [Int] = []
    /// Added to every matching request, in seconds.
    public var delay: Double = 0
    /// Watches are cut after this many events (0: never).
    public var cutWatchAfterEvents: Int = 0
    /// Only requests whose verb is listed are affected (empty: all verbs).
    public var verbs: [String] = []
    /// Only requests for these resources (plural names) are affected (empty: all).
    public var resources: [String] = []
    /// Seconds a 429 asks the client to wait.
    public var retryAfterSeconds: Int = 1
    /// Only requests whose User-Agent contains one of these are affected (empty: all clients);
    /// how a test cuts one replica off from the API while the others carry on.
    public var userAgents: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case errorRate, statuses, sequence, delay, cutWatchAfterEvents, verbs, resources, retryAfterSeconds, userAgents
    }

    /// Every field is optional in JSON, so `{"errorRate": 0.1}` is a whole plan.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        errorRate = try c.decodeIfPresent(Double.self, forKey: .errorRate) ?? 0
        statuses = try c.decodeIfPresent([Int].self, forKey: .statuses) ?? [500, 503, 429]
        sequence = try c.decodeIfPresent([Int].self, forKey: .sequence) ?? []
        delay = try c.decodeIfPresent(Double.self, forKey: .delay) ?? 0
        cutWatchAfterEvents = try c.decodeIfPresent(Int.self, forKey: .cutWatchAfterEvents) ?? 0
        verbs = try c.decodeIfPresent([String].self, forKey: .verbs) ?? []
        resources = try c.decodeIfPresent([String].self, forKey: .resources) ?? []
        retryAfterSeconds = try c.decodeIfPresent(Int.self, forKey: .retryAfterSeconds) ?? 1
        userAgents = try c.decodeIfPresent([String].self, forKey: .userAgents) ?? []
    }

    func applies(verb: String, resource: String?, userAgent: String) -> Bool {
        (verbs.isEmpty || verbs.contains(verb)) && (resources.isEmpty || resource.map { resources.contains($0) } ?? false)
            && (userAgents.isEmpty || userAgents.contains { userAgent.contains($0) })
    }
}

/// One request the emulator answered: what tests and benchmarks count.
public struct RequestRecord: Sendable, Codable, Equatable {
    public var time: Double
    public var method: String
    public var path: String
    public var query: String
    /// get, list, watch, create, update, patch, apply, delete, deletecollection, discovery, openapi.
    public var verb: String
    public var resource: String?
    public var namespace: String?
    public var name: String?
    public var subresource: String?
    public var fieldManager: String?
    public var userAgent: String?
    public var dryRun: Bool
    public var status: Int
    public var injected: Bool
}

final class Faults: Sendable {
    private let plan = Mutex(FaultPlan())
    private let log = Mutex<[RequestRecord]>([])

    var current: FaultPlan {
        get { plan.withLock { $0 } }
        set { plan.withLock { $0 = newValue } }
    }

    /// The status to inject for this request, if any.
    func decide(verb: String, resource: String?, userAgent: String) -> (status: Int?, delay: Double) {
        plan.withLock { plan in
            var rng = SystemRandomNumberGenerator()
            guard plan.applies(verb: verb, resource: resource, userAgent: userAgent) else { return (nil, 0) }
            if !plan.sequence.isEmpty { return (plan.sequence.removeFirst(), plan.delay) }
            if plan.errorRate > 0, Double.random(in: 0..<1, using: &rng) < plan.errorRate, let s = plan.statuses.randomElement(using: &rng) {
                return (s, plan.delay)
            }
            return (nil, plan.delay)
        }
    }

    func record(_ r: RequestRecord) { log.withLock { $0.append(r) } }
    var records: [RequestRecord] { log.withLock { $0 } }
    func clearLog() { log.withLock { $0.removeAll() } }
}
