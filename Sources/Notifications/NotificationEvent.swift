public import Foundation

/// One thing Sluice did that people want to hear about, with the evidence behind it: what every
/// channel formats. `id` identifies the event itself (a redelivery or a second look at the same
/// rollback has the same one), `thread` the rollout it belongs to (Slack threads steps under
/// the rollout's first message).
public struct NotificationEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case canaryStarted = "CanaryStarted"
        case stepAdvanced = "StepAdvanced"
        case paused = "Paused"
        case promoted = "Promoted"
        case rolledBack = "RolledBack"
        case inconclusive = "Inconclusive"
        case syncFailed = "SyncFailed"
        case promotionCommitted = "PromotionCommitted"
        case waitingForApproval = "WaitingForApproval"
        case approved = "Approved"
        case registryUnreachable = "RegistryUnreachable"

        /// Whether it reports something going wrong (shown as a warning, sent first).
        public var isWarning: Bool { [.rolledBack, .inconclusive, .syncFailed, .registryUnreachable].contains(self) }
    }

    /// The SLO verdict a rollback (or a step) rests on.
    public struct Evidence: Sendable, Equatable {
        public var slo: String
        public var estimate: Double?
        public var lower: Double?
        public var upper: Double?
        public var threshold: Double?
        public var samples: Double?

        public init(slo: String, estimate: Double? = nil, lower: Double? = nil, upper: Double? = nil, threshold: Double? = nil, samples: Double? = nil) {
            self.slo = slo
            self.estimate = estimate
            self.lower = lower
            self.upper = upper
            self.threshold = threshold
            self.samples = samples
        }
    }

    public var id: String
    public var kind: Kind
    /// `ModelDeployment`, `ModelPipeline` or `GitSource`.
    public var objectKind: String
    public var namespace: String
    public var name: String
    public var version: String?
    public var message: String
    public var time: Date
    public var evidence: Evidence?
    public var thread: String

    public init(
        id: String, kind: Kind, objectKind: String, namespace: String, name: String, version: String? = nil, message: String, time: Date,
        evidence: Evidence? = nil, thread: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.objectKind = objectKind
        self.namespace = namespace
        self.name = name
        self.version = version
        self.message = message
        self.time = time
        self.evidence = evidence
        self.thread = thread ?? "\(objectKind)/\(namespace)/\(name)/\(version ?? "")"
    }

    /// `RolledBack ml/churn 2025-11-17`
    public var title: String { "\(kind.rawValue) \(namespace)/\(name)\(version.map { " \($0)" } ?? "")" }

    /// The evidence in one line: `error-rate 0.21 (95% interval 0.17–0.25) over 0.05, 412 requests`.
    public var evidenceLine: String? {
        guard let e = evidence else { return nil }
        func n(_ x: Double) -> String { String(format: "%.4g", x) }
        var line = e.slo
        if let estimate = e.estimate { line += " \(n(estimate))" }
        if let lower = e.lower, let upper = e.upper { line += " (interval \(n(lower))–\(n(upper)))" }
        if let threshold = e.threshold { line += " against \(n(threshold))" }
        if let samples = e.samples { line += ", \(Int(samples)) samples" }
        return line
    }
}
