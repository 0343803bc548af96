public import YAML

/// One event of a watch.
public struct WatchEvent: Sendable {
    public enum Kind: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        case error = "ERROR"
    }

    public var kind: Kind
    public var object: Value

    public var resourceVersion: String? { object[path: ["metadata", "resourceVersion"]]?.stringValue }
}

public struct WatchOptions: Sendable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Changes after this version; nil starts with the current objects as ADDED events.
    public var resourceVersion: String?
    public var allowBookmarks: Bool
    /// Server-side end of the watch; the caller reconnects.
    public var timeoutSeconds: Int?

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil, allowBookmarks: Bool = true, timeoutSeconds: Int? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.allowBookmarks = allowBookmarks
        self.timeoutSeconds = timeoutSeconds
    }
}

extension KubeClient {
    /// One watch connection: its events until the server ends it, the connection drops (an
    /// error of reason `.transport`) or its resourceVersion is too old (`.gone`, relist).
    public func watch(apiVersion: String, kind: String, namespace: String?, options: WatchOptions = .init()) async throws -> AsyncThrowingStream<
        WatchEvent, any Error
    > {
        let r = try await discovery.resource(apiVersion: apiVersion, kind: kind)
        let ns = r.namespaced ? namespace : nil
        var query: [(String, String)] = [("watch", "1")]
        if let rv = options.resourceVersion { query.append(("resourceVersion", rv)) }
        if options.allowBookmarks { query.append(("allowWatchBookmarks", "true")) }
        if let s = options.labelSelector { query.append(("labelSelector", s)) }
        if let s = options.fieldSelector { query.append(("fieldSelector", s)) }
        if let t = options.timeoutSeconds { query.append(("timeoutSeconds", String(t))) }
        let op = describe("WATCH", r, ns, nil)
        let response = try await transport.stream(verb: "watch", path: r.path(namespace: ns), query: query, operation: op)
        return AsyncThrowingStream { continuation in
            let task = Task {
                var buffer: [UInt8] = []
                do {
                    for try await chunk in response.body {
                        buffer += chunk
                        while let newline = buffer.firstIndex(of: 0x0A) {
                            let line = Array(buffer[..<newline])
                            buffer.removeSubrange(...newline)
                            guard !line.isEmpty else { continue }
                            let value = try JSON.parse(line)
                            guard let type = value["type"]?.stringValue.flatMap(WatchEvent.Kind.init), let object = value["object"] else {
                                throw KubeError(reason: .other, message: "\(op): malformed watch event")
                            }
                            if type == .error {
                                let code = Int(object["code"]?.intValue ?? 500)
                                // The body only details the error; the status code decides.
                                throw KubeError(status: code, body: (try? JSON.bytes(object)) ?? [], operation: op, retryAfter: nil)
                            }
                            continuation.yield(WatchEvent(kind: type, object: object))
                        }
                    }
                    continuation.finish()
                } catch is CancellationError {
                    continuation.finish()
                } catch let e as KubeError {
                    continuation.finish(throwing: e)
                } catch {
                    continuation.finish(throwing: KubeError(reason: .transport, message: "\(op): watch interrupted: \(error)", operation: op))
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
