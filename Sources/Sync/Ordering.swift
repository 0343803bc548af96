public import Manifests

/// The order objects are applied in: what others depend on first (namespaces, CRDs, accounts and
/// configuration), workloads after, custom resources last. Deletion runs the other way.
public enum Ordering {
    static let kinds = [
        "Namespace", "CustomResourceDefinition", "PriorityClass", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
        "NetworkPolicy", "ServiceAccount", "Secret", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "DaemonSet", "Pod", "ReplicaSet", "Deployment",
        "StatefulSet", "HorizontalPodAutoscaler", "Job", "CronJob", "Ingress", "IngressClass", "APIService",
    ]

    /// Lower runs first. Unknown (custom) kinds come after every built-in kind.
    public static func wave(of ref: ObjectReference) -> Int {
        switch ref.kind {
        case "Namespace": return 0
        case "CustomResourceDefinition": return 1
        default: return 2 + (kinds.firstIndex(of: ref.kind) ?? kinds.count)
        }
    }

    /// Groups in apply order; each group can be applied concurrently.
    public static func waves(_ refs: [ObjectReference]) -> [[ObjectReference]] {
        let grouped = Dictionary(grouping: refs, by: wave(of:))
        return grouped.keys.sorted().map { grouped[$0]!.sorted() }
    }
}
