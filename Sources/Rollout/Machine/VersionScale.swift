/// One version's size as its scaler reports it: what the controller observes of an autoscaled
/// ModelDeployment, and what its status shows (`status.scaling`).
public struct VersionScale: Sendable, Equatable, Codable {
    public var version: String
    /// The Deployment's `spec.replicas`: what its scaler last asked for.
    public var replicas: Int
    /// Its pods that are ready.
    public var ready: Int
    /// Its HorizontalPodAutoscaler's bounds and counts; nil without one (`external`, or not
    /// created yet).
    public var minReplicas: Int?
    public var maxReplicas: Int?
    public var currentReplicas: Int?
    public var desiredReplicas: Int?

    public init(
        version: String, replicas: Int, ready: Int, minReplicas: Int? = nil, maxReplicas: Int? = nil, currentReplicas: Int? = nil,
        desiredReplicas: Int? = nil
    ) {
        self.version = version
        self.replicas = replicas
        self.ready = ready
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.currentReplicas = currentReplicas
        self.desiredReplicas = desiredReplicas
    }
}

/// The sizes of the versions of an autoscaled ModelDeployment at one look.
public struct ScaleObservation: Sendable, Equatable, Codable {
    public var stable: VersionScale?
    public var canary: VersionScale?
    /// The old stable version while it hands over to a promoted one.
    public var previous: VersionScale?

    public init(stable: VersionScale? = nil, canary: VersionScale? = nil, previous: VersionScale? = nil) {
        self.stable = stable
        self.canary = canary
        self.previous = previous
    }
}
