import Foundation
import YAML

/// Subresources other than `status`: `scale` (a Scale view of spec.replicas), a service
/// account's `token`, a namespace's `finalize`; the kubelet's (`log`, `exec`, `attach`,
/// `portforward`, `proxy`) answer that there is no kubelet; the rest are refused as not emulated.
extension APIServer {
    static let kubeletSubresources: Set<String> = ["log", "exec", "attach", "portforward", "proxy"]

    func subresource(_ type: ResourceType, namespace: String?, name: String, _ sub: String, _ request: APIRequest) throws -> APIResponse {
        let ns = namespace ?? ""
        guard let object = store.get(type.resourceKey, namespace: ns, name: name) else { throw APIError.notFound(type, name) }
        switch sub {
        case "scale": return try scale(type, ns, name, object, request)
        case "token" where request.method == "POST": return try token(ns, name, request)
        case "finalize" where request.method == "PUT": return try update(type, namespace: nil, name: name, subresource: nil, request)
        case _ where Self.kubeletSubresources.contains(sub):
            throw APIError(
                code: 400, reason: "BadRequest",
                message:
                    "the Kubernetes API emulator runs no kubelet, so there is nothing behind \(type.plural)/\(sub) for \(type.kind.lowercased()) \(ns.isEmpty ? "" : "\(ns)/")\(name) (no containers run, so there are no logs, exec or port-forwards)"
            )
        default:
            throw APIError(code: 405, reason: "MethodNotAllowed", message: "\(type.plural)/\(sub) is not emulated")
        }
    }

    /// `autoscaling/v1` Scale of an object with spec.replicas.
    static func scaleObject(_ object: Value) -> Value {
        let selector = object[path: ["spec", "selector", "matchLabels"]]?.objectValue.map { labels in
            labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: ",")
        }
        var status: Value = ["replicas": .int(object[path: ["status", "replicas"]]?.intValue ?? 0)]
        if let selector { status["selector"] = .string(selector) }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": [
                "name": object.metadata("name") ?? .null, "namespace": object.metadata("namespace") ?? .null, "uid": object.metadata("uid") ?? .null,
                "resourceVersion": object.metadata("resourceVersion") ?? .null, "creationTimestamp": object.metadata("creationTimestamp") ?? .null,
            ],
            "spec": ["replicas": .int(object[path: ["spec", "replicas"]]?.intValue ?? 1)],
            "status": status,
        ]
    }

    func scale(_ type: ResourceType, _ ns: String, _ name: String, _ object: Value, _ request: APIRequest) throws -> APIResponse {
        if request.method == "GET" { return .json(status: 200, Self.scaleObject(object)) }
        guard ["PUT", "PATCH"].contains(request.method) else { throw APIError.methodNotAllowed("\(type.plural)/scale allows get, update and patch") }
        let patch = try request.bodyValue()
        var warnings: [String] = []
        let result = try store.mutate(type.resourceKey, namespace: ns, name: name, dryRun: request.dryRun) { old in
            guard let old else { throw APIError.notFound(type, name) }
            let current = Self.scaleObject(old)
            let desired: Value
            switch request.method == "PUT" ? "put" : request.contentType.split(separator: ";").first.map(String.init) ?? "" {
            case "put": desired = patch
            case "application/merge-patch+json", "application/strategic-merge-patch+json": desired = Patch.merge(current, patch)
            case "application/json-patch+json": desired = try Patch.json(current, patch)
            case "application/apply-patch+yaml", "application/apply-patch+json": desired = Patch.merge(current, patch)
            default: throw APIError.unsupportedMediaType(request.contentType)
            }
            guard let replicas = desired[path: ["spec", "replicas"]]?.intValue, replicas >= 0 else {
                throw APIError.invalid(type, name, [.init(field: "spec.replicas", message: "Invalid value: must be greater than or equal to 0")])
            }
            var proposed = old
            proposed.set(.int(replicas), at: ["spec", "replicas"])
            // Recorded as a `scale` write, as a real server does (`kubectl get -o yaml
            // --show-managed-fields` shows the HPA controller's entry with subresource: scale).
            return try admit(type, "scale", old: old, proposed: proposed, operation: .update, request, warnings: &warnings)
        }
        if !request.dryRun { afterWrite(type, old: result.old, new: result.new!) }
        return .json(status: 200, Self.scaleObject(result.new!))
    }

    /// A service account token (`kubectl create token`), valid against this emulator.
    func token(_ ns: String, _ name: String, _ request: APIRequest) throws -> APIResponse {
        var body = (try? request.bodyValue()) ?? ["spec": [:]]
        let seconds = body[path: ["spec", "expirationSeconds"]]?.intValue ?? 3600
        let token = "sa-" + UUID().uuidString.lowercased() + UUID().uuidString.lowercased()
        serviceAccountTokens[token] = .serviceAccount(namespace: ns, name: name)
        body["apiVersion"] = "authentication.k8s.io/v1"
        body["kind"] = "TokenRequest"
        body["metadata"] = ["name": .string(name), "namespace": .string(ns), "creationTimestamp": .null]
        body.set(.int(seconds), at: ["spec", "expirationSeconds"])
        body["status"] = ["token": .string(token), "expirationTimestamp": .string(Self.timestamp(Date().addingTimeInterval(Double(seconds))))]
        return .json(status: 201, body)
    }
}
