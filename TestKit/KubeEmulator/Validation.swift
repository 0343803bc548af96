import Foundation
import Synchronization
import YAML

/// What a real API server refuses with 422 Invalid, for the kinds the emulator serves.
enum Validation {
    typealias Cause = APIError.Cause

    static func validate(_ type: ResourceType, _ object: Value) -> [Cause] {
        var causes = metadata(type, object)
        switch (type.group, type.kind) {
        case ("", "ConfigMap"):
            causes += configMap(object)
        case ("", "Secret"):
            for (k, v) in object["data"]?.objectValue ?? [:] {
                guard let s = v.stringValue, Base64.isValid(s) else {
                    causes.append(Cause(field: "data[\(k)]", message: "Invalid value: must be base64-encoded"))
                    continue
                }
            }
        case ("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"), ("apps", "DaemonSet"):
            causes += workload(object)
        case ("batch", "Job"):
            causes += job(object, at: ["spec"])
        case ("batch", "CronJob"):
            if (object[path: ["spec", "schedule"]]?.stringValue ?? "").isEmpty {
                causes.append(Cause(field: "spec.schedule", message: "Required value", reason: "FieldValueRequired"))
            }
            causes += job(object, at: ["spec", "jobTemplate", "spec"])
        case ("", "Service"):
            causes += service(object)
        case ("coordination.k8s.io", "Lease"):
            if let d = object[path: ["spec", "leaseDurationSeconds"]], (d.intValue ?? 0) <= 0 {
                causes.append(Cause(field: "spec.leaseDurationSeconds", message: "Invalid value: must be greater than 0"))
            }
        case ("apiextensions.k8s.io", "CustomResourceDefinition"):
            causes += crd(object)
        default:
            if let schema = type.schema {
                causes += SchemaValidation.validate(object, schema: schema, path: "")
            }
        }
        return causes
    }

    /// The name, labels and annotations, as every kind's are checked.
    static func metadata(_ type: ResourceType, _ object: Value) -> [Cause] {
        var causes: [Cause] = []
        let name = object.metadataString("name") ?? ""
        if name.isEmpty {
            causes.append(Cause(field: "metadata.name", message: "Required value: name or generateName is required", reason: "FieldValueRequired"))
        } else if let problem = nameProblem(type, name) {
            causes.append(Cause(field: "metadata.name", message: "Invalid value: \"\(name)\": \(problem)"))
        }
        for map in ["labels", "annotations"] {
            guard let entries = object.metadata(map)?.objectValue else { continue }
            for (k, v) in entries where v.stringValue == nil {
                causes.append(Cause(field: "metadata.\(map).\(k)", message: "Invalid value: must be a string"))
            }
        }
        if let labels = object.metadata("labels")?.objectValue {
            for (k, v) in labels {
                if let s = v.stringValue, !isLabelValue(s) {
                    causes.append(
                        Cause(
                            field: "metadata.labels",
                            message:
                                "Invalid value: \"\(s)\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (key \(k))"
                        ))
                }
            }
        }
        return causes
    }

    static func configMap(_ object: Value) -> [Cause] {
        var causes: [Cause] = []
        for field in ["data", "binaryData"] {
            guard let entries = object[field] else { continue }
            guard let o = entries.objectValue else {
                causes.append(Cause(field: field, message: "Invalid value: must be a map of strings"))
                continue
            }
            for (k, v) in o {
                if v.stringValue == nil {
                    causes.append(Cause(field: "\(field).\(k)", message: "Invalid value: \(v.typeName): must be a string"))
                }
                if !isConfigKey(k) {
                    causes.append(
                        Cause(
                            field: "\(field)",
                            message: "Invalid value: \"\(k)\": a valid config key must consist of alphanumeric characters, '-', '_' or '.'"))
                }
            }
        }
        return causes
    }

    static func service(_ object: Value) -> [Cause] {
        var causes: [Cause] = []
        let serviceType = object[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        let ports = object[path: ["spec", "ports"]]?.arrayValue ?? []
        if ports.isEmpty && serviceType != "ExternalName" && object[path: ["spec", "clusterIP"]] != "None" {
            causes.append(Cause(field: "spec.ports", message: "Required value", reason: "FieldValueRequired"))
        }
        for (i, p) in ports.enumerated() {
            let port = p["port"]?.intValue ?? 0
            if port < 1 || port > 65535 {
                causes.append(Cause(field: "spec.ports[\(i)].port", message: "Invalid value: \(port): must be between 1 and 65535, inclusive"))
            }
        }
        return causes
    }

    static func workload(_ d: Value) -> [Cause] {
        var causes: [Cause] = []
        guard let selector = d[path: ["spec", "selector", "matchLabels"]]?.objectValue, !selector.isEmpty else {
            return [Cause(field: "spec.selector", message: "Required value", reason: "FieldValueRequired")]
        }
        let labels = d[path: ["spec", "template", "metadata", "labels"]]?.objectValue ?? [:]
        for (k, v) in selector where labels[k] != v {
            causes.append(Cause(field: "spec.template.metadata.labels", message: "Invalid value: `selector` does not match template `labels`"))
            break
        }
        let containers = d[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
        if containers.isEmpty {
            causes.append(Cause(field: "spec.template.spec.containers", message: "Required value", reason: "FieldValueRequired"))
        }
        var names = Set<String>()
        for (i, c) in containers.enumerated() {
            let name = c["name"]?.stringValue ?? ""
            if name.isEmpty {
                causes.append(Cause(field: "spec.template.spec.containers[\(i)].name", message: "Required value", reason: "FieldValueRequired"))
            } else if !isDNSLabel(name) {
                causes.append(Cause(field: "spec.template.spec.containers[\(i)].name", message: "Invalid value: \"\(name)\": must be a DNS label"))
            } else if !names.insert(name).inserted {
                causes.append(Cause(field: "spec.template.spec.containers[\(i)].name", message: "Duplicate value: \"\(name)\"", reason: "FieldValueDuplicate"))
            }
            if (c["image"]?.stringValue ?? "").isEmpty {
                causes.append(Cause(field: "spec.template.spec.containers[\(i)].image", message: "Required value", reason: "FieldValueRequired"))
            }
        }
        if let r = d[path: ["spec", "replicas"]], (r.intValue ?? -1) < 0 {
            causes.append(Cause(field: "spec.replicas", message: "Invalid value: must be greater than or equal to 0"))
        }
        return causes
    }

    /// A Job's pod template: containers with images, and a restart policy pods of a Job may have.
    static func job(_ j: Value, at path: [String]) -> [Cause] {
        var causes: [Cause] = []
        let field = path.joined(separator: ".")
        let containers = j[path: path + ["template", "spec", "containers"]]?.arrayValue ?? []
        if containers.isEmpty { causes.append(Cause(field: "\(field).template.spec.containers", message: "Required value", reason: "FieldValueRequired")) }
        for (i, c) in containers.enumerated() where (c["image"]?.stringValue ?? "").isEmpty {
            causes.append(Cause(field: "\(field).template.spec.containers[\(i)].image", message: "Required value", reason: "FieldValueRequired"))
        }
        let policy = j[path: path + ["template", "spec", "restartPolicy"]]?.stringValue ?? "Always"
        if !["OnFailure", "Never"].contains(policy) {
            causes.append(
                Cause(
                    field: "\(field).template.spec.restartPolicy", message: "Unsupported value: \"\(policy)\": supported values: \"OnFailure\", \"Never\"",
                    reason: "FieldValueNotSupported"))
        }
        return causes
    }

    static func crd(_ c: Value) -> [Cause] {
        var causes: [Cause] = []
        let group = c[path: ["spec", "group"]]?.stringValue ?? ""
        let plural = c[path: ["spec", "names", "plural"]]?.stringValue ?? ""
        if group.isEmpty { causes.append(Cause(field: "spec.group", message: "Required value", reason: "FieldValueRequired")) }
        if plural.isEmpty { causes.append(Cause(field: "spec.names.plural", message: "Required value", reason: "FieldValueRequired")) }
        if (c[path: ["spec", "names", "kind"]]?.stringValue ?? "").isEmpty {
            causes.append(Cause(field: "spec.names.kind", message: "Required value", reason: "FieldValueRequired"))
        }
        if let name = c.metadataString("name"), !plural.isEmpty, !group.isEmpty, name != "\(plural).\(group)" {
            causes.append(Cause(field: "metadata.name", message: "Invalid value: \"\(name)\": must be spec.names.plural+\".\"+spec.group"))
        }
        let versions = c[path: ["spec", "versions"]]?.arrayValue ?? []
        if versions.isEmpty {
            causes.append(Cause(field: "spec.versions", message: "Required value", reason: "FieldValueRequired"))
        }
        if versions.filter({ $0["storage"] == .bool(true) }).count != 1, !versions.isEmpty {
            causes.append(Cause(field: "spec.versions", message: "Invalid value: must have exactly one version marked as storage version"))
        }
        return causes
    }

    static func nameProblem(_ type: ResourceType, _ name: String) -> String? {
        switch (type.group, type.kind) {
        case ("", "Namespace"):
            return isDNSLabel(name)
                ? nil
                : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
        case ("", "Service"):
            return isDNSLabel(name) && name.first!.isLetter
                ? nil
                : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
        case ("rbac.authorization.k8s.io", _):
            return name.contains("/") || name.contains("%") || name == "." || name == ".." ? "may not contain '/' or '%'" : nil
        default:
            return isDNSSubdomain(name)
                ? nil
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
        }
    }

    static func isDNSLabel(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 63, let f = s.utf8.first, let l = s.utf8.last else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        return alnum(f) && alnum(l) && s.utf8.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func isDNSSubdomain(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNSLabel(String($0)) }
    }

    static func isConfigKey(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 253
            && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    static func isLabelValue(_ s: String) -> Bool {
        if s.isEmpty { return true }
        guard s.utf8.count <= 63, let f = s.utf8.first, let l = s.utf8.last else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        return alnum(f) && alnum(l) && s.utf8.allSatisfy { alnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }
}

/// Checks a custom resource against its CRD's structural OpenAPI schema: types, required
/// fields, enums and numeric bounds, as the API server's CRD validation does.
enum SchemaValidation {
    static func validate(_ value: Value, schema: Value, path: String) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        let here = path.isEmpty ? "<root>" : path
        if value.isNull {
            if schema["nullable"] == .bool(true) || path.isEmpty { return [] }
        }
        if let type = schema["type"]?.stringValue {
            let ok: Bool
            switch (type, value) {
            case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double):
                ok = true
            case ("integer", .double(let d)): ok = d.rounded() == d
            default: ok = false
            }
            if !ok {
                if schema["x-kubernetes-int-or-string"] == .bool(true), value.stringValue != nil || value.intValue != nil { return [] }
                return [
                    APIError.Cause(
                        field: here, message: "Invalid value: \"\(value.typeName)\": \(here) in body must be of type \(type): \"\(value.typeName)\"",
                        reason: "FieldValueTypeInvalid")
                ]
            }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            let list = allowed.compactMap { $0.stringValue.map { "\"\($0)\"" } ?? ($0.intValue.map { String($0) }) }.joined(separator: ", ")
            causes.append(
                APIError.Cause(field: here, message: "Unsupported value: \(describe(value)): supported values: \(list)", reason: "FieldValueNotSupported"))
        }
        causes += bounds(value, schema: schema, at: here)
        if let items = value.arrayValue {
            if let minItems = schema["minItems"]?.intValue, items.count < minItems {
                causes.append(APIError.Cause(field: here, message: "Invalid value: \(items.count): \(here) in body should have at least \(minItems) items"))
            }
            if let itemSchema = schema["items"] {
                for (i, item) in items.enumerated() { causes += validate(item, schema: itemSchema, path: "\(path)[\(i)]") }
            }
        }
        if let o = value.objectValue {
            let properties = schema["properties"]?.objectValue ?? [:]
            for required in schema["required"]?.arrayValue ?? [] {
                if let r = required.stringValue, o[r] == nil {
                    causes.append(APIError.Cause(field: path.isEmpty ? r : "\(path).\(r)", message: "Required value", reason: "FieldValueRequired"))
                }
            }
            for (k, v) in o {
                let childPath = path.isEmpty ? k : "\(path).\(k)"
                if let p = properties[k] {
                    causes += validate(v, schema: p, path: childPath)
                } else if let additional = schema["additionalProperties"], additional.objectValue != nil {
                    causes += validate(v, schema: additional, path: childPath)
                }
            }
        }
        return causes
    }

    /// A number's minimum and maximum, a string's length and pattern.
    static func bounds(_ value: Value, schema: Value, at here: String) -> [APIError.Cause] {
        var causes: [APIError.Cause] = []
        if let n = value.doubleValue, value.stringValue == nil {
            // OpenAPI v3.0 (what apiextensions/v1 speaks): exclusiveMinimum/Maximum are flags on the bounds.
            let exclusiveMin = schema["exclusiveMinimum"] == .bool(true)
            let exclusiveMax = schema["exclusiveMaximum"] == .bool(true)
            if let min = schema["minimum"]?.doubleValue, exclusiveMin ? n <= min : n < min {
                let bound = exclusiveMin ? "greater than" : "greater than or equal to"
                causes.append(APIError.Cause(field: here, message: "Invalid value: \(describe(value)): \(here) in body should be \(bound) \(fmt(min))"))
            }
            if let max = schema["maximum"]?.doubleValue, exclusiveMax ? n >= max : n > max {
                let bound = exclusiveMax ? "less than" : "less than or equal to"
                causes.append(APIError.Cause(field: here, message: "Invalid value: \(describe(value)): \(here) in body should be \(bound) \(fmt(max))"))
            }
        }
        if let s = value.stringValue {
            if let minLength = schema["minLength"]?.intValue, s.count < minLength {
                causes.append(APIError.Cause(field: here, message: "Invalid value: \"\(s)\": \(here) in body should be at least \(minLength) chars long"))
            }
            if let pattern = schema["pattern"]?.stringValue, !matches(s, pattern) {
                causes.append(APIError.Cause(field: here, message: "Invalid value: \"\(s)\": \(here) in body should match '\(pattern)'"))
            }
        }
        return causes
    }

    static func describe(_ v: Value) -> String {
        switch v {
        case .string(let s): return "\"\(s)\""
        case .int(let i): return String(i)
        case .double(let d): return fmt(d)
        case .bool(let b): return String(b)
        default: return v.typeName
        }
    }

    static func fmt(_ d: Double) -> String { d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d) }
}

extension SchemaValidation {
    /// A CRD's `pattern` (ECMA 262, as the API server reads it; the simple ones CRDs use mean the
    /// same in ICU's dialect). A pattern that does not compile matches nothing, so the object is refused.
    static func matches(_ s: String, _ pattern: String) -> Bool {
        guard let re = compiled(pattern) else { return false }
        return re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// Compiled once per pattern: a CRD's few patterns are matched at every write. Nil (kept) for
    /// one that does not compile.
    static func compiled(_ pattern: String) -> NSRegularExpression? {
        if let known = patterns.withLock({ $0[pattern] }) { return known }
        let re = try? NSRegularExpression(pattern: pattern)
        patterns.withLock { $0[pattern] = .some(re) }
        return re
    }

    private static let patterns = Mutex<[String: NSRegularExpression?]>([:])
}
