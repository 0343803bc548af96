public import Values

extension WorkloadRenderer {
    /// An HPA's bounds.
    struct Bounds: Equatable {
        var min: Int
        var max: Int
    }

    /// Who sets each version's replicas. Without autoscaling, Sluice (the placement's counts).
    /// Autoscaled, the stable version's are its HPA's (or the external scaler's); the canary's
    /// HPA is pinned to the placement's count, except at no traffic, where it has none and
    /// Sluice scales it to zero (an HPA cannot). With `external`, Sluice sets the canary's.
    struct Sizes {
        var stableReplicas: Int?
        var canaryReplicas: Int?
        var stableHPA: Bounds?
        var canaryHPA: Bounds?

        init(spec: ModelDeploymentSpec, placement: Placement, topology: Topology) {
            guard let autoscaling = spec.autoscaling else {
                stableReplicas = placement.stableReplicas
                canaryReplicas = placement.canaryReplicas
                return
            }
            let canary = placement.canaryReplicas
            canaryReplicas = canary == 0 || autoscaling.external ? canary : nil
            guard !autoscaling.external else { return }
            let min = Swift.max(autoscaling.minReplicas, topology.scale?.handoverMinimum ?? 0)
            stableHPA = Bounds(min: min, max: Swift.max(autoscaling.maxReplicas, min))
            if canary > 0 { canaryHPA = Bounds(min: canary, max: canary) }
        }
    }

    public static func autoscalerName(_ name: String, _ version: String) -> String { deploymentName(name, version) }

    static func autoscaler(_ spec: ModelDeploymentSpec, _ v: VersionSpec, _ bounds: Bounds, role: String, owner: Owner?) -> Value {
        let target = deploymentName(spec.name, v.version)
        var hpaSpec: Value = [
            "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(target)],
            "minReplicas": .int(Int64(bounds.min)), "maxReplicas": .int(Int64(bounds.max)),
        ]
        if let metrics = spec.autoscaling?.metrics { hpaSpec["metrics"] = metrics }
        // The canary is pinned, so a behaviour written for the stable version has nothing to do.
        if role == "stable", let behavior = spec.autoscaling?.behavior { hpaSpec["behavior"] = behavior }
        return [
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": metadata(spec, name: autoscalerName(spec.name, v.version), labels: [versionLabel: v.version, roleLabel: role], owner: owner),
            "spec": hpaSpec,
        ]
    }
}
