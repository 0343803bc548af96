import YAML

/// An informer's copy of one object, kept as compact JSON. As a tree of values an object is a
/// dozen small allocations; at 10,000 cached objects those were the largest part of a
/// controller's heap, and, scattered among pages freed after a large sync, they kept those
/// pages resident. Readers decode on demand: a cache read costs microseconds, and is rare next
/// to the events that keep the cache current.
struct CachedObject: Sendable {
    /// Compared on every event, so kept decoded (versions are short: stored inline).
    let resourceVersion: String?
    private let json: [UInt8]

    init(_ object: Value) {
        resourceVersion = object[path: ["metadata", "resourceVersion"]]?.stringValue
        // The encoder only fails on values JSON cannot hold, which never come from the API.
        json = (try? JSON.bytes(object)) ?? []
    }

    var value: Value { (try? JSON.parse(json)) ?? .null }
}
