import Foundation
public import HTTP
import Logging
import YAML

/// Observes every API response (for metrics): verb, HTTP status (0 for a transport failure)
/// and seconds taken.
public typealias RequestObserver = @Sendable (_ verb: String, _ code: Int, _ seconds: Double) -> Void

/// How hard to retry requests that failed for a reason that may pass.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var attempts: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public init(attempts: Int = 5, baseDelay: Double = 0.2, maxDelay: Double = 10) {
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let none = RetryPolicy(attempts: 1)

    /// Exponential backoff with full jitter, or what the server asked for (capped).
    func delay(attempt: Int, retryAfter: Double?) -> Double {
        if let retryAfter { return min(maxDelay, max(0, retryAfter)) }
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(attempt)))
        return Double.random(in: ceiling / 2...ceiling)
    }
}

/// Sends requests to one API server: authentication, client-side rate limiting, retries of
/// throttled, failed and dropped requests, and typed errors. Credentials are never logged.
struct Transport: Sendable {
    let config: ClusterConfig
    let http: any HTTPExchange
    let auth: Authenticator
    let limiter: RateLimiter
    let retry: RetryPolicy
    let observer: RequestObserver?
    let logger: Logger

    /// Kubernetes clients send credentials only over TLS; so does Sluice.
    var sendsCredentials: Bool { config.server.hasPrefix("https://") }

    func url(_ path: String, _ query: [(String, String)]) -> String {
        var url = config.server + path
        if !query.isEmpty {
            url += "?" + URLQuery.encode(query)
        }
        return url
    }

    func headers(contentType: String?, accept: String = "application/json") async throws -> [(name: String, value: String)] {
        var h: [(name: String, value: String)] = [("Accept", accept)]
        if let contentType { h.append(("Content-Type", contentType)) }
        if sendsCredentials, let a = try await auth.header() { h.append(("Authorization", a)) }
        if let user = config.impersonate { h.append(("Impersonate-User", user)) }
        return h
    }

    /// Sends a request, retrying transient failures. `idempotent` requests are also retried
    /// after server errors and broken connections; others only when the server certainly did
    /// not act (throttling, refused connections).
    func send(
        verb: String, method: String, path: String, query: [(String, String)] = [], body: [UInt8]? = nil, contentType: String? = nil,
        idempotent: Bool, operation: String, timeout: Double? = nil
    ) async throws -> HTTPResponse {
        var attempt = 0
        var reauthenticated = false
        while true {
            try Task.checkCancellation()
            await limiter.acquire()
            let started = ContinuousClock.now
            let request = HTTPRequest(
                method: method, url: url(path, query), headers: try await headers(contentType: contentType), body: body,
                timeout: timeout ?? config.requestTimeout)
            let response: HTTPResponse
            do {
                response = try await http.send(request)
            } catch let e as HTTPError {
                observer?(verb, 0, (ContinuousClock.now - started) / .seconds(1))
                if e.kind == .cancelled { throw CancellationError() }
                let failure = KubeError(reason: .transport, message: "\(config.server): \(e.message)", operation: operation)
                // A refused connection never reached the server; anything else might have.
                guard e.kind == .connect || idempotent, attempt + 1 < retry.attempts else { throw failure }
                try await backoff(&attempt, failure, operation)
                continue
            }
            observer?(verb, response.status, (ContinuousClock.now - started) / .seconds(1))
            if (200..<300).contains(response.status) { return response }
            let retryAfter = response.headers["retry-after"].flatMap(Double.init)
            let failure = KubeError(status: response.status, body: response.body, operation: operation, retryAfter: retryAfter)
            if response.status == 401, !reauthenticated {
                // A rotated token or an expired plugin credential: fetch afresh once.
                reauthenticated = true
                await auth.invalidate()
                continue
            }
            let retryable = response.status == 429 || response.status == 503 || (idempotent && [500, 502, 504].contains(response.status))
            guard retryable, attempt + 1 < retry.attempts else { throw failure }
            try await backoff(&attempt, failure, operation)
        }
    }

    private func backoff(_ attempt: inout Int, _ failure: KubeError, _ operation: String) async throws {
        let wait = retry.delay(attempt: attempt, retryAfter: failure.retryAfter)

        logger.debug("retrying after failure", metadata: ["operation": "\(operation)", "error": "\(failure.message)", "wait": "\(wait)"])
        attempt += 1
        try await Task.sleep(for: .seconds(wait))
    }

    /// Opens a streamed response (a watch). Not retried here: watchers resume on their own.
    func stream(verb: String, path: String, query: [(String, String)], operation: String) async throws -> HTTPStreamingResponse {
        await limiter.acquire()
        let request = HTTPRequest(method: "GET", url: url(path, query), headers: try await headers(contentType: nil), timeout: nil)
        let started = ContinuousClock.now
        let response: HTTPStreamingResponse
        do {
            response = try await http.stream(request)
        } catch let e as HTTPError {
            observer?(verb, 0, (ContinuousClock.now - started) / .seconds(1))
            if e.kind == .cancelled { throw CancellationError() }
            throw KubeError(reason: .transport, message: "\(config.server): \(e.message)", operation: operation)
        }
        observer?(verb, response.status, (ContinuousClock.now - started) / .seconds(1))
        if response.status == 401 { await auth.invalidate() }
        if !(200..<300).contains(response.status) {
            var body: [UInt8] = []
            for try await chunk in response.body { body += chunk }
            throw KubeError(status: response.status, body: body, operation: operation, retryAfter: response.headers["retry-after"].flatMap(Double.init))
        }
        return response
    }
}

extension Transport {
    func getJSON(_ path: String, query: [(String, String)] = []) async throws -> Value {
        let r = try await send(verb: "get", method: "GET", path: path, query: query, idempotent: true, operation: "GET \(path)")
        return try r.json("GET \(path)")
    }
}
