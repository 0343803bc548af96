public import Foundation

/// Which versions should run and how traffic splits between them.
public struct Topology: Sendable, Equatable {
    public var stable: VersionSpec?
    public var canary: VersionSpec?
    /// Percentage requested for the canary (0: no traffic, its pods scaled to zero).
    public var canaryWeight: Int
    /// Versions that failed: the Deployment of any of them that still runs (at zero replicas)
    /// is marked, so the failure outlives the status (see `DeploymentRecord`).
    public var failed: [FailedVersion]
    /// For an autoscaled ModelDeployment: what its HPAs are sized from.
    public var scale: ScalePlan?

    public init(stable: VersionSpec?, canary: VersionSpec?, canaryWeight: Int, failed: [FailedVersion] = [], scale: ScalePlan? = nil) {
        self.scale = scale
        self.stable = stable
        self.canary = canary
        self.canaryWeight = canaryWeight
        self.failed = failed
    }
}

/// What an autoscaled ModelDeployment's HorizontalPodAutoscalers are sized from.
public struct ScalePlan: Sendable, Equatable {
    /// The stable version's replicas now: the canary's size follows it.
    public var stableReplicas: Int
    /// During a hand-over, the new stable version's minimum: the old one's size.
    public var handoverMinimum: Int?

    public init(stableReplicas: Int, handoverMinimum: Int? = nil) {
        self.stableReplicas = stableReplicas
        self.handoverMinimum = handoverMinimum
    }
}

public struct RolloutEvent: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case normal = "Normal"
        case warning = "Warning"
    }
    public var kind: Kind
    public var reason: String
    public var message: String
}

/// Ask to commit a revert of the model version in git (spec.rollback.revertCommit).
public struct RevertRequest: Sendable, Equatable {
    public var failedVersion: String
    public var stable: VersionSpec
    public var reason: String

    public init(failedVersion: String, stable: VersionSpec, reason: String) {
        self.failedVersion = failedVersion
        self.stable = stable
        self.reason = reason
    }
}

public struct Decision: Sendable {
    public var status: RolloutStatus
    public var topology: Topology
    /// Versions whose Deployments should be deleted.
    public var retire: [String]
    public var events: [RolloutEvent]
    /// When to look again (nil: only on change).
    public var requeueAfter: Double?
    public var revert: RevertRequest?
}
