public import Values

/// How healthy an object is once applied.
public enum Health: String, Sendable, Codable, Comparable {
    case healthy = "Healthy"
    case progressing = "Progressing"
    case degraded = "Degraded"
    case missing = "Missing"

    static let rank: [Health: Int] = [.healthy: 0, .progressing: 1, .missing: 2, .degraded: 3]
    public static func < (a: Health, b: Health) -> Bool { rank[a]! < rank[b]! }

    /// A Deployment's (or StatefulSet's, ReplicaSet's) rollout, from its generation, status
    /// counts and Progressing condition only: the one readiness rule, for sync health and for
    /// the rollout controller (whose caches keep just these fields).
    public static func ofWorkload(_ o: Value) -> (Health, String) {
        let conditions = o[path: ["status", "conditions"]]?.arrayValue ?? []
        if let p = conditions.first(where: { $0["type"]?.stringValue == "Progressing" }), p["reason"] == "ProgressDeadlineExceeded" {
            return (.degraded, p["message"]?.stringValue ?? "progress deadline exceeded")
        }
        let generation = o[path: ["metadata", "generation"]]?.intValue ?? 0
        let observed = o[path: ["status", "observedGeneration"]]?.intValue ?? -1
        let want = o[path: ["spec", "replicas"]]?.intValue ?? 1
        let updated = o[path: ["status", "updatedReplicas"]]?.intValue ?? 0
        let available = o[path: ["status", "availableReplicas"]]?.intValue ?? 0
        if observed < generation { return (.progressing, "waiting for the rollout to be observed") }
        if updated < want { return (.progressing, "\(updated) of \(want) replicas updated") }
        if available < want { return (.progressing, "\(available) of \(want) replicas available") }
        return (.healthy, "\(available)/\(want) available")
    }

    /// Deployments must be rolled out and available, CRDs Established; anything else that exists is healthy.
    public static func of(_ object: Value?) -> (Health, String) {
        guard let o = object else { return (.missing, "not found") }
        let conditions = o[path: ["status", "conditions"]]?.arrayValue ?? []
        func condition(_ type: String) -> Value? { conditions.first { $0["type"]?.stringValue == type } }
        switch (o["apiVersion"]?.stringValue ?? "", o["kind"]?.stringValue ?? "") {
        case ("apps/v1", "Deployment"), ("apps/v1", "StatefulSet"), ("apps/v1", "ReplicaSet"):
            return ofWorkload(o)
        case ("apiextensions.k8s.io/v1", "CustomResourceDefinition"):
            return condition("Established")?["status"] == "True" ? (.healthy, "established") : (.progressing, "not yet established")
        default:
            return (.healthy, "present")
        }
    }
}
