import Foundation
import YAML

/// The review kinds are questions, not objects: a create answers in the response's status and
/// stores nothing, as on a real server. `kubectl auth can-i` asks SelfSubjectAccessReview,
/// `kubectl auth whoami` SelfSubjectReview.
enum Reviews {
    static let kinds: Set<String> = [
        "SelfSubjectReview", "TokenReview", "SelfSubjectAccessReview", "LocalSubjectAccessReview", "SubjectAccessReview", "SelfSubjectRulesReview",
    ]
}

extension APIServer {
    func review(_ type: ResourceType, namespace: String?, _ request: APIRequest) throws -> APIResponse {
        var body = try request.bodyValue()
        try checkKind(body, type)
        let user = request.user ?? .admin
        body["apiVersion"] = .string(type.apiVersion)
        body["kind"] = .string(type.kind)
        if body["metadata"] == nil { body["metadata"] = ["creationTimestamp": .null] }
        let authorizer = RBACAuthorizer(store: store)
        switch type.kind {
        case "SelfSubjectReview":
            body["status"] = ["userInfo": Self.userInfo(user)]
        case "TokenReview":
            let token = body[path: ["spec", "token"]]?.stringValue ?? ""
            if let account = serviceAccountTokens[token] ?? (token == configuration.token ? UserInfo.admin : nil) {
                body["status"] = ["authenticated": true, "user": Self.userInfo(account), "audiences": body[path: ["spec", "audiences"]] ?? []]
            } else {
                body["status"] = ["authenticated": false, "error": "invalid bearer token"]
            }
        case "SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview":
            let subject = type.kind == "SelfSubjectAccessReview" ? user : Self.subject(body["spec"], namespace: namespace)
            let access = Self.access(body["spec"], namespace: type.kind == "LocalSubjectAccessReview" ? namespace : nil)
            let allowed = authorizer.allows(subject, access)
            var status: Value = ["allowed": .bool(allowed)]
            if allowed, !subject.groups.contains("system:masters") { status["reason"] = "RBAC: allowed by a role binding" }
            body["status"] = status
        default:  // SelfSubjectRulesReview
            let ns = body[path: ["spec", "namespace"]]?.stringValue
            let rules =
                user.groups.contains("system:masters")
                ? [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]]] : authorizer.rules(for: user, namespace: ns)
            body["status"] = [
                "resourceRules": .array(rules.filter { $0["resources"] != nil }), "nonResourceRules": .array(rules.filter { $0["nonResourceURLs"] != nil }),
                "incomplete": false,
            ]
        }
        return .json(status: 201, body)
    }

    static func userInfo(_ user: UserInfo) -> Value {
        ["username": .string(user.name), "groups": .array(user.groups.map { .string($0) })]
    }

    static func subject(_ spec: Value?, namespace: String?) -> UserInfo {
        UserInfo(name: spec?["user"]?.stringValue ?? "", groups: (spec?["groups"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    static func access(_ spec: Value?, namespace: String?) -> AccessRequest {
        let r = spec?["resourceAttributes"]
        return AccessRequest(
            verb: r?["verb"]?.stringValue ?? "", group: r?["group"]?.stringValue ?? "", resource: r?["resource"]?.stringValue ?? "",
            subresource: r?["subresource"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }, namespace: namespace ?? r?["namespace"]?.stringValue,
            name: r?["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
    }
}
