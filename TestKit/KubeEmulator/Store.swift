import Foundation
import Synchronization
import YAML

/// A change to an object, as watches deliver it.
struct StoreEvent: Sendable {
    enum Kind: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }
    var kind: Kind
    var resourceKey: String
    var namespace: String
    var object: Value
    var resourceVersion: Int64
    /// The object before a MODIFIED change, so watches with selectors can tell objects that
    /// entered or left the selection.
    var previous: Value? = nil
}

/// Every object the emulator holds, one global resourceVersion sequence, a bounded history of
/// changes for watches to resume from, and the live watches. All access goes through one lock;
/// read-modify-write happens inside `mutate` so admission, apply and storage are one atomic step,
/// as etcd's compare-and-swap makes them on a real server.
final class Store: Sendable {
    private let contents: Mutex<Contents>
    /// Watches that ended, to be dropped from `watchers` the next time `contents` is locked. A
    /// watch ends in its stream's onTermination, which Swift runs with the cancelled task's status
    /// locked, while `record` yields to streams — which takes that same task lock — with
    /// `contents` locked: taking that lock there deadlocked the emulator when a watch was
    /// cancelled during a write.
    private let ended = Mutex<Set<UUID>>([])

    struct Watcher {
        var resourceKey: String
        var namespace: String?
        var filter: @Sendable (Value) -> Bool
        var continuation: AsyncStream<StoreEvent>.Continuation
    }

    /// Everything behind the lock.
    private struct Contents {
        var objects: [String: [String: Value]] = [:]
        var resourceVersion: Int64 = 1000
        var history: [StoreEvent] = []
        var historyStart = 0
        let historyLimit: Int
        /// Events up to this version are no longer in `history`: a watch from before it is too old.
        var droppedUpTo: Int64 = 0
        var watchers: [UUID: Watcher] = [:]

        mutating func dropWatchers(_ ended: borrowing Mutex<Set<UUID>>) {
            for id in ended.withLock({ ids in
                defer { ids.removeAll() }
                return ids
            }) { watchers[id] = nil }
        }

        mutating func record(_ event: StoreEvent, ended: borrowing Mutex<Set<UUID>>) {
            dropWatchers(ended)
            history.append(event)
            if history.count - historyStart > historyLimit {
                droppedUpTo = history[historyStart].resourceVersion
                historyStart += 1
                if historyStart > 4096 {
                    history.removeFirst(historyStart)
                    historyStart = 0
                }
            }
            for w in watchers.values where w.resourceKey == event.resourceKey && (w.namespace == nil || w.namespace == event.namespace) {
                w.continuation.yield(event)
            }
        }
    }

    init(historyLimit: Int) {
        contents = Mutex(Contents(historyLimit: historyLimit))
    }

    static func key(_ namespace: String, _ name: String) -> String { namespace + "/" + name }

    var currentResourceVersion: Int64 { contents.withLock { $0.resourceVersion } }

    func get(_ resourceKey: String, namespace: String, name: String) -> Value? {
        contents.withLock { $0.objects[resourceKey]?[Self.key(namespace, name)] }
    }

    /// Objects of a type, in one namespace or all, sorted by namespace and name (as etcd's key
    /// order gives them), with the resourceVersion the list is consistent at.
    func list(_ resourceKey: String, namespace: String?) -> (items: [Value], resourceVersion: Int64) {
        contents.withLock { c in
            let all = c.objects[resourceKey] ?? [:]
            let keys = all.keys.sorted().filter { namespace == nil || $0.hasPrefix(namespace! + "/") }
            return (keys.map { all[$0]! }, c.resourceVersion)
        }
    }

    func count(_ resourceKey: String) -> Int { contents.withLock { $0.objects[resourceKey]?.count ?? 0 } }

    /// Atomically reads an object, lets `body` decide its next state (nil deletes it), assigns a
    /// new resourceVersion and records the change. `body` may throw to refuse the change.
    /// With `dryRun`, nothing is stored and no version is used.
    @discardableResult
    func mutate<E: Error>(
        _ resourceKey: String, namespace: String, name: String, dryRun: Bool = false,
        _ body: (Value?) throws(E) -> Value?
    ) throws(E) -> (old: Value?, new: Value?) {
        return try contents.withLock { (c) throws(E) -> (old: Value?, new: Value?) in
            let key = Self.key(namespace, name)
            let old = c.objects[resourceKey]?[key]
            guard var new = try body(old) else {
                if let old, !dryRun {
                    c.objects[resourceKey]?[key] = nil
                    c.resourceVersion += 1
                    var gone = old
                    gone.setMetadata("resourceVersion", .string(String(c.resourceVersion)))
                    c.record(
                        StoreEvent(kind: .deleted, resourceKey: resourceKey, namespace: namespace, object: gone, resourceVersion: c.resourceVersion),
                        ended: self.ended)
                }
                return (old, nil)
            }
            if dryRun { return (old, new) }
            if let old, old == new { return (old, old) }
            c.resourceVersion += 1
            new.setMetadata("resourceVersion", .string(String(c.resourceVersion)))
            c.objects[resourceKey, default: [:]][key] = new
            c.record(
                StoreEvent(
                    kind: old == nil ? .added : .modified, resourceKey: resourceKey, namespace: namespace, object: new,
                    resourceVersion: c.resourceVersion, previous: old), ended: self.ended)
            return (old, new)
        }
    }

    /// Removes every object of a type (a deleted CRD takes its objects with it).
    func removeAll(_ resourceKey: String) {
        let names: [(String, String)] = contents.withLock { c in
            (c.objects[resourceKey] ?? [:]).keys.map { k in
                let parts = k.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), String(parts[1]))
            }
        }
        for (ns, name) in names { mutate(resourceKey, namespace: ns, name: name) { _ in nil } }
    }

    /// Every stored object in a namespace, by type.
    func objects(inNamespace namespace: String) -> [(resourceKey: String, name: String)] {
        contents.withLock { c in
            c.objects.flatMap { rk, objs in
                objs.keys.filter { $0.hasPrefix(namespace + "/") }.map { (rk, String($0.dropFirst(namespace.count + 1))) }
            }
        }
    }

    /// Every stored object that satisfies `predicate`, with where it is stored.
    func objects(where predicate: (Value) -> Bool) -> [(resourceKey: String, namespace: String, name: String)] {
        contents.withLock { c in
            c.objects.flatMap { rk, objs in
                objs.compactMap { key, value -> (String, String, String)? in
                    guard predicate(value) else { return nil }
                    let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                    return (rk, String(parts[0]), String(parts[1]))
                }
            }
        }
    }

    enum WatchStart: Sendable {
        /// Current objects as ADDED events, then changes.
        case now
        /// Changes after this version, replayed from history.
        case after(Int64)
    }

    enum WatchError: Error { case gone(oldest: Int64) }

    /// Opens a watch. Events the filter rejects are still delivered (the caller turns objects that
    /// leave a label selector into DELETED events, as a real server does).
    func watch(
        _ resourceKey: String, namespace: String?, from start: WatchStart, initial: @escaping @Sendable (Value) -> Bool
    ) throws -> (stream: AsyncStream<StoreEvent>, cancel: @Sendable () -> Void) {
        let (stream, continuation) = AsyncStream<StoreEvent>.makeStream()
        let id = UUID()
        try contents.withLock { c in
            switch start {
            case .now:
                let all = c.objects[resourceKey] ?? [:]
                for k in all.keys.sorted() where namespace == nil || k.hasPrefix(namespace! + "/") {
                    let obj = all[k]!
                    guard initial(obj) else { continue }
                    let rv = Int64(obj[path: ["metadata", "resourceVersion"]]?.stringValue ?? "") ?? c.resourceVersion
                    continuation.yield(
                        StoreEvent(kind: .added, resourceKey: resourceKey, namespace: String(k.prefix { $0 != "/" }), object: obj, resourceVersion: rv))
                }
            case .after(let rv):
                if rv < c.droppedUpTo {
                    throw WatchError.gone(oldest: c.droppedUpTo + 1)
                }
                for e in c.history[c.historyStart...]
                where e.resourceVersion > rv && e.resourceKey == resourceKey && (namespace == nil || e.namespace == namespace) {
                    continuation.yield(e)
                }
            }
            c.dropWatchers(self.ended)
            c.watchers[id] = Watcher(resourceKey: resourceKey, namespace: namespace, filter: initial, continuation: continuation)
        }
        let cancel: @Sendable () -> Void = { [weak self] in
            guard let self else { return }
            self.ended.withLock { _ = $0.insert(id) }
            continuation.finish()
        }
        continuation.onTermination = { _ in cancel() }
        return (stream, cancel)
    }

    /// Ends every open watch (the server is stopping): each client sees its stream end, as when
    /// a real API server restarts, and its response completes.
    func endAllWatches() {
        let open = contents.withLock { c in
            defer { c.watchers.removeAll() }
            return c.watchers.values.map(\.continuation)
        }
        for continuation in open { continuation.finish() }
    }

    var watcherCount: Int {
        return contents.withLock { c in
            c.dropWatchers(self.ended)
            return c.watchers.count
        }
    }
}

extension Value {
    mutating func setMetadata(_ key: String, _ value: Value?) {
        if self["metadata"]?.objectValue == nil { self["metadata"] = .emptyObject }
        var meta = self["metadata"]!
        meta[key] = value
        self["metadata"] = meta
    }

    func metadata(_ key: String) -> Value? { self[path: ["metadata", key]] }
    func metadataString(_ key: String) -> String? { self[path: ["metadata", key]]?.stringValue }
}
