import Foundation
import YAML

extension APIServer {
    /// A watch: newline-delimited JSON events from `resourceVersion` on (or the current objects
    /// first, without one), with bookmarks when asked, ending after `timeoutSeconds`. Objects that
    /// stop matching a label selector arrive as DELETED, as from a real server.
    func watch(_ type: ResourceType, namespace: String?, _ request: APIRequest, name: String? = nil) throws -> APIResponse {
        let labels = try request.query["labelSelector"].flatMap { $0.isEmpty ? nil : try LabelSelector($0) }
        var fieldText = request.query["fieldSelector"] ?? ""
        if let name { fieldText = fieldText.isEmpty ? "metadata.name=\(name)" : fieldText + ",metadata.name=\(name)" }
        let fields = try fieldText.isEmpty ? nil : FieldSelector(fieldText)
        let matches: @Sendable (Value) -> Bool = { (labels?.matches($0) ?? true) && (fields?.matches($0) ?? true) }
        let start: Store.WatchStart
        switch request.query["resourceVersion"] {
        case nil, "", "0": start = .now
        case let rv?:
            guard let n = Int64(rv) else { throw APIError.badRequest("invalid resourceVersion \(rv)") }
            start = .after(n)
        }
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
            let task = Task {
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
                    var merged = Self.merge(events, ticks)
                    while let item = await merged.next() {
                        switch item {
                        case .tick:
                            guard bookmarks, Date().timeIntervalSince(lastBookmark) >= interval else {
                                continuation.yield([0x0A])
                                continue
                            }
                            lastBookmark = Date()
                            let rv = String(store.currentResourceVersion)
                            let bookmark: Value = [
                                "kind": .string(type.kind), "apiVersion": .string(type.apiVersion), "metadata": ["resourceVersion": .string(rv)],
                            ]
                            continuation.yield(Self.eventLine("BOOKMARK", bookmark))
                        case .event(let e):
                            let kind: String
                            switch e.kind {
                            case .added:
                                guard matches(e.object) else { continue }
                                kind = "ADDED"
                            case .deleted:
                                guard matches(e.object) else { continue }
                                kind = "DELETED"
                            case .modified:
                                let was = e.previous.map(matches) ?? false
                                let now = matches(e.object)
                                switch (was, now) {
                                case (true, true): kind = "MODIFIED"
                                case (false, true): kind = "ADDED"
                                case (true, false): kind = "DELETED"
                                case (false, false): continue
                                }
                            }
                            continuation.yield(Self.eventLine(kind, e.object))
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
            continuation.onTermination = { _ in
                task.cancel()
                cancel()
            }
        }
        return .stream(output)
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
