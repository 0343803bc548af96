import Foundation
import YAML

extension APIServer {
    enum Operation {
        case create
        case update
        /// Server-side apply of a configuration.
        case apply(config: Value, force: Bool)
    }

    func fieldManager(_ type: ResourceType, _ subresource: String?) -> FieldManager {
        FieldManager(lists: ListSchema(type), subresource: subresource)
    }

    // MARK: verbs

    func create(_ type: ResourceType, namespace: String?, _ request: APIRequest) throws -> APIResponse {
        var body = try request.bodyValue()
        try checkKind(body, type)
        let ns = try resolveNamespace(type, url: namespace, body: body)
        var name = body.metadataString("name") ?? ""
        if name.isEmpty, let prefix = body.metadataString("generateName"), !prefix.isEmpty {
            name = prefix + String(UUID().uuidString.lowercased().prefix(5))
            body.setMetadata("name", .string(name))
        }
        if name.isEmpty {
            throw APIError.invalid(
                type, "", [.init(field: "metadata.name", message: "Required value: name or generateName is required", reason: "FieldValueRequired")])
        }
        try requireNamespace(type, ns)
        var warnings: [String] = []
        let result = try store.mutate(type.resourceKey, namespace: ns, name: name, dryRun: request.dryRun) { old in
            if old != nil { throw APIError.alreadyExists(type, name) }
            return try admit(type, nil, old: nil, proposed: body, operation: .create, request, warnings: &warnings)
        }
        return respond(201, type, old: nil, new: result.new!, request, warnings: warnings)
    }

    func update(_ type: ResourceType, namespace: String?, name: String, subresource: String?, _ request: APIRequest) throws -> APIResponse {
        let body = try request.bodyValue()
        try checkKind(body, type)
        let ns = try resolveNamespace(type, url: namespace, body: body)
        if let bodyName = body.metadataString("name"), bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        var warnings: [String] = []
        let result = try store.mutate(type.resourceKey, namespace: ns, name: name, dryRun: request.dryRun) { old in
            guard let old else { throw APIError.notFound(type, name) }
            if let rv = body.metadataString("resourceVersion"), !rv.isEmpty, rv != old.metadataString("resourceVersion") {
                throw APIError.conflict(type, name)
            }
            return try admit(type, subresource, old: old, proposed: body, operation: .update, request, warnings: &warnings)
        }
        return respond(200, type, old: result.old, new: result.new!, request, warnings: warnings)
    }

    func patch(_ type: ResourceType, namespace: String?, name: String, subresource: String?, _ request: APIRequest) throws -> APIResponse {
        let ns = namespace ?? ""
        let contentType = request.contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let patchValue = try request.bodyValue()
        var warnings: [String] = []
        if contentType == "application/apply-patch+yaml" || contentType == "application/apply-patch+json" {
            guard request.query["fieldManager"]?.isEmpty == false else {
                throw APIError.badRequest("PATCH, application/apply-patch+yaml requests must have a fieldManager query parameter")
            }
            try checkKind(patchValue, type)
            if let bodyName = patchValue.metadataString("name"), bodyName != name {
                throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
            }
            let applyNs = try resolveNamespace(type, url: namespace, body: patchValue)
            let force = request.flag("force")
            var created = false
            let exists = store.get(type.resourceKey, namespace: applyNs, name: name) != nil
            if !exists { try requireNamespace(type, applyNs) }
            let result = try store.mutate(type.resourceKey, namespace: applyNs, name: name, dryRun: request.dryRun) { old in
                if old == nil && subresource != nil { throw APIError.notFound(type, name) }
                created = old == nil
                if let rv = patchValue.metadataString("resourceVersion"), !rv.isEmpty, let old, rv != old.metadataString("resourceVersion") {
                    throw APIError.conflict(type, name)
                }
                return try admit(
                    type, subresource, old: old, proposed: patchValue, operation: .apply(config: patchValue, force: force), request, warnings: &warnings)
            }
            return respond(created ? 201 : 200, type, old: result.old, new: result.new!, request, warnings: warnings)
        }
        let result = try store.mutate(type.resourceKey, namespace: ns, name: name, dryRun: request.dryRun) { old in
            guard let old else { throw APIError.notFound(type, name) }
            let patched: Value
            switch contentType {
            case "application/merge-patch+json": patched = Patch.merge(old, patchValue)
            case "application/strategic-merge-patch+json":
                if type.schema != nil {
                    throw APIError.unsupportedMediaType("strategic merge patch is not supported for custom resources (use --type merge)")
                }
                patched = Patch.strategic(old, patchValue, lists: ListSchema(type))
            case "application/json-patch+json": patched = try Patch.json(old, patchValue)
            default: throw APIError.unsupportedMediaType(contentType)
            }
            if let rv = patchValue.metadataString("resourceVersion"), !rv.isEmpty, rv != old.metadataString("resourceVersion") {
                throw APIError.conflict(type, name)
            }
            return try admit(type, subresource, old: old, proposed: patched, operation: .update, request, warnings: &warnings)
        }
        return respond(200, type, old: result.old, new: result.new!, request, warnings: warnings)
    }

    func delete(_ type: ResourceType, namespace: String?, name: String, _ request: APIRequest) throws -> APIResponse {
        let ns = namespace ?? ""
        let options = (try? request.bodyValue()) ?? [:]
        let dryRun = request.dryRun || options["dryRun"]?.arrayValue?.contains("All") == true
        let propagation = try Self.propagation(request, options: options)
        // As on a real server, orphaning and foreground deletion finish with the dependents
        // before the owner is gone (the `orphan` and `foregroundDeletion` finalizers hold it):
        // a controller that sees the owner deleted never sees dependents still pointing at it.
        if !dryRun, propagation != .background, store.get(type.resourceKey, namespace: ns, name: name) != nil {
            // Marked as being deleted first, as the finalizer does: a controller woken by its
            // dependents' changes reads an owner that is going away, not one to act on.
            let finalizer: Value = propagation == .orphan ? "orphan" : "foregroundDeletion"
            let marked = store.mutate(type.resourceKey, namespace: ns, name: name) { current in
                guard var o = current else { return nil }
                o.setMetadata("deletionTimestamp", .string(Self.timestamp()))
                o.setMetadata("finalizers", .array((o.metadata("finalizers")?.arrayValue ?? []) + [finalizer]))
                return o
            }
            if let owner = marked.new { collectGarbage(ownedBy: owner, propagation) }
        }
        let result = try store.mutate(type.resourceKey, namespace: ns, name: name, dryRun: dryRun) { old in
            guard let old else { throw APIError.notFound(type, name) }
            if let uid = options[path: ["preconditions", "uid"]]?.stringValue, uid != old.metadataString("uid") {
                throw APIError(
                    code: 409, reason: "Conflict",
                    message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(old.metadataString("uid") ?? "")")
            }
            if let rv = options[path: ["preconditions", "resourceVersion"]]?.stringValue, rv != old.metadataString("resourceVersion") {
                throw APIError(
                    code: 409, reason: "Conflict",
                    message:
                        "Precondition failed: ResourceVersion in precondition: \(rv), ResourceVersion in object meta: \(old.metadataString("resourceVersion") ?? "")"
                )
            }
            return nil
        }
        guard let old = result.old else { throw APIError.notFound(type, name) }
        if !dryRun {
            afterDelete(type, old)
            if propagation == .background { collectGarbage(ownedBy: old, .background) }
        }
        var status: Value = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success",
            "details": ["name": .string(name), "kind": .string(type.plural), "uid": old.metadata("uid") ?? .null],
        ]
        if !type.group.isEmpty { status["details"]?["group"] = .string(type.group) }
        return .json(status: 200, status)
    }

    func deleteCollection(_ type: ResourceType, namespace: String?, _ request: APIRequest) throws -> APIResponse {
        let labels = try request.query["labelSelector"].flatMap { $0.isEmpty ? nil : try LabelSelector($0) }
        let (items, _) = store.list(type.resourceKey, namespace: namespace)
        for item in items where labels?.matches(item) ?? true {
            let name = item.metadataString("name") ?? ""
            let ns = item.metadataString("namespace") ?? ""
            if !request.dryRun {
                let propagation = try Self.propagation(request, options: (try? request.bodyValue()) ?? [:])
                if propagation != .background { collectGarbage(ownedBy: item, propagation) }
                store.mutate(type.resourceKey, namespace: ns, name: name) { _ in nil }
                afterDelete(type, item)
                if propagation == .background { collectGarbage(ownedBy: item, .background) }
            }
        }
        return .json(status: 200, ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success"])
    }

    // MARK: admission

    func checkKind(_ body: Value, _ type: ResourceType) throws {
        guard case .object = body else { throw APIError.badRequest("the request body must be an object") }
        guard let kind = body["kind"]?.stringValue, !kind.isEmpty else {
            throw APIError.badRequest("Object 'Kind' is missing in '\(String((try? JSON.serialize(body))?.prefix(200) ?? ""))'")
        }
        guard let apiVersion = body["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
            throw APIError.badRequest("Object 'apiVersion' is missing")
        }
        if kind != type.kind || Registry.split(apiVersion).group != type.group {
            throw APIError.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(type.apiVersion)) or the kind (\(kind)) does not match \(type.kind)"
            )
        }
    }

    func resolveNamespace(_ type: ResourceType, url: String?, body: Value) throws -> String {
        guard type.namespaced else { return "" }
        let fromBody = body.metadataString("namespace")
        guard let url else { throw APIError.badRequest("a namespace is required for \(type.resourceKey)") }
        if let fromBody, !fromBody.isEmpty, fromBody != url {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        return url
    }

    func requireNamespace(_ type: ResourceType, _ ns: String) throws {
        guard type.namespaced else { return }
        guard let namespace = store.get("namespaces", namespace: "", name: ns) else { throw APIError.namespaceNotFound(ns) }
        if namespace[path: ["status", "phase"]] == "Terminating" {
            throw APIError(code: 403, reason: "Forbidden", message: "unable to create new content in namespace \(ns) because it is being terminated")
        }
    }

    /// Everything between a proposed object and what is stored: status handling, system
    /// metadata, apply merge, defaulting, validation, generation and managed fields.
    func admit(
        _ type: ResourceType, _ subresource: String?, old: Value?, proposed: Value, operation: Operation, _ request: APIRequest,
        warnings: inout [String]
    ) throws -> Value {
        let name = old?.metadataString("name") ?? proposed.metadataString("name") ?? ""
        let now = Self.timestamp()
        let manager = request.fieldManager
        let fm = fieldManager(type, subresource)
        var object: Value
        var applyEntries: [FieldManager.Entry]?
        switch operation {
        case .apply(let config, let force):
            var cleaned = config
            cleaned.setMetadata("resourceVersion", nil)
            Defaulting.applyConfiguration(type, &cleaned)
            cleaned = try prune(type, cleaned, request, warnings: &warnings)
            do {
                let (merged, entries) = try fm.apply(live: old, config: cleaned, manager: manager, apiVersion: type.apiVersion, force: force, now: now)
                object = merged
                applyEntries = entries
            } catch let c as FieldManager.Conflict {
                throw APIError.applyConflict(type, name, conflicts: c.conflicts)
            }
        case .create, .update:
            object = try prune(type, proposed, request, warnings: &warnings)
        }
        object["apiVersion"] = .string(type.apiVersion)
        object["kind"] = .string(type.kind)

        Self.writeOnlyItsPart(&object, type, subresource, old: old)

        Self.setSystemMetadata(&object, type, old: old, proposed: proposed, name: name, namespace: request.namespace, now: now)
        try Self.keepClusterIP(&object, type, old: old, name: name)
        Defaulting.apply(type, to: &object) {
            let n = clusterIPs.next()
            return "10.96.\(n / 250).\(n % 250 + 1)"
        }
        if type.kind == "CustomResourceDefinition", old == nil { object["status"] = [:] }

        let causes = Validation.validate(type, object)
        if !causes.isEmpty { throw APIError.invalid(type, name, causes) }

        if type.tracksGeneration {
            let previous = old?.metadata("generation")?.intValue ?? 0
            let changed = old.map { !Self.nonMetadata($0).semanticallyEquals(Self.nonMetadata(object)) } ?? true
            object.setMetadata("generation", .int(old == nil ? 1 : (changed ? previous + 1 : previous)))
        }

        let entries = managedEntries(type, subresource, old: old, new: object, apply: applyEntries, manager: manager, fm: fm, now: now)
        // No entries at all is no managedFields key, not an empty list, as on a real server.
        object.setMetadata("managedFields", entries.isEmpty ? nil : FieldManager.encode(sortedEntries(entries)))
        // A write that changes nothing is not a write: a real server keeps the resourceVersion
        // (and sends no watch event), so controllers that re-apply unchanged objects stay quiet.
        if let old, Self.withoutTimes(object).semanticallyEquals(Self.withoutTimes(old)) { return old }
        return object
    }

    /// The main resource and the status subresource each write only their part.
    static func writeOnlyItsPart(_ object: inout Value, _ type: ResourceType, _ subresource: String?, old: Value?) {
        if subresource == "status", let old {
            var o = old
            o["status"] = object["status"]
            object = o
        } else if type.hasStatus {
            object["status"] = old?["status"]
        }
    }

    /// System metadata is the server's: name, namespace (the URL's, as a body may leave it out,
    /// as kubectl run's does), uid and creation time kept from the stored object.
    static func setSystemMetadata(
        _ object: inout Value, _ type: ResourceType, old: Value?, proposed: Value, name: String, namespace: String?, now: String
    ) {
        object.setMetadata("name", .string(name))
        if type.namespaced {
            let fromURL: Value? = namespace.map { .string($0) }
            object.setMetadata("namespace", old?.metadata("namespace") ?? fromURL ?? proposed.metadata("namespace"))
        } else {
            object.setMetadata("namespace", nil)
        }
        object.setMetadata("resourceVersion", nil)
        object.setMetadata("uid", old?.metadata("uid") ?? .string(UUID().uuidString.lowercased()))
        object.setMetadata("creationTimestamp", old?.metadata("creationTimestamp") ?? .string(now))
        object.setMetadata("generation", nil)
        object.setMetadata("managedFields", nil)
        object.setMetadata("selfLink", nil)

    }

    /// A Service's allocated address stays; changing it is refused, as on a real server.
    static func keepClusterIP(_ object: inout Value, _ type: ResourceType, old: Value?, name: String) throws {
        if type.kind == "Service", type.group.isEmpty, let before = old?[path: ["spec", "clusterIP"]] {
            let asked = object[path: ["spec", "clusterIP"]]
            if let asked, asked != "", asked != before {
                throw APIError.invalid(type, name, [.init(field: "spec.clusterIPs[0]", message: "Invalid value: \(asked): field is immutable")])
            }
            object.set(before, at: ["spec", "clusterIP"])
            object.set(old?[path: ["spec", "clusterIPs"]] ?? [before], at: ["spec", "clusterIPs"])
        }
    }

    /// The managed-fields entries after this write: an apply's (beside the other subresource's),
    /// or an update's.
    func managedEntries(
        _ type: ResourceType, _ subresource: String?, old: Value?, new object: Value, apply applyEntries: [FieldManager.Entry]?, manager: String,
        fm: FieldManager, now: String
    ) -> [FieldManager.Entry] {
        var entries: [FieldManager.Entry]
        if let applyEntries {
            entries = applyEntries
            // The main-resource entries and the status entries live side by side.
            entries += FieldManager.decode(old).filter { !fm.sharesFields(with: $0.subresource) }
        } else {
            entries = fm.update(old: old, new: object, manager: manager, apiVersion: type.apiVersion, now: now)
        }
        return entries
    }

    /// The object with managed-field timestamps and the resourceVersion removed.
    static func withoutTimes(_ v: Value) -> Value {
        var o = v
        o.setMetadata("resourceVersion", nil)
        if var entries = o.metadata("managedFields")?.arrayValue {
            for i in entries.indices { entries[i]["time"] = nil }
            o.setMetadata("managedFields", .array(entries))
        }
        return o
    }

    func sortedEntries(_ entries: [FieldManager.Entry]) -> [FieldManager.Entry] {
        var seen = Set<String>()
        return entries.filter { seen.insert("\($0.manager)|\($0.operation)|\($0.subresource ?? "")").inserted }
    }

    /// An object without metadata and status: what `generation` tracks.
    static func nonMetadata(_ v: Value) -> Value {
        var o = v
        o["metadata"] = nil
        o["status"] = nil
        return o
    }

    /// Unknown fields: a custom resource's are pruned with a warning, a built-in kind's (from
    /// its type's fields) kept with one (the real server drops them while decoding: a
    /// difference no test relies on); either is refused when the client asks for strict field
    /// validation (kubectl does by default).
    func prune(_ type: ResourceType, _ object: Value, _ request: APIRequest, warnings: inout [String]) throws -> Value {
        var unknown: [String] = []
        let pruned: Value
        if let schema = type.schema {
            pruned = Self.prunedCustomResource(object, schema: schema, unknown: &unknown)
        } else if let message = BuiltinTypes.message(apiVersion: type.apiVersion, kind: type.kind) {
            unknown = BuiltinTypes.unknownFields(of: object, message: message)
            pruned = object
        } else {
            return object
        }
        if unknown.isEmpty { return object }
        if request.query["fieldValidation"] == "Strict" {
            throw APIError.badRequest("strict decoding error: " + unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", "))
        }
        if request.query["fieldValidation"] != "Ignore" { warnings += unknown.map { "unknown field \"\($0)\"" } }
        return pruned
    }

    static func prunedCustomResource(_ object: Value, schema: Value, unknown: inout [String]) -> Value {
        var pruned = object
        for key in ["spec", "status"] where object[key] != nil {
            if let s = schema[path: ["properties", key]] {
                pruned[key] = Pruning.prune(object[key]!, schema: s, path: key, unknown: &unknown)
            }
        }
        for key in (object.objectValue?.keys).map(Array.init) ?? [] where !["apiVersion", "kind", "metadata"].contains(key) {
            if schema[path: ["properties", key]] == nil, schema["x-kubernetes-preserve-unknown-fields"] != .bool(true) {
                unknown.append(key)
                pruned[key] = nil
            }
        }
        return pruned
    }

    func respond(_ code: Int, _ type: ResourceType, old: Value?, new: Value, _ request: APIRequest, warnings: [String]) -> APIResponse {
        var object = new
        if request.dryRun {
            object.setMetadata("resourceVersion", old?.metadata("resourceVersion"))
        } else {
            afterWrite(type, old: old, new: object)
        }
        var headers: [String: String] = [:]
        if !warnings.isEmpty { headers["Warning"] = warnings.map { "299 - \"\($0)\"" }.joined(separator: ", ") }
        return .json(status: code, object, headers: headers)
    }

    // MARK: side effects a real cluster's controllers would have

    func afterWrite(_ type: ResourceType, old: Value?, new: Value) {
        switch (type.group, type.kind) {
        case ("apiextensions.k8s.io", "CustomResourceDefinition"):
            scheduler.after(configuration.crdEstablishDelay) { [self] in establish(new.metadataString("name") ?? "") }
        case ("apps", "Deployment"):
            if old == nil || Self.nonMetadata(old!) != Self.nonMetadata(new) || old?.metadata("generation") != new.metadata("generation") {
                scheduleDeployment(new.metadataString("namespace") ?? "", new.metadataString("name") ?? "")
            }
        case ("autoscaling", "HorizontalPodAutoscaler"):
            if old?["spec"] != new["spec"] { scheduleAutoscaler(new.metadataString("namespace") ?? "", new.metadataString("name") ?? "") }
        default:
            break
        }
    }

    func afterDelete(_ type: ResourceType, _ old: Value) {
        switch (type.group, type.kind) {
        case ("", "Namespace"):
            let ns = old.metadataString("name") ?? ""
            for (key, name) in store.objects(inNamespace: ns) {
                store.mutate(key, namespace: ns, name: name) { _ in nil }
            }
        case ("autoscaling", "HorizontalPodAutoscaler"):
            autoscalerState.forget(old.metadataString("namespace") ?? "", old.metadataString("name") ?? "")
        case ("apiextensions.k8s.io", "CustomResourceDefinition"):
            for t in registry.all
            where t.group == old[path: ["spec", "group"]]?.stringValue && t.plural == old[path: ["spec", "names", "plural"]]?.stringValue {
                store.removeAll(t.resourceKey)
            }
            registry.unregister(crd: old)
        default:
            break
        }
    }

    /// What the apiextensions controller does: accept the names, serve the kinds, mark Established.
    func establish(_ name: String) {
        store.mutate("customresourcedefinitions.apiextensions.k8s.io", namespace: "", name: name) { current in
            guard var crd = current else { return nil }
            registry.register(crd: crd)
            // A condition that is already True keeps its transition time, so re-applying an
            // unchanged CRD changes nothing (and bumps no resourceVersion), as on a real server.
            let previous = crd[path: ["status", "conditions"]]?.arrayValue ?? []
            func since(_ type: String) -> String {
                previous.first { $0["type"] == .string(type) && $0["status"] == "True" }?["lastTransitionTime"]?.stringValue ?? Self.timestamp()
            }
            let storage = crd[path: ["spec", "versions"]]?.arrayValue?.first { $0["storage"] == .bool(true) }?["name"] ?? "v1"
            crd["status"] = [
                "conditions": [
                    [
                        "type": "NamesAccepted", "status": "True", "reason": "NoConflicts", "message": "no conflicts found",
                        "lastTransitionTime": .string(since("NamesAccepted")),
                    ],
                    [
                        "type": "Established", "status": "True", "reason": "InitialNamesAccepted", "message": "the initial names have been accepted",
                        "lastTransitionTime": .string(since("Established")),
                    ],
                ],
                "acceptedNames": crd[path: ["spec", "names"]] ?? [:],
                "storedVersions": [storage],
            ]
            return crd
        }
    }
}

/// Drops fields a structural schema does not declare (unless it preserves unknown fields).
enum Pruning {
    static func prune(_ value: Value, schema: Value, path: String, unknown: inout [String]) -> Value {
        if schema["x-kubernetes-preserve-unknown-fields"] == .bool(true) { return value }
        switch value {
        case .object(var o):
            let properties = schema["properties"]?.objectValue
            let additional = schema["additionalProperties"]
            if properties == nil, additional == nil { return value }
            for (k, v) in o {
                if let p = properties?[k] {
                    o[k] = prune(v, schema: p, path: "\(path).\(k)", unknown: &unknown)
                } else if let additional, additional.objectValue != nil {
                    o[k] = prune(v, schema: additional, path: "\(path).\(k)", unknown: &unknown)
                } else if additional != .bool(true) {
                    unknown.append("\(path).\(k)")
                    o[k] = nil
                }
            }
            return .object(o)
        case .array(let items):
            guard let itemSchema = schema["items"] else { return value }
            return .array(items.enumerated().map { prune($0.element, schema: itemSchema, path: "\(path)[\($0.offset)]", unknown: &unknown) })
        default:
            return value
        }
    }
}
