public import Values

/// `spec.autoscaling`: each version scaled by its own HorizontalPodAutoscaler.
public struct Autoscaling: Sendable, Equatable {
    public var minReplicas: Int
    public var maxReplicas: Int
    /// `autoscaling/v2` MetricSpecs as written (nil: the HPA's default, CPU at 80%).
    public var metrics: Value?
    public var behavior: Value?
    /// Another scaler owns the stable version's replicas: no HPA is rendered.
    public var external: Bool

    public init(minReplicas: Int = 1, maxReplicas: Int, metrics: Value? = nil, behavior: Value? = nil, external: Bool = false) {
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.metrics = metrics
        self.behavior = behavior
        self.external = external
    }

    /// The HPA's default scale-down stabilisation window.
    public static let defaultScaleDownWindow = 300.0

    /// How long the HPA keeps a higher recommendation before scaling down: the hand-over holds
    /// the new stable version's minimum up this long.
    public var scaleDownWindow: Double {
        behavior?[path: ["scaleDown", "stabilizationWindowSeconds"]]?.doubleValue ?? Self.defaultScaleDownWindow
    }

    /// The metric types `autoscaling/v2` knows, with the field each one's details are under.
    static let metricSources = [
        "Resource": "resource", "ContainerResource": "containerResource", "Pods": "pods", "Object": "object", "External": "external",
    ]
}
