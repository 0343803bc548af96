import Foundation
import YAML

extension APIServer {
    /// A watch: newline-delimited JSON events from `resourceVersion` on (or the current objects
    /// first, without one), with bookmarks when asked, ending after `timeoutSeconds`. Objects that
    /// stop matching a label selector arrive as DELETED, as from a real server.
    func watch(_ type: ResourceType, namespace: String?, _ request: APIRequest, name: String? = nil) throws -> APIResponse {
        let matches = try Self.watchFilter(request, name: name)
        let start = try Self.watchStart(request)
        let bookmarks = request.flag("allowWatchBookmarks")
        let timeout = request.query["timeoutSeconds"].flatMap(Double.init) ?? 1800
        let cutAfter = faults.current.applies(verb: "watch", resource: type.plural, userAgent: request.userAgent) ? faults.current.cutWatchAfterEvents : 0
        let interval = configuration.bookmarkInterval
        let store = self.store

        let events: AsyncStream<StoreEvent>
        let cancel: @Sendable () -> Void
        do {
            (events, cancel) = try store.watch(type.resourceKey, namespace: namespace, from: start, initial: matches)
        } catch Store.WatchError.gone(let oldest) {
            // A real server answers 200 and sends the error as the only event.
            let status = APIError.gone("too old resource version: \(request.query["resourceVersion"] ?? "") (\(oldest))").status
            let line = Self.eventLine("ERROR", status)
            return .stream(
                AsyncStream { c in
                    c.yield(line)
                    c.finish()
                })
        }
        let output = AsyncStream<[UInt8]> { continuation in
            let feed = WatchFeed(
                type: type, store: store, events: events, cancel: cancel, matches: matches, bookmarks: bookmarks, timeout: timeout, cutAfter: cutAfter,
                interval: interval)
            let task = Task { await feed.run(into: continuation) }
            continuation.onTermination = { _ in
                task.cancel()
                cancel()
            }
        }
        return .stream(output)
    }

    /// The watch's label and field selectors (a watch of one object adds its name).
    static func watchFilter(_ request: APIRequest, name: String?) throws -> @Sendable (Value) -> Bool {
        let labels = try request.query["labelSelector"].flatMap { $0.isEmpty ? nil : try LabelSelector($0) }
        var fieldText = request.query["fieldSelector"] ?? ""
        if let name { fieldText = fieldText.isEmpty ? "metadata.name=\(name)" : fieldText + ",metadata.name=\(name)" }
        let fields = try fieldText.isEmpty ? nil : FieldSelector(fieldText)
        return { (labels?.matches($0) ?? true) && (fields?.matches($0) ?? true) }
    }

    static func watchStart(_ request: APIRequest) throws -> Store.WatchStart {
        switch request.query["resourceVersion"] {
        case nil, "", "0": return .now
        case let rv?:
            guard let n = Int64(rv) else { throw APIError.badRequest("invalid resourceVersion \(rv)") }
            return .after(n)
        }
    }

    /// The event a watcher with a selector sees: an object that starts or stops matching arrives
    /// as ADDED or DELETED; nil when it sees nothing.
    static func eventType(_ e: StoreEvent, matches: (Value) -> Bool) -> String? {
        switch e.kind {
        case .added: return matches(e.object) ? "ADDED" : nil
        case .deleted: return matches(e.object) ? "DELETED" : nil
        case .modified:
            switch (e.previous.map(matches) ?? false, matches(e.object)) {
            case (true, true): return "MODIFIED"
            case (false, true): return "ADDED"
            case (true, false): return "DELETED"
            case (false, false): return nil
            }
        }
    }

    static func eventLine(_ type: String, _ object: Value) -> [UInt8] {
        let event: Value = ["type": .string(type), "object": object]
        return ((try? JSON.bytes(event)) ?? []) + [0x0A]
    }

    enum WatchItem: Sendable {
        case event(StoreEvent)
        case tick
    }

    /// Store events and bookmark ticks, in arrival order.
    static func merge(_ events: AsyncStream<StoreEvent>, _ ticks: AsyncStream<Void>) -> AsyncStream<WatchItem>.Iterator {
        let (out, continuation) = AsyncStream<WatchItem>.makeStream()
        let a = Task {
            for await e in events { continuation.yield(.event(e)) }
            continuation.finish()
        }
        let b = Task {
            for await _ in ticks { continuation.yield(.tick) }
        }
        continuation.onTermination = { _ in
            a.cancel()
            b.cancel()
        }
        return out.makeAsyncIterator()
    }
}

/// One watch's stream: store events through its selectors, ticks (bookmarks or keep-alive
/// newlines), the deadline and an injected cut.
struct WatchFeed: Sendable {
    let type: ResourceType
    let store: Store
    let events: AsyncStream<StoreEvent>
    let cancel: @Sendable () -> Void
    let matches: @Sendable (Value) -> Bool
    let bookmarks: Bool
    let timeout: Double
    let cutAfter: Int
    let interval: Double

    func run(into continuation: AsyncStream<[UInt8]>.Continuation) async {
        var sent = 0
        var lastBookmark = Date()
        let deadline = Date().addingTimeInterval(timeout)
        await withTaskGroup(of: Void.self) { group in
            let (ticks, tick) = AsyncStream<Void>.makeStream()
            // A tick every second: a bookmark when one is due and asked for, otherwise a
            // bare newline (JSON decoders skip whitespace between values). Writing is how
            // the server notices a client that went away.
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(min(1, interval)))
                    tick.yield()
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(max(0, deadline.timeIntervalSinceNow)))
                cancel()
            }
            var merged = APIServer.merge(events, ticks)
            while let item = await merged.next() {
                switch item {
                case .tick:
                    guard bookmarks, Date().timeIntervalSince(lastBookmark) >= interval else {
                        continuation.yield([0x0A])
                        continue
                    }
                    lastBookmark = Date()
                    let bookmark: Value = [
                        "kind": .string(type.kind), "apiVersion": .string(type.apiVersion),
                        "metadata": ["resourceVersion": .string(String(store.currentResourceVersion))],
                    ]
                    continuation.yield(APIServer.eventLine("BOOKMARK", bookmark))
                case .event(let e):
                    guard let kind = APIServer.eventType(e, matches: matches) else { continue }
                    continuation.yield(APIServer.eventLine(kind, e.object))
                    sent += 1
                    if cutAfter > 0, sent >= cutAfter {
                        cancel()
                        continuation.finish()
                        group.cancelAll()
                        return
                    }
                }
            }
            tick.finish()
            group.cancelAll()
        }
        continuation.finish()
    }
}
