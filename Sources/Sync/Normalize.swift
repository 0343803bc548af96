public import Values

/// What the server owns and a diff should not show: bookkeeping metadata, status, and values it
/// allocates. Applied to both sides of a comparison, so server defaults (present on both) cause
/// no noise.
public enum Normalize {
    static let serverMetadata = [
        "managedFields", "resourceVersion", "uid", "generation", "creationTimestamp", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
    ]
    static let serverAnnotations = ["kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision"]

    public static func forDiff(_ object: Value) -> Value {
        var o = object
        for key in serverMetadata { o.set(nil, at: ["metadata", key]) }
        for key in serverAnnotations { o.set(nil, at: ["metadata", "annotations", key]) }
        if o[path: ["metadata", "annotations"]] == .emptyObject { o.set(nil, at: ["metadata", "annotations"]) }
        o["status"] = nil
        return o
    }

    /// Values the server allocates (a Service's cluster IP) unless the manifest sets them: a
    /// dry run allocates one that the real create will not get, so showing it would be noise.
    public static func stripAllocated(_ object: Value?, desired: Value?) -> Value? {
        guard var o = object, o["kind"] == "Service", o["apiVersion"] == "v1" else { return object }
        if desired?[path: ["spec", "clusterIP"]] == nil {
            o.set(nil, at: ["spec", "clusterIP"])
            o.set(nil, at: ["spec", "clusterIPs"])
        }
        return o
    }

    /// Secret values never reach a terminal or a CI log. Keys stay visible; a value shows as
    /// `***` when unchanged and `*** (before)` / `*** (after)` when it differs, as kubectl does.
    public static func redactSecrets(live: Value?, desired: Value?) -> (Value?, Value?) {
        func isSecret(_ v: Value?) -> Bool { v?["kind"] == "Secret" && v?["apiVersion"] == "v1" }
        guard isSecret(live) || isSecret(desired) else { return (live, desired) }
        var l = live
        var d = desired
        for field in ["data", "stringData"] {
            let lv = live?[field]?.objectValue ?? [:]
            let dv = desired?[field]?.objectValue ?? [:]
            var lOut = Value.emptyObject
            var dOut = Value.emptyObject
            for (k, v) in lv { lOut[k] = .string(dv[k] == nil || dv[k] == v ? "***" : "*** (before)") }
            for (k, v) in dv { dOut[k] = .string(lv[k] == nil || lv[k] == v ? "***" : "*** (after)") }
            if l?[field] != nil { l?[field] = lOut }
            if d?[field] != nil { d?[field] = dOut }
        }
        if l != nil { l?.set(nil, at: ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]) }
        if d != nil { d?.set(nil, at: ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"]) }
        return (l, d)
    }

    /// Keys in a stable order (as kubectl prints them), so two objects that differ only in key
    /// order diff as equal.
    public static func sortedKeys(_ v: Value) -> Value {
        switch v {
        case .object(let o):
            var out = Value.emptyObject
            for k in o.keys.sorted() { out[k] = sortedKeys(o[k]!) }
            return out
        case .array(let a): return .array(a.map(sortedKeys))
        default: return v
        }
    }
}
