import YAML

/// An informer's copy of one object, kept as compact JSON. As a tree of values an object is a
/// dozen small allocations; at 10,000 cached objects those were the largest part of a
/// controller's heap, and, scattered among pages freed after a large sync, they kept those
/// pages resident. Readers decode on demand: a cache read costs microseconds, and is rare next
/// to the events that keep the cache current.
struct CachedObject: Sendable {
    /// Compared on every event, so kept decoded (versions are short: stored inline).
    let resourceVersion: String?
    private let storage: Storage

    private enum Storage: Sendable {
        /// Nothing but its identity (`InformerTransform.identityOnly`): the cache key and the
        /// version above say it all, so nothing is allocated.
        case identity
        case json([UInt8])
        /// What JSON cannot hold (a non-finite number): kept as it came, never reduced to its
        /// identity, which a reader would take for an object without a spec or status.
        case tree(Value)
    }

    init(_ object: Value) {
        resourceVersion = object[path: ["metadata", "resourceVersion"]]?.stringValue
        let identityOnly =
            object.objectValue?.keys.elementsEqual(["metadata"]) == true
            && object["metadata"]?.objectValue?.keys.allSatisfy { ["name", "namespace", "resourceVersion"].contains($0) } == true
        if identityOnly {
            storage = .identity
        } else if let bytes = try? JSON.bytes(object) {
            // Compact when JSON can hold it; otherwise the object is kept whole, never reduced.
            storage = .json(bytes)
        } else {
            storage = .tree(object)
        }
    }

    /// The object, given the informer's key for it (`namespace/name`).
    func value(key: String) -> Value {
        switch storage {
        case .tree(let v): return v
        case .json(let bytes):
            do {
                return try JSON.parse(bytes)
            } catch {
                // Bytes JSON.bytes wrote a moment ago: failing to read them back is a bug in the
                // JSON pair, never a property of the input. Returning null (as this did) would
                // be read as an object without fields; stopping is the only safe answer.
                fatalError("the informer's copy of \(key) does not decode: \(error)")
            }
        case .identity:
            let slash = key.firstIndex(of: "/") ?? key.startIndex
            var metadata: Value = ["name": .string(String(key[key.index(after: slash)...]))]
            if slash != key.startIndex { metadata["namespace"] = .string(String(key[..<slash])) }
            if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
            return ["metadata": metadata]
        }
    }
}
