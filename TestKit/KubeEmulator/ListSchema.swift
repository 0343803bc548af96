import YAML

/// How lists merge under server-side apply. Most lists are atomic (replaced whole); some are
/// maps keyed by fields of their items (containers by `name`), some are sets of scalars
/// (finalizers). Built-in kinds get the list types Kubernetes declares for them
/// (`BuiltinTypes`); custom resources get them from their CRD schema (`x-kubernetes-list-type`,
/// `x-kubernetes-list-map-keys`); the few kinds neither covers (CustomResourceDefinitions,
/// APIServices, HTTPRoutes) fall back to the common field names.
struct ListSchema: Sendable {
    enum Kind: Equatable, Sendable {
        case atomic
        case map([String])
        case set
    }

    var crdSchema: Value?
    /// The kind's message in `BuiltinTypes`.
    var builtin: String?

    init(crdSchema: Value?, builtin: String? = nil) {
        self.crdSchema = crdSchema
        self.builtin = builtin
    }

    init(_ type: ResourceType) {
        self.init(crdSchema: type.schema, builtin: type.schema == nil ? BuiltinTypes.message(apiVersion: type.apiVersion, kind: type.kind) : nil)
    }

    /// `path` is the chain of field names leading to the list (indexes left out).
    func kind(at path: [String]) -> Kind {
        if let crdSchema { return crdKind(at: path, schema: crdSchema) }
        if let builtin, let kind = Self.builtinKind(at: path, from: builtin) { return kind }
        return Self.byName(path)
    }

    /// The declared list type at `path`, nil when the table does not reach it.
    static func builtinKind(at path: [String], from message: String) -> Kind? {
        var node = message
        for (i, name) in path.enumerated() {
            guard let field = BuiltinTypes.field(name, in: node) else { return nil }
            if i == path.count - 1 { return field.repeated ? (field.list ?? .atomic) : nil }
            guard let next = field.message else { return nil }
            node = next
        }
        return nil
    }

    /// For kinds without a declared schema: the list types of the common field names.
    static func byName(_ path: [String]) -> Kind {
        guard let last = path.last else { return .atomic }
        let parent = path.dropLast().last
        // The list types Kubernetes 1.33 declares (`+listType`, `+listMapKey`) for the lists
        // manifests commonly set; every other list is atomic.
        switch last {
        case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets", "resourceClaims", "secrets":
            return parent == "spec" && last == "secrets" ? .atomic : .map(["name"])
        case "volumeMounts": return .map(["mountPath"])
        case "volumeDevices": return .map(["devicePath"])
        case "ports":
            // Service ports are keyed by port and protocol, container ports by containerPort and
            // protocol; protocol is defaulted (TCP) before the merge (`Defaulting.applyConfiguration`).
            if parent == "spec", path.count == 2 { return .map(["port", "protocol"]) }
            if path.contains("containers") || path.contains("initContainers") || path.contains("ephemeralContainers") {
                return .map(["containerPort", "protocol"])
            }
            return .atomic
        case "conditions": return .map(["type"])
        case "ownerReferences": return .map(["uid"])
        case "finalizers": return .set
        case "hostAliases": return .map(["ip"])
        case "topologySpreadConstraints": return .map(["topologyKey", "whenUnsatisfiable"])
        case "resizePolicy": return .map(["resourceName"])
        case "readinessGates", "tolerations", "args", "command", "envFrom": return .atomic
        default: return .atomic
        }
    }

    private func crdKind(at path: [String], schema: Value) -> Kind {
        if path.first == "metadata" { return Self.builtinKind(at: Array(path.dropFirst()), from: "meta.ObjectMeta") ?? Self.byName(path) }
        var node = schema
        for field in path {
            while node["type"]?.stringValue == "array", let items = node["items"] { node = items }
            guard let next = node["properties"]?[field] ?? node["additionalProperties"] else { return .atomic }
            node = next
        }
        switch node["x-kubernetes-list-type"]?.stringValue {
        case "map": return .map(node["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case "set": return .set
        default: return .atomic
        }
    }

    /// The `k:` element naming an item of a keyed list, nil if the item lacks a key field.
    static func keyElement(_ item: Value, keys: [String]) -> PathElement? {
        var o = Value.emptyObject
        for k in keys.sorted() {
            guard let v = item[k] else { return nil }
            o[k] = v
        }
        return (try? JSON.serialize(o)).map { .key($0) }
    }

    static func valueElement(_ item: Value) -> PathElement? {
        (try? JSON.serialize(item)).map { .value($0) }
    }
}
