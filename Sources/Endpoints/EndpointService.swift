public import ServiceLifecycle

/// The HTTP endpoints as a service: serve until graceful shutdown.
public struct EndpointService: Service {
    let server: EndpointServer

    public init(_ server: EndpointServer) { self.server = server }

    public func run() async throws {
        try await server.start()
        try? await gracefulShutdown()
        await server.stop()
    }
}
