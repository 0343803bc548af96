import YAML

/// OpenAPI v3 documents, enough for kubectl's client-side checks: one document per group
/// version, with a schema per kind that carries `x-kubernetes-group-version-kind`. Built-in kinds
/// get typed schemas from `BuiltinTypes` (`OpenAPI+Builtin.swift`; the few the table lacks stay
/// permissive); custom kinds get their CRD schema.
enum OpenAPI {
    static func path(group: String, version: String) -> String { group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)" }

    static func root(registry: Registry) -> Value {
        var paths: Value = [:]
        var seen = Set<String>()
        for t in registry.all where seen.insert(t.apiVersion).inserted {
            let p = path(group: t.group, version: t.version)
            paths[p] = ["serverRelativeURL": .string("/openapi/v3/\(p)?hash=\(hash(registry, t.group, t.version))")]
        }
        return ["paths": paths]
    }

    static func hash(_ registry: Registry, _ group: String, _ version: String) -> String {
        let kinds =
            ["builtin-schemas-2"]
            + registry.all.filter { $0.group == group && $0.version == version }.map { "\($0.kind)\($0.schema.map { (try? JSON.serialize($0)) ?? "" } ?? "")" }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in kinds.joined().utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16, uppercase: true)
    }

    static func schemaName(_ t: ResourceType) -> String {
        let g = t.group.isEmpty ? "core" : t.group
        return "io.sluice.emulator.\(g).\(t.version).\(t.kind)"
    }

    static func document(_ path: String, registry: Registry) throws -> Value {
        let types = registry.all.filter { self.path(group: $0.group, version: $0.version) == path }
        guard !types.isEmpty else { throw APIError.pathNotFound("/openapi/v3/\(path)") }
        var schemas: Value = [
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
            "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
        ]
        var paths: Value = [:]
        for t in types {
            let gvk: Value = [["group": .string(t.group), "kind": .string(t.kind), "version": .string(t.version)]]
            var schema: Value = t.schema ?? ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
            var name = schemaName(t)
            if t.schema == nil, let message = BuiltinTypes.message(apiVersion: t.apiVersion, kind: t.kind) {
                builtinSchemas(message, into: &schemas)
                name = componentName(message)
                schema = schemas[name] ?? schema
            }
            if schema["type"] == nil { schema["type"] = "object" }
            var properties = schema["properties"]?.objectValue ?? [:]
            properties["apiVersion"] = ["type": "string"]
            properties["kind"] = ["type": "string"]
            properties["metadata"] = ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]
            schema["properties"] = .object(properties)
            schema["x-kubernetes-group-version-kind"] = gvk
            schemas[name] = schema
            // The List kind of every kind, as a real server publishes it (`kubectl apply` of a
            // ConfigMapList validates against it).
            schemas[name + "List"] = [
                "type": "object", "required": ["items"],
                "properties": [
                    "apiVersion": ["type": "string"], "kind": ["type": "string"],
                    "metadata": ["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"],
                    "items": ["type": "array", "items": ["$ref": .string("#/components/schemas/\(name)")]],
                ],
                "x-kubernetes-group-version-kind": [["group": .string(t.group), "kind": .string(t.listKind), "version": .string(t.version)]],
            ]
            let base = "/\(path)" + (t.namespaced ? "/namespaces/{namespace}/\(t.plural)" : "/\(t.plural)")
            let ref: Value = ["$ref": .string("#/components/schemas/\(name)")]
            let params: Value = [
                ["name": "dryRun", "in": "query", "schema": ["type": "string"]],
                ["name": "fieldManager", "in": "query", "schema": ["type": "string"]],
                ["name": "fieldValidation", "in": "query", "schema": ["type": "string"]],
                ["name": "force", "in": "query", "schema": ["type": "boolean"]],
            ]
            let op: Value = [
                "parameters": params,
                "responses": ["200": ["content": ["application/json": ["schema": ref]]]],
                "x-kubernetes-group-version-kind": gvk.arrayValue![0],
            ]
            paths[base + "/{name}"] = ["get": op, "put": op, "patch": op, "delete": op]
            paths[base] = ["get": op, "post": op]
        }
        return ["openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.33.5"], "paths": paths, "components": ["schemas": schemas]]
    }
}
