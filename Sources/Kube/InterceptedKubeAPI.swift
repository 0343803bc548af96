public import Manifests
import Synchronization
public import YAML

/// A `KubeAPI` in front of another that records every call and fails the ones a rule picks,
/// after controller-runtime's fake client with interceptors. A failed call never reaches the
/// wrapped API, as if the server had refused it.
public final class InterceptedKubeAPI: KubeAPI {
    public struct Rule: Sendable {
        let matches: @Sendable (KubeCall) -> Bool
        /// Matching calls let through before the first failure.
        let skip: Int
        let times: Int
        let error: KubeError
        var seen = 0
    }

    private struct State {
        var calls: [KubeCall] = []
        var rules: [Rule] = []
        var watches: [Int: AsyncThrowingStream<WatchEvent, any Error>.Continuation] = [:]
        var nextWatch = 0
    }

    let wrapped: any KubeAPI
    private let state = Mutex(State())

    public init(_ wrapped: any KubeAPI) { self.wrapped = wrapped }

    // MARK: what a test says

    /// Fails the `nth` matching call (1-based) and the `times - 1` after it with `error`.
    public func fail(
        _ verb: KubeCall.Verb, kind: String? = nil, name: String? = nil, subresource: String? = nil, nth: Int = 1, times: Int = 1, with error: KubeError
    ) {
        failWhen(nth: nth, times: times, with: error) { call in
            call.verb == verb && (kind == nil || call.kind == kind) && (name == nil || call.name == name) && call.subresource == subresource
        }
    }

    public func failWhen(nth: Int = 1, times: Int = 1, with error: KubeError, _ matches: @escaping @Sendable (KubeCall) -> Bool) {
        state.withLock { $0.rules.append(Rule(matches: matches, skip: max(0, nth - 1), times: times, error: error)) }
    }

    /// Ends every open watch as a server does when it closes the connection.
    public func closeWatches() {
        let open = state.withLock { s in
            defer { s.watches.removeAll() }
            return Array(s.watches.values)
        }
        for w in open { w.finish() }
    }

    /// Every call so far, in order.
    public var calls: [KubeCall] { state.withLock { $0.calls } }
    /// The calls that changed the cluster.
    public var writes: [KubeCall] { calls.filter(\.isWrite) }

    public func clearCalls() { state.withLock { $0.calls.removeAll() } }

    public static func conflict(_ message: String = "the object has been modified; please apply your changes to the latest version and try again")
        -> KubeError
    {
        KubeError(reason: .conflict, code: 409, statusReason: "Conflict", message: message)
    }

    public static func serverError(_ code: Int = 500) -> KubeError {
        KubeError(reason: .serverError, code: code, statusReason: "InternalError", message: "an error on the server (injected) has prevented the request")
    }

    public static let gone = KubeError(reason: .gone, code: 410, statusReason: "Expired", message: "too old resource version")

    // MARK: the seam

    /// Records the call and throws the error of the first rule that picks it.
    private func pass(_ call: KubeCall) throws {
        let error: KubeError? = state.withLock { s in
            s.calls.append(call)
            for i in s.rules.indices where s.rules[i].matches(call) {
                s.rules[i].seen += 1
                let n = s.rules[i].seen
                if n > s.rules[i].skip, n <= s.rules[i].skip + s.rules[i].times {
                    var e = s.rules[i].error
                    e.operation = call.description
                    return e
                }
            }
            return nil
        }
        if let error { throw error }
    }

    public func get(_ ref: ObjectReference, subresource: String?) async throws -> Value {
        try pass(KubeCall(.get, ref, subresource: subresource))
        return try await wrapped.get(ref, subresource: subresource)
    }

    public func listPage(apiVersion: String, kind: String, namespace: String?, options: ListOptions) async throws -> ListPage {
        try pass(KubeCall(verb: .list, apiVersion: apiVersion, kind: kind, namespace: namespace, name: nil))
        return try await wrapped.listPage(apiVersion: apiVersion, kind: kind, namespace: namespace, options: options)
    }

    public func watch(apiVersion: String, kind: String, namespace: String?, options: WatchOptions) async throws -> AsyncThrowingStream<
        WatchEvent, any Error
    > {
        try pass(KubeCall(verb: .watch, apiVersion: apiVersion, kind: kind, namespace: namespace, name: nil))
        let upstream = try await wrapped.watch(apiVersion: apiVersion, kind: kind, namespace: namespace, options: options)
        let (stream, continuation) = AsyncThrowingStream<WatchEvent, any Error>.makeStream()
        let id = state.withLock { s in
            defer { s.nextWatch += 1 }
            s.watches[s.nextWatch] = continuation
            return s.nextWatch
        }
        let forward = Task {
            do {
                for try await event in upstream { continuation.yield(event) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { [weak self] _ in
            forward.cancel()
            _ = self?.state.withLock { $0.watches.removeValue(forKey: id) }
        }
        return stream
    }

    public func create(_ object: Value, dryRun: Bool, fieldManager: String?) async throws -> Value {
        try pass(KubeCall(.create, try KubeClient.reference(of: object), dryRun: dryRun, body: object))
        return try await wrapped.create(object, dryRun: dryRun, fieldManager: fieldManager)
    }

    public func apply(_ object: Value, fieldManager: String, force: Bool, dryRun: Bool, subresource: String?) async throws -> Value {
        try pass(KubeCall(.apply, try KubeClient.reference(of: object), subresource: subresource, dryRun: dryRun, body: object))
        return try await wrapped.apply(object, fieldManager: fieldManager, force: force, dryRun: dryRun, subresource: subresource)
    }

    public func mergePatch(_ ref: ObjectReference, _ patch: Value, subresource: String?, dryRun: Bool, fieldManager: String?) async throws -> Value {
        try pass(KubeCall(.patch, ref, subresource: subresource, dryRun: dryRun, body: patch))
        return try await wrapped.mergePatch(ref, patch, subresource: subresource, dryRun: dryRun, fieldManager: fieldManager)
    }

    // Discovery is not a call on an object: passed through, never recorded or failed.
    public func locate(apiVersion: String, kind: String, namespace: String?) async throws -> (APIResource, String?) {
        try await wrapped.locate(apiVersion: apiVersion, kind: kind, namespace: namespace)
    }

    public func refreshDiscovery(_ apiVersion: String) async throws { try await wrapped.refreshDiscovery(apiVersion) }

    public var defaultNamespace: String { wrapped.defaultNamespace }

    public func delete(_ ref: ObjectReference, propagation: PropagationPolicy?, dryRun: Bool, preconditionUID: String?) async throws -> Bool {
        try pass(KubeCall(.delete, ref, dryRun: dryRun))
        return try await wrapped.delete(ref, propagation: propagation, dryRun: dryRun, preconditionUID: preconditionUID)
    }
}
