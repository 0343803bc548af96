/// How many pods each version gets and what share of traffic that gives.
public struct Placement: Sendable, Equatable {
    public var stableReplicas: Int
    public var canaryReplicas: Int
    /// The canary's real share of traffic, in percent.
    public var effectiveWeight: Int

    public init(stableReplicas: Int, canaryReplicas: Int, effectiveWeight: Int) {
        self.stableReplicas = stableReplicas
        self.canaryReplicas = canaryReplicas
        self.effectiveWeight = effectiveWeight
    }

    /// With the `replicas` router (no mesh), traffic splits by ready pods behind one Service:
    /// the canary gets round(replicas × weight / 100) pods, at least 1 and (below 100%) at most
    /// replicas − 1, and the stable version the rest. With one replica the canary runs one extra
    /// pod (50%). The effective weight is canary pods / all pods. With `gateway-api`, the
    /// HTTPRoute carries the exact weight; the stable version keeps its full replica count (so a
    /// rollback has capacity) and the canary gets pods for its share.
    public static func compute(spec: ModelDeploymentSpec, canaryWeight w: Int, hasCanary: Bool, scale: ScalePlan? = nil) -> Placement {
        if let autoscaling = spec.autoscaling {
            return autoscaled(router: spec.router, stable: scale?.stableReplicas ?? autoscaling.minReplicas, canaryWeight: hasCanary ? w : 0)
        }
        let r = spec.replicas
        guard hasCanary, w > 0 else { return Placement(stableReplicas: r, canaryReplicas: 0, effectiveWeight: 0) }
        switch spec.router {
        case .gatewayAPI:
            let canary = max(1, Int((Double(r) * Double(w) / 100).rounded(.up)))
            return Placement(stableReplicas: r, canaryReplicas: canary, effectiveWeight: w)
        case .replicas:
            if w >= 100 { return Placement(stableReplicas: 0, canaryReplicas: r, effectiveWeight: 100) }
            if r == 1 { return Placement(stableReplicas: 1, canaryReplicas: 1, effectiveWeight: 50) }
            let canary = min(r - 1, max(1, Int((Double(r) * Double(w) / 100).rounded())))
            let stable = r - canary
            return Placement(stableReplicas: stable, canaryReplicas: canary, effectiveWeight: Int((Double(canary) * 100 / Double(r)).rounded()))
        }
    }

    /// Autoscaled, the stable version's size is its scaler's (`stable`, as observed): the canary
    /// gets the stable's replicas × the weight, rounded up, at least 1 (all of them at 100%).
    /// With `gateway-api` the HTTPRoute carries the weight exactly; with `replicas` the split
    /// of ready pods is the traffic split, so the effective weight is canary ÷ (canary + stable)
    /// and moves as both scale.
    static func autoscaled(router: ModelDeploymentSpec.Router, stable: Int, canaryWeight w: Int) -> Placement {
        guard w > 0 else { return Placement(stableReplicas: stable, canaryReplicas: 0, effectiveWeight: 0) }
        let canary = max(1, Int((Double(stable) * Double(min(w, 100)) / 100).rounded(.up)))
        switch router {
        case .gatewayAPI: return Placement(stableReplicas: stable, canaryReplicas: canary, effectiveWeight: w)
        case .replicas:
            let share = Int((Double(canary) * 100 / Double(max(1, canary + stable))).rounded())
            return Placement(stableReplicas: stable, canaryReplicas: canary, effectiveWeight: share)
        }
    }
}
