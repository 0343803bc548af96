import YAML

/// A kind the emulator serves: how it is addressed (group, version, plural) and how it behaves.
struct ResourceType: Sendable, Hashable {
    var group: String
    var version: String
    var kind: String
    var plural: String
    var singular: String
    var namespaced: Bool
    var shortNames: [String] = []
    var categories: [String] = []
    /// Has a `/status` subresource: main-resource writes keep status, status writes keep the rest.
    var hasStatus: Bool = false
    /// `metadata.generation` is kept and bumped on spec changes.
    var tracksGeneration: Bool = false
    /// kubectl `get` columns beyond NAME and AGE (CRD additionalPrinterColumns).
    var printerColumns: [PrinterColumn] = []
    /// Kinds defined by a CustomResourceDefinition carry its schema (for list-type hints).
    var schema: Value? = nil
    var verbs: [String] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    struct PrinterColumn: Sendable, Hashable {
        var name: String
        var type: String
        var jsonPath: String
        var priority: Int = 0
        var description: String = ""
    }

    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    var listKind: String { kind + "List" }
    /// Identity of the type across versions: `deployments.apps`.
    var resourceKey: String { group.isEmpty ? plural : "\(plural).\(group)" }
    var groupVersion: String { apiVersion }
}

enum BuiltinResources {
    static let all: [ResourceType] = [
        ResourceType(group: "", version: "v1", kind: "Namespace", plural: "namespaces", singular: "namespace", namespaced: false, shortNames: ["ns"], hasStatus: true),
        ResourceType(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", singular: "configmap", namespaced: true, shortNames: ["cm"]),
        ResourceType(group: "", version: "v1", kind: "Secret", plural: "secrets", singular: "secret", namespaced: true),
        ResourceType(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", singular: "serviceaccount", namespaced: true, shortNames: ["sa"]),
        ResourceType(group: "", version: "v1", kind: "Service", plural: "services", singular: "service", namespaced: true, shortNames: ["svc"], categories: ["all"], hasStatus: true),
        ResourceType(group: "", version: "v1", kind: "Event", plural: "events", singular: "event", namespaced: true, shortNames: ["ev"]),
        ResourceType(group: "", version: "v1", kind: "Pod", plural: "pods", singular: "pod", namespaced: true, shortNames: ["po"], categories: ["all"], hasStatus: true),
        ResourceType(group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", singular: "event", namespaced: true, shortNames: ["ev"]),
        ResourceType(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", singular: "deployment", namespaced: true, shortNames: ["deploy"], categories: ["all"], hasStatus: true, tracksGeneration: true),
        ResourceType(group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", singular: "replicaset", namespaced: true, shortNames: ["rs"], categories: ["all"], hasStatus: true, tracksGeneration: true),
        ResourceType(group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", singular: "poddisruptionbudget", namespaced: true, shortNames: ["pdb"], hasStatus: true, tracksGeneration: true),
        ResourceType(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", singular: "lease", namespaced: true),
        ResourceType(group: "gateway.networking.k8s.io", version: "v1", kind: "HTTPRoute", plural: "httproutes", singular: "httproute", namespaced: true, categories: ["gateway-api"], hasStatus: true, tracksGeneration: true),
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", singular: "role", namespaced: true),
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", singular: "rolebinding", namespaced: true),
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", singular: "clusterrole", namespaced: false),
        ResourceType(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", singular: "clusterrolebinding", namespaced: false),
        ResourceType(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", singular: "customresourcedefinition", namespaced: false, shortNames: ["crd", "crds"], hasStatus: true, tracksGeneration: true),
    ]
}
