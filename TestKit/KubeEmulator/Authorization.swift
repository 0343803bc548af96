import Foundation
import YAML

/// Who sent a request, as the API server's authenticators decide it.
struct UserInfo: Sendable, Equatable {
    var name: String
    var groups: [String]

    static let admin = UserInfo(name: "kubernetes-admin", groups: ["system:masters", "system:authenticated"])

    static func serviceAccount(namespace: String, name: String) -> UserInfo {
        UserInfo(
            name: "system:serviceaccount:\(namespace):\(name)",
            groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)", "system:authenticated"])
    }
}

/// What a request wants to do, in RBAC's terms.
struct AccessRequest: Sendable {
    var verb: String
    var group: String
    var resource: String
    var subresource: String?
    var namespace: String?
    var name: String?
}

/// RBAC as the API server's authorizer evaluates it: the union of the rules of every Role and
/// ClusterRole bound to the user (or one of its groups) — through RoleBindings in the request's
/// namespace and ClusterRoleBindings — with aggregated ClusterRoles expanded. Nothing is denied
/// explicitly; anything no rule allows is forbidden. `system:masters` may do everything.
struct RBACAuthorizer {
    let store: Store

    func allows(_ user: UserInfo, _ request: AccessRequest) -> Bool {
        if user.groups.contains("system:masters") { return true }
        for rule in rules(for: user, namespace: request.namespace) where Self.matches(rule, request) { return true }
        return false
    }

    func rules(for user: UserInfo, namespace: String?) -> [Value] {
        var out: [Value] = []
        let clusterBindings = store.list("clusterrolebindings.rbac.authorization.k8s.io", namespace: nil).items
        for b in clusterBindings where Self.binds(b, user) {
            out += roleRules(b["roleRef"], bindingNamespace: nil)
        }
        if let namespace, !namespace.isEmpty {
            for b in store.list("rolebindings.rbac.authorization.k8s.io", namespace: namespace).items where Self.binds(b, user) {
                out += roleRules(b["roleRef"], bindingNamespace: namespace)
            }
        }
        return out
    }

    static func binds(_ binding: Value, _ user: UserInfo) -> Bool {
        for s in binding["subjects"]?.arrayValue ?? [] {
            let name = s["name"]?.stringValue ?? ""
            switch s["kind"]?.stringValue {
            case "User": if name == user.name { return true }
            case "Group": if user.groups.contains(name) { return true }
            case "ServiceAccount":
                let ns = s["namespace"]?.stringValue ?? binding[path: ["metadata", "namespace"]]?.stringValue ?? ""
                if user.name == "system:serviceaccount:\(ns):\(name)" { return true }
            default: continue
            }
        }
        return false
    }

    func roleRules(_ ref: Value?, bindingNamespace: String?) -> [Value] {
        guard let kind = ref?["kind"]?.stringValue, let name = ref?["name"]?.stringValue else { return [] }
        if kind == "Role", let ns = bindingNamespace {
            return store.get("roles.rbac.authorization.k8s.io", namespace: ns, name: name)?["rules"]?.arrayValue ?? []
        }
        guard kind == "ClusterRole", let role = store.get("clusterroles.rbac.authorization.k8s.io", namespace: "", name: name) else { return [] }
        return clusterRoleRules(role)
    }

    /// A ClusterRole's rules; for an aggregated one, those of every ClusterRole its selectors
    /// match (the real control plane copies them in; computing them on demand is equivalent).
    func clusterRoleRules(_ role: Value) -> [Value] {
        guard let selectors = role[path: ["aggregationRule", "clusterRoleSelectors"]]?.arrayValue else { return role["rules"]?.arrayValue ?? [] }
        var out: [Value] = []
        for other in store.list("clusterroles.rbac.authorization.k8s.io", namespace: nil).items where other[path: ["aggregationRule"]] == nil {
            let labels = other[path: ["metadata", "labels"]]?.objectValue ?? [:]
            let selected = selectors.contains { sel in
                (sel["matchLabels"]?.objectValue ?? [:]).allSatisfy { k, v in labels[k] == v }
            }
            if selected { out += other["rules"]?.arrayValue ?? [] }
        }
        return out
    }

    static func matches(_ rule: Value, _ r: AccessRequest) -> Bool {
        func list(_ key: String) -> [String] { rule[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        let verbs = list("verbs")
        guard verbs.contains("*") || verbs.contains(r.verb) else { return false }
        let groups = list("apiGroups")
        guard groups.contains("*") || groups.contains(r.group) else { return false }
        let wanted = r.subresource.map { "\(r.resource)/\($0)" } ?? r.resource
        let resources = list("resources")
        let resourceOK =
            resources.contains("*") || resources.contains(wanted) || (r.subresource != nil && resources.contains("\(r.resource)/*"))
            || (r.subresource != nil && resources.contains("*/\(r.subresource!)"))
        guard resourceOK else { return false }
        let names = list("resourceNames")
        if names.isEmpty { return true }
        // Lists, watches and creates have no name: a resourceNames rule cannot allow them.
        guard let name = r.name else { return false }
        return names.contains(name)
    }

    static func forbidden(_ user: UserInfo, _ r: AccessRequest) -> APIError {
        let resource = r.subresource.map { "\(r.resource)/\($0)" } ?? r.resource
        var message = ""
        if let name = r.name {
            message += "\(r.resource).\(r.group.isEmpty ? "" : r.group) \"\(name)\" is forbidden: "
        } else {
            message += "\(r.resource) is forbidden: "
        }
        message = message.replacingOccurrences(of: ". \"", with: " \"")
        message += "User \"\(user.name)\" cannot \(r.verb) resource \"\(resource)\" in API group \"\(r.group)\""
        if let ns = r.namespace, !ns.isEmpty { message += " in the namespace \"\(ns)\"" } else { message += " at the cluster scope" }
        var details: Value = ["kind": .string(r.resource)]
        if let name = r.name { details["name"] = .string(name) }
        if !r.group.isEmpty { details["group"] = .string(r.group) }
        return APIError(code: 403, reason: "Forbidden", message: message, details: details)
    }
}
