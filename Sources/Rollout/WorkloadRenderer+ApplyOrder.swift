public import Values

extension WorkloadRenderer {
    /// The order a rollout's objects are applied in: traffic first, pods after. The HTTPRoute
    /// and Services move weight (a rollback sends traffic to stable before the canary scales
    /// down), then the stable Deployment, then the rest (the canary). Stable within a rank.
    public static func inApplyOrder(_ objects: [Value]) -> [Value] {
        func rank(_ o: Value) -> Int {
            switch o["kind"]?.stringValue {
            case "HTTPRoute": 0
            case "Service": 1
            default: o[path: ["metadata", "labels", roleLabel]] == "stable" ? 2 : 3
            }
        }
        return objects.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }
}
