import YAML

/// An informer's copy of one object, kept as compact JSON. As a tree of values an object is a
/// dozen small allocations; at 10,000 cached objects those were the largest part of a
/// controller's heap, and, scattered among pages freed after a large sync, they kept those
/// pages resident. Readers decode on demand: a cache read costs microseconds, and is rare next
/// to the events that keep the cache current.
struct CachedObject: Sendable {
    /// Compared on every event, so kept decoded (versions are short: stored inline).
    let resourceVersion: String?
    /// Empty when the object is nothing but its identity (`InformerTransform.identityOnly`):
    /// the cache key and the version above say it all, so no JSON is allocated.
    private let json: [UInt8]

    init(_ object: Value) {
        resourceVersion = object[path: ["metadata", "resourceVersion"]]?.stringValue
        let identityOnly =
            object.objectValue?.keys.elementsEqual(["metadata"]) == true
            && object["metadata"]?.objectValue?.keys.allSatisfy { ["name", "namespace", "resourceVersion"].contains($0) } == true
        // The encoder only fails on values JSON cannot hold, which never come from the API.
        json = identityOnly ? [] : (try? JSON.bytes(object)) ?? []
    }

    /// The object, given the informer's key for it (`namespace/name`).
    func value(key: String) -> Value {
        if !json.isEmpty { return (try? JSON.parse(json)) ?? .null }
        let slash = key.firstIndex(of: "/") ?? key.startIndex
        var metadata: Value = ["name": .string(String(key[key.index(after: slash)...]))]
        if slash != key.startIndex { metadata["namespace"] = .string(String(key[..<slash])) }
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        return ["metadata": metadata]
    }
}
