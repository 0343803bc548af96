public import Rollout

/// What holds a version back from an environment.
public enum Gate: String, Sendable, Equatable, Codable {
    /// Upstream has not promoted a version this environment lacks (or there is no registry candidate).
    case upstream = "Upstream"
    /// The registry could not be read.
    case registry = "Registry"
    /// A canary is under way here.
    case inProgress = "InProgress"
    /// The version was rolled back here before; not retried until git names another.
    case failedHere = "FailedHere"
    /// The image, resources or SLOs break a policy.
    case policy = "Policy"
    /// A registry metric is missing or out of bounds.
    case metric = "Metric"
    /// The version has not run long enough upstream.
    case soak = "Soak"
    /// Its SLOs over the soak did not hold, or could not be judged yet.
    case soakSLOs = "SoakSLOs"
    case approval = "Approval"
    /// Committed to a review branch; merging it is the promotion.
    case review = "Review"
}

/// One environment's outcome of a pass.
public struct EnvironmentVerdict: Sendable, Equatable {
    public enum State: String, Sendable, Equatable, Codable {
        /// Runs (or is rolling out) what it should.
        case upToDate = "UpToDate"
        /// Held by something that clears by itself or by a person's approval.
        case waiting = "Waiting"
        /// Held until git, the registry or the policy changes.
        case blocked = "Blocked"
        /// Commit the candidate now.
        case promote = "Promote"
    }

    public var environment: String
    public var state: State
    public var gate: Gate?
    /// The version in question, if any.
    public var version: String?
    public var message: String
    /// Set when `state` is `.promote`.
    public var promotion: PromotionCommit?
    /// The image of the version in question, when the decision got as far as knowing it: what
    /// an approval is bound to.
    public var image: String?

    public static func upToDate(_ env: String, _ version: String?, _ message: String) -> Self {
        Self(environment: env, state: .upToDate, gate: nil, version: version, message: message)
    }
    public static func waiting(_ env: String, _ gate: Gate, _ version: String?, _ message: String) -> Self {
        Self(environment: env, state: .waiting, gate: gate, version: version, message: message)
    }
    public static func blocked(_ env: String, _ gate: Gate, _ version: String?, _ message: String) -> Self {
        Self(environment: env, state: .blocked, gate: gate, version: version, message: message)
    }
}

/// A promotion commit to make: the fields to write and why.
public struct PromotionCommit: Sendable, Equatable {
    public var environment: String
    public var fields: ModelVersionFields
    /// `registry` or the upstream environment's name.
    public var from: String
    /// The evidence and approval, one line each, for the commit message.
    public var evidence: [String]
    public var approval: Approval?

    public init(environment: String, fields: ModelVersionFields, from: String, evidence: [String], approval: Approval?) {
        self.environment = environment
        self.fields = fields
        self.from = from
        self.evidence = evidence
        self.approval = approval
    }
}
