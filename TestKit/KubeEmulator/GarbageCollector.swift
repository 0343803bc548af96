import YAML

/// What the kube-controller-manager's garbage collector does with the dependents of a deleted
/// object (those whose `metadata.ownerReferences` name its uid), done at once rather than
/// eventually:
///
/// - `Orphan`: the owner reference is removed from each dependent, which keeps running.
/// - `Background` (the default): after the owner is deleted, a dependent left with no owner that
///   still exists is deleted, and its own dependents after it; one with another live owner only
///   loses the reference.
/// - `Foreground`: the same, before the owner is deleted (a real server holds the owner with a
///   `foregroundDeletion` finalizer meanwhile; here the whole cascade happens before the answer).
/// - `Orphan` also runs before the owner is deleted, as the `orphan` finalizer makes it.
extension APIServer {
    enum Propagation: String {
        case orphan = "Orphan"
        case background = "Background"
        case foreground = "Foreground"
    }

    static func propagation(_ request: APIRequest, options: Value) throws -> Propagation {
        guard let text = options["propagationPolicy"]?.stringValue ?? request.query["propagationPolicy"], !text.isEmpty else { return .background }
        guard let policy = Propagation(rawValue: text) else {
            throw APIError(
                code: 400, reason: "BadRequest",
                message: "propagationPolicy: Unsupported value: \"\(text)\": supported values: \"Orphan\", \"Background\", \"Foreground\"")
        }
        return policy
    }

    func collectGarbage(ownedBy owner: Value, _ policy: Propagation) {
        guard let uid = owner.metadataString("uid") else { return }
        func names(_ o: Value) -> Bool { (o.metadata("ownerReferences")?.arrayValue ?? []).contains { $0["uid"]?.stringValue == uid } }
        for (resourceKey, namespace, name) in store.objects(where: names) {
            var deleted: Value?
            store.mutate(resourceKey, namespace: namespace, name: name) { current in
                guard var object = current else { return nil }
                let others = (object.metadata("ownerReferences")?.arrayValue ?? []).filter { $0["uid"]?.stringValue != uid }
                if policy != .orphan, !others.contains(where: { ownerExists($0, namespace: namespace) }) {
                    deleted = object
                    return nil
                }
                object.setMetadata("ownerReferences", others.isEmpty ? nil : .array(others))
                return object
            }
            if let deleted, let type = registry.all.first(where: { $0.resourceKey == resourceKey }) {
                afterDelete(type, deleted)
                collectGarbage(ownedBy: deleted, .background)
            }
        }
    }

    /// Whether the object an owner reference names is still stored (same uid).
    func ownerExists(_ reference: Value, namespace: String) -> Bool {
        guard let uid = reference["uid"]?.stringValue, let kind = reference["kind"]?.stringValue, let apiVersion = reference["apiVersion"]?.stringValue,
            let name = reference["name"]?.stringValue
        else { return false }
        let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
        guard let type = registry.all.first(where: { $0.kind == kind && $0.group == group }) else { return false }
        return store.get(type.resourceKey, namespace: type.namespaced ? namespace : "", name: name)?.metadataString("uid") == uid
    }
}
