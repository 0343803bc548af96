import YAML

/// Typed OpenAPI v3 schemas for the built-in kinds, from `BuiltinTypes`: what `kubectl explain`
/// walks and what kubectl's client-side apply reads list merge keys from. They carry field
/// names, types and list types, not the API's descriptions.
extension OpenAPI {
    static let prefixes: [String: String] = [
        "meta": "io.k8s.apimachinery.pkg.apis.meta.v1", "autoscalingv1": "io.k8s.api.autoscaling.v1", "autoscalingv2": "io.k8s.api.autoscaling.v2",
    ]

    /// `apps.Deployment` → `io.k8s.api.apps.v1.Deployment`, as a real server names it.
    static func componentName(_ message: String) -> String {
        let parts = message.split(separator: ".", maxSplits: 1).map(String.init)
        return "\(prefixes[parts[0]] ?? "io.k8s.api.\(parts[0]).v1").\(parts[1])"
    }

    /// The schemas of `message` and of every message it reaches, by component name.
    static func builtinSchemas(_ message: String, into schemas: inout Value) {
        var pending = [message]
        var seen = Set<String>()
        while let m = pending.popLast() {
            guard seen.insert(m).inserted, let fields = BuiltinTypes.messages[m] else { continue }
            var properties: Value = [:]
            for f in flatten(fields) {
                properties[f.json] = property(f)
                if let inner = f.message { pending.append(inner) }
            }
            schemas[componentName(m)] = ["type": "object", "properties": properties]
        }
    }

    /// Inline fields' fields in place of the inline field (ObjectMeta's, ListMeta's...).
    static func flatten(_ fields: [BuiltinTypes.Field]) -> [BuiltinTypes.Field] {
        fields.flatMap { f -> [BuiltinTypes.Field] in
            if f.inline, let m = f.message { return flatten(BuiltinTypes.messages[m] ?? []) }
            return f.json.isEmpty ? [] : [f]
        }
    }

    static func property(_ f: BuiltinTypes.Field) -> Value {
        let one = scalar(f.type)
        guard f.repeated, f.type != "bytes" else { return one }
        var array: Value = ["type": "array", "items": one]
        switch f.list {
        case .map(let keys)?:
            array["x-kubernetes-list-type"] = "map"
            array["x-kubernetes-list-map-keys"] = .array(keys.map(Value.string))
            // kubectl's client-side apply merges such lists item by item on the first key.
            array["x-kubernetes-patch-strategy"] = "merge"
            array["x-kubernetes-patch-merge-key"] = .string(keys[0])
        case .set?: array["x-kubernetes-list-type"] = "set"
        case .atomic?: array["x-kubernetes-list-type"] = "atomic"
        case nil: break
        }
        return array
    }

    static func scalar(_ type: String) -> Value {
        if type.hasPrefix("m:") { return ["$ref": .string("#/components/schemas/\(componentName(String(type.dropFirst(2))))")] }
        if type.hasPrefix("map:") {
            let value = type.split(separator: ":", maxSplits: 2).last.map(String.init) ?? "str"
            return ["type": "object", "additionalProperties": scalar(value)]
        }
        switch type {
        case "str", "duration": return ["type": "string"]
        case "int": return ["type": "integer", "format": "int64"]
        case "bool": return ["type": "boolean"]
        case "f64": return ["type": "number", "format": "double"]
        case "bytes": return ["type": "string", "format": "byte"]
        case "time", "microtime": return ["type": "string", "format": "date-time"]
        case "intstr": return ["type": "string", "format": "int-or-string", "x-kubernetes-int-or-string": true]
        case "quantity": return ["type": "string", "x-kubernetes-int-or-string": true]
        case "strlist": return ["type": "array", "items": ["type": "string"]]
        case "fieldsv1": return ["type": "object"]
        default: return ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        }
    }
}
