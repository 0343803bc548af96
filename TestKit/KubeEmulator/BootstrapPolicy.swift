import Foundation
import YAML

/// The RBAC objects a real API server creates at start-up that every client relies on:
/// `system:basic-user`, bound to every authenticated user, lets anyone ask who they are and what
/// they may do (`kubectl auth whoami`, `kubectl auth can-i`). Without it, a service account with
/// only its own roles could not run a SelfSubjectReview, as it can on a real cluster.
enum BootstrapPolicy {
    static let labels: Value = ["kubernetes.io/bootstrapping": "rbac-defaults"]
    static let annotations: Value = ["rbac.authorization.kubernetes.io/autoupdate": "true"]

    static let basicUser: Value = [
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": ["name": "system:basic-user", "labels": labels, "annotations": annotations],
        "rules": [
            ["apiGroups": ["authorization.k8s.io"], "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], "verbs": ["create"]],
            ["apiGroups": ["authentication.k8s.io"], "resources": ["selfsubjectreviews"], "verbs": ["create"]],
        ],
    ]

    static let basicUserBinding: Value = [
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": ["name": "system:basic-user", "labels": labels, "annotations": annotations],
        "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "system:basic-user"],
        "subjects": [["apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:authenticated"]],
    ]

    /// (store resource, object) pairs, cluster-scoped.
    static let objects: [(String, Value)] = [
        ("clusterroles.rbac.authorization.k8s.io", basicUser), ("clusterrolebindings.rbac.authorization.k8s.io", basicUserBinding),
    ]
}
