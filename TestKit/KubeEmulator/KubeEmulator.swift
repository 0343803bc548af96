import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import Synchronization
public import YAML

/// A Kubernetes API server emulator on 127.0.0.1: discovery, CRUD, server-side apply with field
/// ownership and dry-run, watches, defaulting, validation, simulated Deployment status, and fault
/// injection. `kubectl` is its judge (see the compatibility tests).
public final class KubeEmulator: Sendable {
    public let configuration: EmulatorConfiguration
    let server: APIServer
    let certificates: EmulatorCertificates?
    private let state = Mutex<(port: Int, task: Task<Void, any Error>?, group: ServiceGroup?)>((0, nil, nil))

    public init(_ configuration: EmulatorConfiguration = .init()) throws {
        self.configuration = configuration
        server = APIServer(configuration: configuration)
        certificates = configuration.tls ? try EmulatorCertificates.generate() : nil
    }

    /// Starts listening; returns once the port is bound.
    public func start() async throws {
        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        let responder = EmulatorResponder(server: server)
        var logger = Logger(label: "sluice.emulator")
        logger.logLevel = .critical
        let builder: HTTPServerBuilder
        if let certificates {
            var tls: TLSConfiguration
            let chain = [NIOSSLCertificateSource.certificate(try NIOSSLCertificate(bytes: Array(certificates.serverCertificatePEM.utf8), format: .pem))]
            let key = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(bytes: Array(certificates.serverKeyPEM.utf8), format: .pem))
            if configuration.requireClientCertificate {
                let ca = try NIOSSLCertificate(bytes: Array(certificates.caPEM.utf8), format: .pem)
                tls = TLSConfiguration.makeServerConfigurationWithMTLS(certificateChain: chain, privateKey: key, trustRoots: .certificates([ca]))
            } else {
                tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: key)
            }
            // Stopping must not wait seconds for each client's close_notify (NIOSSL's default).
            tls.shutdownTimeout = .milliseconds(50)
            if configuration.http2 {
                builder = try .http2Upgrade(tlsConfiguration: tls)
            } else {
                builder = try .tls(.http1(), tlsConfiguration: tls)
            }
        } else {
            builder = .http1()
        }
        let app = Application(
            responder: responder, server: builder,
            configuration: .init(address: .hostname("127.0.0.1", port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                readyContinuation.yield(channel.localAddress?.port ?? 0)
                readyContinuation.finish()
            },
            logger: logger)
        // Run as a service so that stopping is a graceful shutdown: cancelling the serving task
        // instead can leave a just-accepted connection unserved, which NIO traps on
        // (swift-nio#3481).
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        state.withLock {
            $0.task = task
            $0.group = group
        }
        var iterator = ready.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = try await task.value
            throw APIError(code: 500, reason: "Startup", message: "emulator did not start")
        }
        state.withLock { $0.port = port }
    }

    /// Stops listening: the simulated controllers stop, every watch ends, requests in flight
    /// finish, then the server closes (cancelled if that takes more than a few seconds).
    public func stop() async {
        server.scheduler.stopAll()
        server.store.endAllWatches()
        let (task, group) = state.withLock { ($0.task, $0.group) }
        guard let task else { return }
        await group?.triggerGracefulShutdown()
        let deadline = Task {
            try? await Task.sleep(for: .seconds(5))
            task.cancel()
        }
        _ = try? await task.value
        deadline.cancel()
    }

    /// Runs until the task is cancelled (for `sluice emulator`).
    public func wait() async {
        let task = state.withLock { $0.task }
        _ = try? await task?.value
    }

    public var port: Int { state.withLock { $0.port } }
    public var url: String { "\(certificates == nil ? "http" : "https")://127.0.0.1:\(port)" }
    public var caCertificatePEM: String? { certificates?.caPEM }

    /// A kubeconfig that reaches this emulator as a user would configure it.
    public func kubeconfig(context: String = "sluice-emulator", namespace: String = "default") -> String {
        var cluster: Value = ["server": .string(url)]
        if let certificates { cluster["certificate-authority-data"] = .string(Base64.encode(Array(certificates.caPEM.utf8))) }
        var user: Value = [:]
        if configuration.requireClientCertificate, let certificates {
            user["client-certificate-data"] = .string(Base64.encode(Array(certificates.clientCertificatePEM.utf8)))
            user["client-key-data"] = .string(Base64.encode(Array(certificates.clientKeyPEM.utf8)))
        } else if let token = configuration.token {
            user["token"] = .string(token)
        } else if let basic = configuration.basicAuth {
            user["username"] = .string(basic.user)
            user["password"] = .string(basic.password)
        }
        let config: Value = [
            "apiVersion": "v1", "kind": "Config", "current-context": .string(context), "preferences": [:],
            "clusters": [["name": .string(context), "cluster": cluster]],
            "users": [["name": .string(context), "user": user]],
            "contexts": [["name": .string(context), "context": ["cluster": .string(context), "user": .string(context), "namespace": .string(namespace)]]],
        ]
        return (try? YAML.emit(config)) ?? ""
    }

    public func writeKubeconfig(to path: String, context: String = "sluice-emulator", namespace: String = "default") throws {
        try kubeconfig(context: context, namespace: namespace).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The client certificate and key (PEM) a kubeconfig can use when client certificates are required.
    public var clientCertificate: (certificate: String, key: String)? {
        certificates.map { ($0.clientCertificatePEM, $0.clientKeyPEM) }
    }

    // MARK: test controls

    public var faults: FaultPlan {
        get { server.faults.current }
        set { server.faults.current = newValue }
    }

    public var requests: [RequestRecord] { server.faults.records }

    /// A bearer token for a service account, as the kubelet would mount into a pod. Requests
    /// carrying it are authorized by the RBAC objects in the emulator (Roles, ClusterRoles,
    /// bindings, aggregation), so a test can prove an install's permissions are enough.
    public func serviceAccountToken(namespace: String, name: String) -> String {
        let token = "sa-" + UUID().uuidString.lowercased() + UUID().uuidString.lowercased()
        server.serviceAccountTokens[token] = .serviceAccount(namespace: namespace, name: name)
        return token
    }

    /// A bearer token for a person, as a real API server's static token file
    /// (`--token-auth-file`) or an OIDC issuer would authenticate: `user` and `groups` are the
    /// server's to say, as TokenReview then reports them.
    public func userToken(_ user: String, groups: [String] = []) -> String {
        let token = "user-" + UUID().uuidString.lowercased() + UUID().uuidString.lowercased()
        server.serviceAccountTokens[token] = UserInfo(name: user, groups: groups + ["system:authenticated"])
        return token
    }

    public func clearRequests() { server.faults.clearLog() }

    public func failImageTag(_ tag: String) {
        server.failingTags.insert(tag)
        server.reconcileAllDeployments()
    }

    public func healImageTag(_ tag: String) {
        server.failingTags.remove(tag)
        server.reconcileAllDeployments()
    }

    /// What a Deployment's pods use of `resource` together, in pods' requests: 5 on 10 ready
    /// pods is 50% utilization each. The HPA controller reads it as a metrics server's answer
    /// for `Resource` (and `ContainerResource`) metrics with a `Utilization` target; nil: no
    /// metrics (the HPA reports FailedGetResourceMetric and keeps the size).
    public func setLoad(namespace: String, deployment: String, resource: String = "cpu", pods: Double?) {
        server.setLoad(namespace, deployment, resource: resource, pods: pods)
    }

    /// An object as stored, bypassing the API (for assertions).
    public func object(apiVersion: String, kind: String, namespace: String?, name: String) -> Value? {
        guard let type = server.registry.find(apiVersion: apiVersion, kind: kind) else { return nil }
        return server.store.get(type.resourceKey, namespace: namespace ?? "", name: name)
    }

    public var resourceVersion: Int64 { server.store.currentResourceVersion }
    public var activeWatches: Int { server.store.watcherCount }
    /// No simulated controller (Deployment status, CRD conditions) has work waiting: what was
    /// written has settled, and nothing more will be written until a client writes.
    public var controllersIdle: Bool { server.scheduler.idle }
}

/// Bridges Hummingbird requests to the emulator's handlers.
/// A request context that remembers the connection, so a watch can end when its client goes away
/// (a real API server cancels the request's context; without this the watch would linger until
/// its next event failed to write).
struct EmulatorContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorContext
    let server: APIServer

    func respond(to request: Request, context: Context) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 << 20)
        let headers = request.headers
        let api = APIRequest(
            method: request.method.rawValue, path: request.uri.path, rawQuery: request.uri.query ?? "",
            query: APIRequest.parseQuery(request.uri.query ?? ""),
            contentType: headers[.contentType] ?? "application/json", accept: headers[.accept] ?? "",
            authorization: headers[.authorization], userAgent: headers[.userAgent] ?? "",
            body: Array(buffer: body),
            impersonateUser: HTTPField.Name("Impersonate-User").flatMap { headers[$0] },
            impersonateGroups: HTTPField.Name("Impersonate-Group").map { headers[values: $0] } ?? [])
        switch await server.handle(api) {
        case .json(let status, let value, let extra):
            let bytes = (try? JSON.bytes(value)) ?? []
            var fields: HTTPFields = [.contentType: "application/json"]
            for (k, v) in extra { if let name = HTTPField.Name(k) { fields[name] = v } }
            return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .stream(let upstream):
            let (chunks, continuation) = AsyncStream<[UInt8]>.makeStream()
            let forward = Task {
                for await chunk in upstream { continuation.yield(chunk) }
                continuation.finish()
            }
            continuation.onTermination = { _ in forward.cancel() }
            context.channel.closeFuture.whenComplete { _ in continuation.finish() }
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache, private"],
                body: ResponseBody { writer in
                    for await chunk in chunks {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                    try await writer.finish(nil)
                })
        }
    }
}
