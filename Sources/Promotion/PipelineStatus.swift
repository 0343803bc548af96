public import Foundation
public import Values

/// A promotion pushed to a review branch, waiting for its merge.
public struct ReviewRecord: Sendable, Equatable, Codable {
    public var environment: String
    public var version: String
    public var branch: String
    public var commit: String

    public init(environment: String, version: String, branch: String, commit: String) {
        self.environment = environment
        self.version = version
        self.branch = branch
        self.commit = commit
    }
}

/// One event of a pipeline's audit trail.
public struct PipelineRecord: Sendable, Equatable, Codable {
    public var time: Date
    public var environment: String
    public var version: String
    /// `Promoted`, `ReviewRequested`, `Held`, `AliasMoved`, `Tagged`, `PromotionFailed`.
    public var event: String
    public var commit: String?
    public var message: String

    public init(time: Date, environment: String, version: String, event: String, commit: String? = nil, message: String) {
        self.time = time
        self.environment = environment
        self.version = version
        self.event = event
        self.commit = commit
        self.message = message
    }
}

/// Where one environment stands, as `kubectl get modelpipeline -o yaml` and `sluice status` show it.
public struct EnvironmentState: Sendable, Equatable, Codable {
    public var name: String
    /// What git names there.
    public var version: String?
    public var stable: String?
    public var phase: String?
    public var state: EnvironmentVerdict.State
    public var gate: Gate?
    /// The version waiting for this environment, if any, and its image (what an approval of it
    /// is bound to).
    public var pending: String?
    public var pendingImage: String?
    public var message: String
    /// Since when it has been in this state, at this gate, for this version: what tells a
    /// promotion held too long (`sluice_promotion_held_since_timestamp_seconds`).
    public var since: Date?

    public init(
        name: String, version: String? = nil, stable: String? = nil, phase: String? = nil, state: EnvironmentVerdict.State, gate: Gate? = nil,
        pending: String? = nil, pendingImage: String? = nil, message: String, since: Date? = nil
    ) {
        self.name = name
        self.version = version
        self.stable = stable
        self.phase = phase
        self.state = state
        self.gate = gate
        self.pending = pending
        self.pendingImage = pendingImage
        self.message = message
        self.since = since
    }
}

/// A ModelPipeline's status: the state lives in the resource, so a restarted controller
/// resumes with the audit trail and review branches it had.
public struct PipelineStatus: Sendable, Equatable, Codable {
    public struct Registry: Sendable, Equatable, Codable {
        public var candidate: String?
        public var reachable: Bool
        public var message: String

        public init(candidate: String?, reachable: Bool, message: String) {
            self.candidate = candidate
            self.reachable = reachable
            self.message = message
        }
    }

    public var observedGeneration: Int = 0
    public var registry: Registry?
    public var environments: [EnvironmentState] = []
    /// `staging=7 production=6`, for the printer column.
    public var summary: String = ""
    /// The first gate holding a version (`production: Approval`), for the printer column.
    public var waiting: String?
    public var reviews: [ReviewRecord] = []
    public var history: [PipelineRecord] = []
    /// Why the pipeline cannot be acted on (its spec, or an environment's unreadable status).
    public var error: String?

    public init() {}

    static let historyLimit = 50

    public mutating func record(_ entry: PipelineRecord) {
        history.append(entry)
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
    }

    /// The states of this pass, recording each environment whose state, gate or version changed.
    public mutating func update(_ verdicts: [EnvironmentVerdict], observations: [String: EnvironmentObservation], now: Date) {
        let before = Dictionary(environments.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        environments = verdicts.map { v in
            let o = observations[v.environment]
            return EnvironmentState(
                name: v.environment, version: o?.desired?.version, stable: o?.stable?.version, phase: o?.phase?.rawValue, state: v.state, gate: v.gate,
                pending: v.state == .upToDate ? nil : v.version, pendingImage: v.state == .upToDate ? nil : v.image, message: v.message)
        }
        for i in environments.indices {
            let old = before[environments[i].name]
            let same = old?.state == environments[i].state && old?.gate == environments[i].gate && old?.pending == environments[i].pending
            environments[i].since = same ? (old?.since ?? now) : now
        }
        for (v, state) in zip(verdicts, environments) where v.state == .waiting || v.state == .blocked {
            let old = before[v.environment]
            if old?.state != state.state || old?.gate != state.gate || old?.pending != state.pending {
                record(
                    PipelineRecord(
                        time: now, environment: v.environment, version: v.version ?? "", event: "Held", message: "\(v.gate?.rawValue ?? ""): \(v.message)"))
            }
        }
        summary = environments.map { "\($0.name)=\($0.stable ?? $0.version ?? "-")" }.joined(separator: " ")
        waiting = environments.first { $0.state == .waiting || $0.state == .blocked }.map { "\($0.name): \($0.gate?.rawValue ?? $0.state.rawValue)" }
    }

    public static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    public func value() throws -> Value { try JSON.parse(Array(Self.encoder.encode(self))) }

    /// The status as stored. None at all is an empty one; one that is there but cannot be read
    /// throws, so its audit trail and review branches are never silently forgotten.
    public static func read(_ status: Value?, of object: String) throws(StoredStateError) -> PipelineStatus {
        guard let status, !status.isNull else { return PipelineStatus() }
        return try StoredState.decode(PipelineStatus.self, from: status, what: "the status of ModelPipeline \(object)")
    }
}
