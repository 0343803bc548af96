public import YAML

/// A change an informer saw.
/// Transforms for `Informer(transform:)`.
public enum InformerTransform {
    /// Identity, labels and resourceVersion only: for informers that just forward events.
    @Sendable public static func metadataOnly(_ object: Value) -> Value {
        var metadata: Value = [:]
        for key in ["name", "namespace", "resourceVersion", "generation", "labels", "uid"] {
            if let v = object[path: ["metadata", key]] { metadata[key] = v }
        }
        var out: Value = ["metadata": metadata]
        if let v = object["apiVersion"] { out["apiVersion"] = v }
        if let k = object["kind"] { out["kind"] = k }
        return out
    }

    /// Only what identifies the object and its version: for an informer whose subscribers read
    /// the events and never the cache (the cache then only tells which objects exist).
    @Sendable public static func identityOnly(_ object: Value) -> Value {
        var metadata: Value = [:]
        for key in ["name", "namespace", "resourceVersion"] {
            if let v = object[path: ["metadata", key]] { metadata[key] = v }
        }
        return ["metadata": metadata]
    }

    /// apiVersion, kind, namespace and name (`KubeClient.reference(of:)` reads these), copied
    /// out of the object: for events a subscriber only turns into a key.
    @Sendable public static func referenceOnly(_ object: Value) -> Value {
        var metadata: Value = [:]
        for key in ["name", "namespace"] {
            if let v = object[path: ["metadata", key]] { metadata[key] = v }
        }
        var out: Value = ["metadata": metadata]
        if let v = object["apiVersion"] { out["apiVersion"] = v }
        if let k = object["kind"] { out["kind"] = k }
        return out.detached()
    }

    /// The object without `metadata.managedFields` and the last-applied annotation, which are
    /// often most of its size and never read from a cache.
    @Sendable public static func withoutBookkeeping(_ object: Value) -> Value {
        var out = object
        out.set(nil, at: ["metadata", "managedFields"])
        out.set(nil, at: ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"])
        return out
    }
}

public enum InformerEvent: Sendable {
    case added(Value)
    case updated(old: Value, new: Value)
    case deleted(Value)

    public var object: Value {
        switch self {
        case .added(let v), .deleted(let v): v
        case .updated(_, let v): v
        }
    }

    /// The same event with `transform` applied to its objects.
    public func map(_ transform: (Value) -> Value) -> InformerEvent {
        switch self {
        case .added(let v): .added(transform(v))
        case .deleted(let v): .deleted(transform(v))
        case .updated(let old, let new): .updated(old: transform(old), new: transform(new))
        }
    }
}

/// A local, always-current copy of one kind: one list, then a watch that resumes from the last
/// resourceVersion after a dropped connection and relists only when the server says that
/// version is gone. Reads are served from memory, indexed by namespace/name and by label, so a
/// steady state costs the API server no list calls.
public actor Informer {
    public nonisolated let apiVersion: String
    public nonisolated let kind: String
    let client: any KubeAPI
    let namespace: String?
    let labelSelector: String?
    /// Applied to each object before it is cached (events still carry the whole object), after
    /// client-go's SetTransform: a controller that needs a few fields caches only those.
    let transform: (@Sendable (Value) -> Value)?
    private var objects: [String: CachedObject] = [:]
    private var byLabel: [String: Set<String>] = [:]
    private struct Subscriber {
        let continuation: AsyncStream<InformerEvent>.Continuation
        let keep: (@Sendable (InformerEvent) -> InformerEvent?)?
    }
    private var subscribers: [Int: Subscriber] = [:]
    private var nextSubscriber = 0
    private var syncWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0
    public private(set) var hasSynced = false
    /// List and watch calls made (tests and benchmarks count them).
    public private(set) var lists = 0
    public private(set) var watches = 0
    public private(set) var lastResourceVersion: String?
    /// True while the server does not serve the kind (its CRD is not installed yet); the
    /// informer keeps retrying, and a readiness check can tell this apart from a slow list.
    public private(set) var kindMissing = false

    public init(
        client: any KubeAPI, apiVersion: String, kind: String, namespace: String? = nil, labelSelector: String? = nil,
        transform: (@Sendable (Value) -> Value)? = nil
    ) {
        self.transform = transform
        self.client = client
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.labelSelector = labelSelector
    }

    /// Changes from now on (objects already present are not replayed). `keeping` runs on each
    /// event before it is buffered for the subscriber and returns what to deliver (nil: nothing).
    /// Events wait in the buffer while the subscriber is busy, and a first list of thousands of
    /// objects arrives faster than most subscribers handle it; a subscriber that needs only a key,
    /// or only the events that matter to it, says so here so the buffer holds no whole objects.
    public func events(keeping keep: (@Sendable (InformerEvent) -> InformerEvent?)? = nil) -> AsyncStream<InformerEvent> {
        let (stream, continuation) = AsyncStream<InformerEvent>.makeStream(bufferingPolicy: .unbounded)
        let id = nextSubscriber
        nextSubscriber += 1
        subscribers[id] = Subscriber(continuation: continuation, keep: keep)
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return stream
    }

    private func unsubscribe(_ id: Int) { subscribers[id] = nil }

    /// Returns once the first list is in, or when the waiting task is cancelled, or when the
    /// informer stops (a kind that is never installed must not hang a shutdown).
    public func waitUntilSynced() async {
        if hasSynced || Task.isCancelled { return }
        let id = nextWaiter
        nextWaiter += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { syncWaiters[id] = $0 }
        } onCancel: {
            Task { await self.resumeWaiter(id) }
        }
    }

    private func resumeWaiter(_ id: Int) { syncWaiters.removeValue(forKey: id)?.resume() }

    public func get(namespace: String?, name: String) -> Value? {
        let key = "\(namespace ?? "")/\(name)"
        return objects[key]?.value(key: key)
    }

    /// Objects in a namespace (or all), optionally only those carrying every given label.
    public func list(namespace: String? = nil, labels: [String: String] = [:]) -> [Value] {
        var keys: Set<String>?
        for (k, v) in labels {
            let hit = byLabel["\(k)=\(v)"] ?? []
            keys = keys.map { $0.intersection(hit) } ?? hit
        }
        let candidates = (keys.map { Array($0) } ?? Array(objects.keys)).compactMap { key in objects[key]?.value(key: key) }
        return candidates.filter { namespace == nil || $0[path: ["metadata", "namespace"]]?.stringValue == namespace }
            .sorted { ObjectKey.of($0) < ObjectKey.of($1) }
    }

    public var count: Int { objects.count }

    private func index(_ key: String, _ object: Value?, remove old: Value?) {
        for (k, v) in old?[path: ["metadata", "labels"]]?.objectValue ?? [:] {
            if let s = v.stringValue { byLabel["\(k)=\(s)"]?.remove(key) }
        }
        for (k, v) in object?[path: ["metadata", "labels"]]?.objectValue ?? [:] {
            if let s = v.stringValue { byLabel["\(k)=\(s)", default: []].insert(key) }
        }
    }

    private func emit(_ e: InformerEvent) {
        for s in subscribers.values {
            if let keep = s.keep {
                if let kept = keep(e) { s.continuation.yield(kept) }
            } else {
                s.continuation.yield(e)
            }
        }
    }

    private func upsert(_ object: Value) {
        let key = ObjectKey.of(object)
        let old = objects[key]
        if let old, old.resourceVersion == object[path: ["metadata", "resourceVersion"]]?.stringValue { return }
        let kept = transform.map { $0(object) } ?? object
        objects[key] = CachedObject(kept)
        let oldValue = old?.value(key: key)
        index(key, kept, remove: oldValue)
        emit(oldValue.map { .updated(old: $0, new: object) } ?? .added(object))
    }

    private func remove(key: String, object: Value? = nil) {
        guard let old = objects.removeValue(forKey: key)?.value(key: key) else { return }
        index(key, nil, remove: old)
        emit(.deleted(object ?? old))
    }

    /// Lists in pages and caches each object as it is decoded, so a list of thousands of objects
    /// never holds them, or even one page of them, whole at once (the cache keeps only what
    /// `transform` keeps).
    private func relist() async throws {
        var options = ListOptions(labelSelector: labelSelector, limit: Self.pageSize)
        var fresh = Set<String>()
        while true {
            let page = try await client.listPage(apiVersion: apiVersion, kind: kind, namespace: namespace, options: options)
            kindMissing = false
            let (resourceVersion, continueToken) = try page.decode { item in
                fresh.insert(ObjectKey.of(item))
                upsert(item)
            }
            guard let next = continueToken else {
                replaceAll(keeping: fresh, resourceVersion: resourceVersion)
                return
            }
            options.continueToken = next
        }
    }

    public static let pageSize = 500

    private func replaceAll(keeping fresh: Set<String>, resourceVersion: String) {
        for key in objects.keys where !fresh.contains(key) { remove(key: key) }
        lastResourceVersion = resourceVersion
        if !hasSynced {
            hasSynced = true
            for w in syncWaiters.values { w.resume() }
            syncWaiters.removeAll()
        }
    }

    private func apply(_ event: WatchEvent) {
        switch event.kind {
        case .added, .modified: upsert(event.object)
        case .deleted: remove(key: ObjectKey.of(event.object), object: event.object)
        case .bookmark, .error: break
        }
        if let rv = event.resourceVersion { lastResourceVersion = rv }
    }

    private func noteList() { lists += 1 }
    private func noteWatch() { watches += 1 }
    private func forgetVersion() { lastResourceVersion = nil }

    /// Lists and watches until the task is cancelled.
    public func run(watchTimeoutSeconds: Int = 300) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                if lastResourceVersion == nil || !hasSynced {
                    noteList()
                    try await relist()
                }
                noteWatch()
                let stream = try await client.watch(
                    apiVersion: apiVersion, kind: kind, namespace: namespace,
                    options: WatchOptions(labelSelector: labelSelector, resourceVersion: lastResourceVersion, timeoutSeconds: watchTimeoutSeconds))
                failures = 0
                for try await event in stream { apply(event) }
            } catch let e as KubeError where e.isGone {
                forgetVersion()
            } catch is CancellationError {
                break
            } catch {
                if let e = error as? KubeError, e.reason == .unknownKind { kindMissing = true }
                failures += 1
                let ceiling = min(10.0, 0.2 * Double(1 << min(failures, 6)))
                try? await Task.sleep(for: .seconds(Double.random(in: ceiling / 2...ceiling)))
            }
        }
        for c in subscribers.values { c.continuation.finish() }
        for w in syncWaiters.values { w.resume() }
        syncWaiters.removeAll()
    }
}
