public import Foundation
public import Values

/// Everything a version's pods are made from, remembered in status so the stable version can
/// still be rendered after git moved on to a canary.
public struct VersionSpec: Sendable, Equatable, Codable {
    public var version: String
    public var image: String
    public var uri: String?
    public var port: Int
    public var templateHash: String
    /// The container and pod fields from `spec.template`, each a mapping.
    public var container: Value
    public var pod: Value
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(_ spec: ModelDeploymentSpec) {
        version = spec.version
        image = spec.image
        uri = spec.uri
        port = spec.port
        templateHash = spec.templateHash
        container = spec.container
        pod = spec.pod
        labels = spec.podLabels
        annotations = spec.podAnnotations
    }
}

/// A version that breached (or was aborted) and is not retried until git names another version.
public struct FailedVersion: Sendable, Equatable, Codable {
    public var version: String
    public var reason: String
    public var slo: String?
    public var value: Double?
    public var threshold: Double?
    public var time: Date

    public init(version: String, reason: String, slo: String? = nil, value: Double? = nil, threshold: Double? = nil, time: Date) {
        self.version = version
        self.reason = reason
        self.slo = slo
        self.value = value
        self.threshold = threshold
        self.time = time
    }
}

/// A canary that ended without a verdict: its analysis could not run (Prometheus unreachable, a
/// query failing) or it gathered no decisive evidence within `progressDeadline`. Traffic went back
/// to the stable version, but nothing was learned about the version, so it is not failed.
public struct InconclusiveVersion: Sendable, Equatable, Codable {
    public var version: String
    public var reason: String
    public var time: Date
    /// Automatic restarts tried so far (each waits twice as long as the one before).
    public var retries: Int
    /// When the next automatic restart may happen (once the SLO queries answer again).
    public var retryAt: Date?
    /// True while the canary waits at no traffic; false once it was started again.
    public var holding: Bool

    public init(version: String, reason: String, time: Date, retries: Int = 0, retryAt: Date? = nil, holding: Bool = true) {
        self.version = version
        self.reason = reason
        self.time = time
        self.retries = retries
        self.retryAt = retryAt
        self.holding = holding
    }

    /// Restarted by itself only when the queries failed; a canary that simply gathered too little
    /// evidence in time would gather too little again.
    public var retriesByItself: Bool { retryAt != nil }
}

public struct SLOCheck: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable {
        case pass = "Pass"
        case fail = "Fail"
        case noData = "NoData"
        case error = "Error"
    }
    public var slo: String
    public var outcome: Outcome
    public var value: Double?
    public var stableValue: Double?
    /// The bound the value was held against (max, min, or relativeToStable × stable).
    public var threshold: Double?
    public var message: String
    /// What the verdict rests on (evidence-judged SLOs; nil for threshold SLOs).
    public var evidence: Evidence?
    /// What the judge carries to the next look at this SLO (kept in the status's `judge`, not
    /// with each check).
    public var state: JudgeState?

    public init(slo: String, outcome: Outcome, value: Double?, stableValue: Double?, threshold: Double?, message: String, evidence: Evidence? = nil) {
        self.slo = slo
        self.outcome = outcome
        self.value = value
        self.stableValue = stableValue
        self.threshold = threshold
        self.message = message
        self.evidence = evidence
    }
}

public struct AnalysisRecord: Sendable, Equatable, Codable {
    public var time: Date
    public var weight: Int
    public var checks: [SLOCheck]
}

public struct HistoryEntry: Sendable, Equatable, Codable {
    public var time: Date
    public var version: String
    public var event: String
    public var message: String
}

/// The rollout's whole state. It lives in the resource's status, not in memory, so a controller
/// killed at any moment resumes where it was.
public struct RolloutStatus: Sendable, Equatable, Codable {
    public enum Phase: String, Sendable, Codable {
        case pending = "Pending"
        /// A canary is taking traffic step by step.
        case progressing = "Progressing"
        /// Waiting for `sluice promote` at a gate.
        case paused = "Paused"
        /// Every version in git runs and is stable.
        case succeeded = "Succeeded"
        /// The version in git breached and traffic is back on the stable version.
        case rolledBack = "RolledBack"
        /// The spec cannot be acted on (see message).
        case failed = "Failed"
    }

    public var phase: Phase = .pending
    public var message: String = ""
    public var observedGeneration: Int = 0
    public var sourceRevision: String?
    public var stable: VersionSpec?
    public var canary: VersionSpec?
    /// Index into the canary steps.
    public var step: Int = 0
    /// The step's requested percentage of traffic for the canary.
    public var stepWeight: Int = 0
    /// The share the canary really gets (the replica router rounds to whole pods).
    public var canaryWeight: Int = 0
    public var canaryStartedAt: Date?
    /// Since when the canary's pods have been seen not ready (nil: ready at the last look). A
    /// step that scales the canary makes it briefly not ready; the deadline counts from then,
    /// not from the canary's start, or a rollout past `progressDeadline` fails on its next scale.
    public var canaryWaitingSince: Date?
    public var stepStartedAt: Date?
    public var lastAnalysisAt: Date?
    public var successfulChecks: Int = 0
    public var failedChecks: Int = 0
    public var consecutiveErrors: Int = 0
    public var approvedGates: [Int] = []
    public var failedVersions: [FailedVersion] = []
    public var lastAnalysis: AnalysisRecord?
    public var history: [HistoryEntry] = []
    /// Commands already handled (promote/abort/retry annotations), so each acts once.
    public var handledCommands: [String] = []
    /// Analyses run for the current canary.
    public var analyses: Int = 0
    /// Per SLO: what the judge carries from one look to the next (see `JudgeState`).
    public var judge: [String: JudgeState] = [:]
    /// Canary requests counted at the last analysis, and the rate since the one before: what
    /// the time to a verdict is estimated from.
    public var canaryRequests: Double?
    public var canaryRequestRate: Double?
    /// Seconds until the holding SLOs reach a verdict at that rate, if they keep their values
    /// (nil: no estimate, or none would come).
    public var verdictExpectedIn: Double?
    /// The version git names, when its canary ended without a verdict.
    public var inconclusive: InconclusiveVersion?
    /// Each version's replicas as its scaler reports them (autoscaled ModelDeployments).
    public var scaling: ScaleObservation?
    /// A promotion of an autoscaled model handing over capacity from the old stable version.
    public var handover: Handover?

    public init() {}

    public var stableVersion: String? { stable?.version }
    public var canaryVersion: String? { canary?.version }

    public func isFailed(_ version: String) -> Bool { failedVersions.contains { $0.version == version } }

    mutating func record(_ version: String, _ event: String, _ message: String, at time: Date) {
        history.append(HistoryEntry(time: time, version: version, event: event, message: message))
        if history.count > 20 { history.removeFirst(history.count - 20) }
    }

    // MARK: as status JSON

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    /// Keys the status carries for people and kubectl columns, derived from the rest.
    public static let derivedKeys = ["stableVersion", "canaryVersion", "conditions"]

    /// The status object as written to the API, plus the user-facing fields kubectl columns show.
    public func value(conditions: [Value]) throws -> Value {
        var v = try JSON.parse(Array(Self.encoder.encode(self)))
        v["stableVersion"] = stableVersion.map { .string($0) } ?? .null
        v["canaryVersion"] = canaryVersion.map { .string($0) } ?? .null
        v["conditions"] = .array(conditions)
        return v
    }

    /// Reads a ModelDeployment's status. No status at all is an empty one (which remembers
    /// nothing: see `remembersNothing`); keys missing from an older release's status take their
    /// defaults and keys a newer release added are ignored. A status that is there but cannot be
    /// understood throws: it is never mistaken for an empty one.
    public static func read(_ status: Value?, of object: String) throws(StoredStateError) -> RolloutStatus {
        let what = "the status of ModelDeployment \(object)"
        guard let status, !status.isNull else { return RolloutStatus() }
        guard var fields = status.objectValue else {
            throw StoredStateError(what: what, field: "status", problem: "expected a mapping, found a \(status.typeName)")
        }
        for key in derivedKeys { fields[key] = nil }
        return try StoredState.decode(RolloutStatus.self, from: .object(fields), what: what)
    }

    /// True when the status holds no knowledge of the rollout: no stable version, no canary, no
    /// failed version. Before acting on such a status the controller asks the cluster what runs
    /// (a status lost to a backup restore or cleared by hand is not a first deployment).
    public var remembersNothing: Bool { stable == nil && canary == nil && failedVersions.isEmpty }
}
