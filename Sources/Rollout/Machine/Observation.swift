public import Foundation

/// The state of a version's Deployment, as the controller observed it.
public enum WorkloadState: Sendable, Equatable {
    case missing
    case progressing
    case ready
    /// It will not become ready (progress deadline exceeded, image cannot be pulled...).
    case failed(String)
}

/// What a user asked for through `sluice promote`, `sluice abort` or `sluice retry`.
public enum RolloutCommand: Sendable, Equatable {
    /// Pass the current gate, or with `full` skip straight to promotion.
    case promote(full: Bool)
    case abort
    case retry(version: String)
}

/// Everything the machine looks at for one decision. The controller gathers it; the machine
/// never does I/O.
public struct Observation: Sendable {
    public var now: Date
    public var spec: ModelDeploymentSpec
    public var generation: Int
    public var revision: String?
    public var stable: WorkloadState
    public var canary: WorkloadState
    /// SLO checks run for this decision (nil when no analysis was due).
    public var analysis: [SLOCheck]?
    /// Commands with a unique id each, so each acts once.
    public var commands: [(id: String, command: RolloutCommand)]
    /// Whether the SLO queries answer again, asked only when an inconclusive canary is due to be
    /// started again (`RolloutMachine.probeDue`); nil when not asked.
    public var queriesAnswer: Bool?
    /// The versions' sizes, for an autoscaled ModelDeployment (nil otherwise).
    public var scale: ScaleObservation?

    public init(
        now: Date, spec: ModelDeploymentSpec, generation: Int = 1, revision: String? = nil, stable: WorkloadState, canary: WorkloadState,
        analysis: [SLOCheck]? = nil,
        commands: [(id: String, command: RolloutCommand)] = [], queriesAnswer: Bool? = nil, scale: ScaleObservation? = nil
    ) {
        self.scale = scale
        self.queriesAnswer = queriesAnswer
        self.now = now
        self.spec = spec
        self.generation = generation
        self.revision = revision
        self.stable = stable
        self.canary = canary
        self.analysis = analysis
        self.commands = commands
    }
}
