public import Foundation
public import Rollout

/// An environment as the controller found it: its ModelDeployment (as applied from git) and the
/// rollout's status there. Gathered by the shell; the decision reads nothing else.
public struct EnvironmentObservation: Sendable, Equatable {
    public var name: String
    /// What git names there; nil when the ModelDeployment is not in the cluster.
    public var desired: ModelVersionFields?
    public var phase: RolloutStatus.Phase?
    public var stable: ModelVersionFields?
    /// When `stable` finished its canary here ("Promoted" in the rollout's history). Nil when it
    /// was deployed without a canary (the first version) or has not finished one.
    public var promotedAt: Date?
    public var failed: [FailedVersion]
    /// The ModelDeployment sets resource requests for its containers.
    public var hasResourceRequests: Bool
    public var sloCount: Int

    public init(
        name: String, desired: ModelVersionFields?, phase: RolloutStatus.Phase? = nil, stable: ModelVersionFields? = nil, promotedAt: Date? = nil,
        failed: [FailedVersion] = [], hasResourceRequests: Bool = true, sloCount: Int = 1
    ) {
        self.name = name
        self.desired = desired
        self.phase = phase
        self.stable = stable
        self.promotedAt = promotedAt
        self.failed = failed
        self.hasResourceRequests = hasResourceRequests
        self.sloCount = sloCount
    }

    /// The version this environment has proven: promoted by a canary here and still what git
    /// names and what runs.
    public var succeeded: ModelVersionFields? {
        guard phase == .succeeded, let stable, promotedAt != nil, desired?.version == stable.version else { return nil }
        return stable
    }

    /// A canary is under way (or paused at a gate): a promotion now would stack on top of it.
    public var busy: Bool { phase == .progressing || phase == .paused }
}

/// A model version as the registry holds it.
public struct RegistryVersion: Sendable, Equatable {
    /// MLflow's version number.
    public var version: String
    /// Where the artifacts are (`source` of the model version).
    public var source: String?
    public var runId: String?
    /// The metrics of the run that produced it.
    public var metrics: [String: Double]
    public var tags: [String: String]
    public var aliases: [String]

    public init(
        version: String, source: String? = nil, runId: String? = nil, metrics: [String: Double] = [:], tags: [String: String] = [:], aliases: [String] = []
    ) {
        self.version = version
        self.source = source
        self.runId = runId
        self.metrics = metrics
        self.tags = tags
        self.aliases = aliases
    }
}

/// What the registry said this pass.
public enum RegistryObservation: Sendable, Equatable {
    /// The pipeline names no registry: the first environment is changed by people.
    case none
    /// It could not be asked (down, refused, timed out): everything that depends on it holds.
    case unavailable(String)
    /// `candidate` is the version the alias (or tag) selects, nil when none does; `versions`
    /// holds every version the decision may need, by registry version number.
    case answered(candidate: RegistryVersion?, versions: [String: RegistryVersion])
}

/// The SLOs of a version re-checked over its soak upstream.
public enum SoakVerdict: Sendable, Equatable {
    /// Every SLO held over the window; the evidence, for the commit message.
    case passing(String)
    case failing(String)
    /// Too little traffic to say: the soak holds.
    case notEnoughEvidence(String)
    /// The metrics could not be read: the soak holds.
    case unavailable(String)
}

/// `sluice approve MODEL --to ENV`, as recorded on the pipeline.
public struct Approval: Sendable, Equatable, Codable {
    public var environment: String
    public var version: String
    /// The image approved with the version: an approval counts for that image only.
    public var image: String?
    /// The identity the API server vouched for (a TokenReview of the approver's own token).
    public var by: String
    public var at: Date

    public init(environment: String, version: String, image: String? = nil, by: String, at: Date) {
        self.environment = environment
        self.version = version
        self.image = image
        self.by = by
        self.at = at
    }
}
