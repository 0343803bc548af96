/// Where requests go: libcurl to a real server (`HTTPClient`), or a handler in the same process
/// (the Kubernetes emulator's in-process client), so everything above the wire — retries,
/// authentication, typed errors, watch decoding — is the same code either way.
public protocol HTTPExchange: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
    /// Returns once the response head is in; the body streams.
    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse
    /// Closes connections and fails requests in flight.
    func shutdown()
}

extension HTTPClient: HTTPExchange {}
