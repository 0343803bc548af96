public import HTTP
import YAML

/// The emulator's API without a socket: requests from a `KubeClient` go straight to the same
/// handlers a network request reaches (routing, authentication, RBAC, faults, SSA, watches),
/// so an in-process test sees exactly what a client over loopback TLS would, minus the wire.
struct InProcessExchange: HTTPExchange {
    let server: APIServer
    let userAgent: String

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        switch await server.handle(apiRequest(request)) {
        case .json(let status, let value, let extra):
            return HTTPResponse(status: status, headers: headers(extra), body: (try? JSON.bytes(value)) ?? [])
        case .stream(let chunks):
            var body: [UInt8] = []
            for await chunk in chunks { body += chunk }
            return HTTPResponse(status: 200, headers: headers([:]), body: body)
        }
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        switch await server.handle(apiRequest(request)) {
        case .json(let status, let value, let extra):
            let bytes = (try? JSON.bytes(value)) ?? []
            return HTTPStreamingResponse(
                status: status, headers: headers(extra),
                body: AsyncThrowingStream { continuation in
                    continuation.yield(bytes)
                    continuation.finish()
                })
        case .stream(let chunks):
            let (body, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
            let forward = Task {
                for await chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
            }
            continuation.onTermination = { _ in forward.cancel() }
            return HTTPStreamingResponse(status: 200, headers: headers([:]), body: body)
        }
    }

    func shutdown() {}

    func headers(_ extra: [String: String]) -> [String: String] {
        var out = ["content-type": "application/json"]
        for (k, v) in extra { out[k.lowercased()] = v }
        return out
    }

    func apiRequest(_ request: HTTPRequest) -> APIRequest {
        // The URL is `scheme://host/path?query`: the handlers want the path and the raw query.
        var rest = Substring(request.url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        let (path, query) = rest.firstIndex(of: "?").map { (String(rest[..<$0]), String(rest[rest.index(after: $0)...])) } ?? (String(rest), "")
        func header(_ name: String) -> String? { request.headers.last { $0.name.lowercased() == name }?.value }
        return APIRequest(
            method: request.method, path: path, rawQuery: query, query: APIRequest.parseQuery(query),
            contentType: header("content-type") ?? "application/json", accept: header("accept") ?? "", authorization: header("authorization"),
            userAgent: header("user-agent") ?? userAgent, body: request.body ?? [], impersonateUser: header("impersonate-user"),
            impersonateGroups: request.headers.filter { $0.name.lowercased() == "impersonate-group" }.map(\.value))
    }
}

extension KubeEmulator {
    /// Requests to this emulator without the network: give it to `KubeClient(config:exchange:)`
    /// with any server URL. The emulator need not be started.
    public func inProcessExchange(userAgent: String = "sluice/0.2 (in-process)") -> any HTTPExchange {
        InProcessExchange(server: server, userAgent: userAgent)
    }

    /// With `manualControllers`: lets the simulated controllers catch up with every change made
    /// so far (Deployments report their rollout, CRDs become Established). Returns how many
    /// pieces of work ran; work they schedule in turn waits for the next call.
    @discardableResult
    public func runControllers() -> Int { server.scheduler.runPending() }
}
