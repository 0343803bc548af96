import Foundation
import Hummingbird
public import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The controller's HTTP endpoints: git webhooks, health, readiness and metrics.
public struct EndpointHandlers: Sendable {
    /// Called for a verified push; returns what it triggered (for the response).
    public var onPush: @Sendable () async -> [String]
    public var webhook: WebhookVerifier?
    public var ready: @Sendable () async -> (Bool, String)
    public var metrics: @Sendable () async -> String
    /// `POST /v1/approvals`: the caller's bearer token (nil without one) and the JSON body, to an
    /// HTTP status and a message. Nil: the endpoint answers 404.
    public var approve: (@Sendable (_ token: String?, _ body: [UInt8]) async -> (status: Int, message: String))?

    public init(
        onPush: @escaping @Sendable () async -> [String], webhook: WebhookVerifier?, ready: @escaping @Sendable () async -> (Bool, String) = { (true, "ok") },
        metrics: @escaping @Sendable () async -> String = { "" },
        approve: (@Sendable (_ token: String?, _ body: [UInt8]) async -> (status: Int, message: String))? = nil
    ) {
        self.onPush = onPush
        self.webhook = webhook
        self.ready = ready
        self.metrics = metrics
        self.approve = approve
    }
}

/// The endpoints could not be served (typically: the address is taken).
public struct ListenError: Error, CustomStringConvertible {
    public var address: String
    public var reason: String
    public var description: String {
        let detail = reason.contains("Address already in use") ? "the address is already in use" : reason
        return "cannot listen on \(address) (--listen): \(detail)"
    }
}

public final class EndpointServer: Sendable {
    let handlers: EndpointHandlers
    let host: String
    let requestedPort: Int
    let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var port = 0
        var task: Task<Void, any Error>?
        var group: ServiceGroup?
    }

    public init(host: String, port: Int, handlers: EndpointHandlers, logger: Logger) {
        self.host = host
        requestedPort = port
        self.handlers = handlers
        self.logger = logger
    }

    public var port: Int { state.withLock { state in state.port } }

    /// Binds and starts serving; returns once listening.
    public func start() async throws {
        try await serve(routes())
    }

    func routes() -> Router<BasicRequestContext> {
        let router = Router()
        let handlers = self.handlers
        let logger = self.logger
        router.post("/hooks/git") { request, _ -> Response in try await Self.webhook(request, handlers: handlers, logger: logger) }
        router.post("/v1/approvals") { request, _ -> Response in
            guard let approve = handlers.approve else { return Self.text(.notFound, "approvals are not served here\n") }
            let authorization = request.headers[.authorization] ?? ""
            let token = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : nil
            let body = try await request.body.collect(upTo: 64 << 10)
            let (status, message) = await approve(token, Array(buffer: body))
            return Self.text(HTTPResponse.Status(code: status), message + "\n")
        }
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/readyz") { _, _ -> Response in
            let (ok, message) = await handlers.ready()
            return Self.text(ok ? .ok : .serviceUnavailable, message + "\n")
        }
        router.get("/metrics") { _, _ -> Response in
            var response = Self.text(.ok, await handlers.metrics())
            response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return response
        }
        return router
    }

    /// Runs the server in its own service group; returns once it listens (or throws why not).
    func serve(_ router: Router<BasicRequestContext>) async throws {
        let logger = self.logger
        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        var quiet = logger
        quiet.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: requestedPort)),
            onServerRunning: { channel in
                readyContinuation.yield(channel.localAddress?.port ?? 0)
                readyContinuation.finish()
            }, logger: quiet)
        // Hummingbird's server stops on graceful shutdown, not on task cancellation, so it runs
        // in a service group of its own that `stop()` shuts down gracefully.
        let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
        let task = Task {
            // Finishing the stream unblocks `start()` when the server never comes up (the
            // address is taken): it then rethrows the server's error.
            defer { readyContinuation.finish() }
            try await group.run()
        }
        state.withLock { state in
            state.task = task
            state.group = group
        }
        var it = ready.makeAsyncIterator()
        guard let port = await it.next() else {
            do {
                _ = try await task.value
            } catch {
                throw ListenError(address: "\(host):\(requestedPort)", reason: "\(error)")
            }
            throw CancellationError()
        }
        state.withLock { state in state.port = port }
    }

    /// `POST /hooks/git`: the signature checked (the body read only as far as the limit), then
    /// every source triggered.
    static func webhook(_ request: Request, handlers: EndpointHandlers, logger: Logger) async throws -> Response {
        guard let verifier = handlers.webhook else {
            return Self.text(.forbidden, "webhooks are disabled: start with --webhook-secret-file\n")
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let verdict: WebhookVerifier.Verdict
        switch verifier.precheck(headers: headers) {
        case .accepted(let v): verdict = v
        case .rejected(let why): verdict = .rejected(why)
        case .needsBody(let scheme):
            // The body is read only as far as the limit, each chunk into the MAC as it comes.
            var check = verifier.bodyCheck(scheme)
            var over = false
            for try await chunk in request.body where !check.add(chunk.readableBytesView) {
                over = true
                break
            }
            if over {
                logger.warning("webhook rejected", metadata: ["reason": "body over \(verifier.maxBodyBytes) bytes"])
                return Self.text(.contentTooLarge, "body over \(verifier.maxBodyBytes) bytes\n")
            }
            verdict = verifier.finish(check)
        }
        switch verdict {
        case .rejected(let why):
            logger.warning("webhook rejected", metadata: ["reason": "\(why)"])
            return Self.text(.unauthorized, "unauthorized: \(why)\n")
        case .github, .gitlab, .sluice:
            let triggered = await handlers.onPush()
            return Self.text(.accepted, "triggered: \(triggered.joined(separator: ", "))\n")
        }
    }

    /// Stops accepting connections, lets requests in flight finish, and returns when closed.
    public func stop() async {
        let (task, group) = state.withLock { state in (state.task, state.group) }
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
