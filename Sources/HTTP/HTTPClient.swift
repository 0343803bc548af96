import Synchronization

/// An HTTP/1.1 and HTTP/2 client over libcurl. Every request of one client shares a connection
/// pool; requests run concurrently without blocking Swift's cooperative threads (see `CurlLoop`).
public final class HTTPClient: Sendable {
    private let loop: CurlLoop
    public let tls: TLSOptions

    /// - Parameters:
    ///   - maxConnectionsPerHost: concurrent connections to one server (HTTP/2 multiplexes
    ///     further requests over them).
    ///   - connectTimeout: seconds to establish a connection (TCP + TLS).
    public init(tls: TLSOptions = .init(), maxConnectionsPerHost: Int = 16, connectTimeout: Double = 10, userAgent: String = "sluice", verbose: Bool = false) {
        self.tls = tls
        loop = CurlLoop(
            options: .init(
                tls: tls, maxConnectionsPerHost: maxConnectionsPerHost, connectTimeout: connectTimeout, userAgent: userAgent,
                verbose: verbose))
    }

    deinit { loop.shutdown() }

    /// Sends a request and waits for the whole response. Task cancellation aborts the transfer.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let box = TransferBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let transfer = Transfer(request: request, delivery: .whole(continuation))
                if box.set(transfer) {
                    loop.submit(transfer)
                } else {
                    continuation.resume(throwing: HTTPError(kind: .cancelled, message: "cancelled", url: request.url))
                }
            }
        } onCancel: {
            if let t = box.cancel() { loop.cancel(t) }
        }
    }

    /// Sends a request and returns as soon as the response head arrives; the body streams.
    /// Stop iterating the body (or cancel the task) to close the connection.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let (body, bodyContinuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let box = TransferBox()
        let loop = self.loop
        bodyContinuation.onTermination = { termination in
            if case .cancelled = termination, let t = box.cancel() { loop.cancel(t) }
        }
        let (status, headers) = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (head: CheckedContinuation<(Int, [String: String]), any Error>) in
                let transfer = Transfer(request: request, delivery: .stream(head: head, body: bodyContinuation))
                if box.set(transfer) {
                    loop.submit(transfer)
                } else {
                    head.resume(throwing: HTTPError(kind: .cancelled, message: "cancelled", url: request.url))
                }
            }
        } onCancel: {
            if let t = box.cancel() { loop.cancel(t) }
        }
        return HTTPStreamingResponse(status: status, headers: headers, body: body)
    }

    /// Closes every connection and fails requests in flight.
    public func shutdown() { loop.shutdown() }
}

/// Hands a transfer from the submitting task to its cancellation handler, which may run first.
private final class TransferBox: Sendable {
    private let state = Mutex<(transfer: Transfer?, cancelled: Bool)>((nil, false))

    /// False if cancellation already happened (the transfer must not start).
    func set(_ t: Transfer) -> Bool {
        state.withLock { s in
            if s.cancelled { return false }
            s.transfer = t
            return true
        }
    }

    func cancel() -> Transfer? {
        state.withLock { s in
            s.cancelled = true
            return s.transfer
        }
    }
}
