import ClusterSync
import CommitSigning
import Controller
import ControllerRuntime
import DesiredState
import Endpoints
import Foundation
import Git
import HTTP
public import Kube
import LeaderElection
public import Logging
import ModelRegistry
import PrometheusQuery
import ServiceLifecycle
import Sync

/// The composition root: everything a controller process wires together, from its settings.
/// `sluice run` (and the image's `sluice-controller`) runs every part; `sluice sync` without
/// `--once` its one source; `sluice demo` its source and the rollouts.
public struct Controllers: Sendable {
    /// The reconcilers a process runs.
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// The settings' sources, kept applied.
        public static let sources = Parts(rawValue: 1)
        /// GitSource objects, each started as a source.
        public static let gitSources = Parts(rawValue: 2)
        public static let rollouts = Parts(rawValue: 4)
        public static let promotions = Parts(rawValue: 8)
        public static let all: Parts = [.sources, .gitSources, .rollouts, .promotions]
    }

    let settings: RunConfiguration
    let parts: Parts
    /// The cluster to act on; nil: the settings' kubeconfig and context (or in-cluster).
    let cluster: ClusterConfig?
    let logger: Logger

    public init(settings: RunConfiguration, parts: Parts = .all, cluster: ClusterConfig? = nil, logger: Logger) {
        self.settings = settings
        self.parts = parts
        self.cluster = cluster
        self.logger = logger
    }

    static func identity() -> String {
        let env = ProcessInfo.processInfo.environment
        let host = env["POD_NAME"] ?? ProcessInfo.processInfo.hostName
        return "\(host)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    func transport(_ s: RunConfiguration.Source) throws -> GitTransportOptions {
        var credentials: GitCredentials?
        // Files are read again at every fetch (a rotated Secret needs no restart); reading them
        // now makes an unreadable or empty one fail at start-up.
        if let f = s.tokenFile {
            _ = try SecretFile.read(f, what: "source \(s.name): git token file")
            credentials = .tokenFile(f)
        } else if let e = s.tokenEnv {
            guard let t = ProcessInfo.processInfo.environment[e], !t.isEmpty else {
                throw RunConfiguration.Problem(description: "source \(s.name): environment variable \(e) is not set")
            }
            credentials = .token(t)
        } else if let u = s.username, let p = s.passwordFile {
            _ = try SecretFile.read(p, what: "source \(s.name): git password file")
            credentials = .basicPasswordFile(username: u, passwordFile: p)
        } else if let k = s.sshKey {
            credentials = .sshKey(username: "git", privateKeyPath: k, publicKeyPath: FileManager.default.fileExists(atPath: k + ".pub") ? k + ".pub" : nil)
        }
        if let ca = s.caFile { try addTrustedCertificates(file: ca) }
        return GitTransportOptions(credentials: credentials, knownHostsFile: s.sshKnownHosts)
    }

    /// The reconcilers that run while this replica leads.
    struct Reconcilers: Sendable {
        let sources: [SourceController]
        let gitSources: GitSourceController<GitSourceFactory>?
        let rollouts: RolloutController?
        let promotions: PromotionController?
        /// NotificationChannel objects, with the rollout controller (which publishes to them).
        let notifications: NotificationChannelController?
        /// Every source, the settings' and the GitSource objects': what a push triggers.
        let catalog: SourceCatalog
    }

    /// Runs until SIGTERM or SIGINT (when `stopsOnSignals`) or until the task is cancelled (a
    /// caller with signal handling of its own, such as the demo, cancels it).
    public func run(stopsOnSignals: Bool = true) async throws {
        let metrics = SluiceMetrics()
        let identity = Self.identity()
        var cluster = try self.cluster ?? KubeConfigLoader.load(.init(kubeconfig: settings.kubeconfig, context: settings.context))
        cluster.qps = settings.qps
        cluster.burst = settings.burst
        let client = Self.kubeClient(cluster, settings: settings, metrics: metrics, userAgent: "sluice/\(SluiceVersion.current) (\(identity))")
        let http = HTTPClient()
        defer { http.shutdown() }
        let reconcilers = try await makeReconcilers(cluster: cluster, client: client, http: http, metrics: metrics, identity: identity)
        let elector = leaderElector(client: client, identity: identity, metrics: metrics)
        metrics.leader(elector == nil)
        let server = try endpointServer(reconcilers, elector: elector, client: client, metrics: metrics)
        logger.info(
            "sluice starting",
            metadata: [
                "identity": "\(identity)",
                "sources": "\(settings.sources.map { "\($0.name)=\(Redaction.scrubURLCredentials($0.repo))" }.joined(separator: ","))",
                "cluster": "\(cluster.origin)", "listen": "\(settings.listenHost):\(settings.listenPort)",
                "leaderElection": "\(settings.leaderElection.enabled)",
            ])
        let controllers = ControllersService(elector: elector, logger: logger) { [settings, logger] in
            await Self.runAll(reconcilers, workers: settings.workers, logger: logger)
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: EndpointService(server)), .init(service: controllers)],
                gracefulShutdownSignals: stopsOnSignals ? [.sigterm, .sigint] : [],
                logger: logger))
        try await group.run()
        client.shutdown()
        logger.info("stopped")
    }

    static func kubeClient(_ config: ClusterConfig, settings: RunConfiguration, metrics: SluiceMetrics, userAgent: String) -> KubeClient {
        KubeClient(
            config: config, maxConnections: max(4, settings.concurrency),
            observer: { verb, code, seconds in metrics.apiRequest(verb: verb, code: code, seconds: seconds) }, userAgent: userAgent,
            logger: Logger(label: "sluice.kube"))
    }

    func commitSigner() throws -> SSHCommitSigner? {
        let signer = try settings.commitSigningKey.map { file in
            let text = try SecretFile.read(file, what: "--commit-signing-key")
            do {
                return SSHCommitSigner(key: try Ed25519Key(openSSH: text))
            } catch {
                throw RunConfiguration.Problem(description: "--commit-signing-key \(file): \(error)")
            }
        }
        if signer == nil { logger.warning("no --commit-signing-key: Sluice's commits are unsigned, and `sluice history` will not trust their trailers") }
        return signer
    }

    /// The settings' sources, the GitSource controller that adds the objects' ones, and the
    /// rollout and promotion controllers, all on one client and one catalog of sources.
    func makeReconcilers(cluster: ClusterConfig, client: KubeClient, http: HTTPClient, metrics: SluiceMetrics, identity: String) async throws
        -> Reconcilers
    {
        // Read once for every source of the settings that may render a chart.
        let capabilities = settings.sources.contains { $0.render.wantsCapabilities } ? try await ClusterCapabilities.read(from: client) : nil
        let builder = SourceBuilder(
            settings: settings, cluster: cluster, client: client, metrics: metrics, signer: try commitSigner(), events: EventRecorder(client: client),
            capabilities: capabilities,
            makeClient: { [settings] config, source in
                Self.kubeClient(config, settings: settings, metrics: metrics, userAgent: "sluice/\(SluiceVersion.current) (\(identity); source \(source))")
            })
        let catalog = SourceCatalog()
        let hub = parts.contains(.rollouts) ? notificationHub(client: client, metrics: metrics) : nil
        let failures = hub.map { SourceFailureWatch(hub: $0) }
        let namespace = settings.controllerNamespace ?? settings.inventoryNamespace
        var fixed: [SourceController] = []
        for s in settings.sources where parts.contains(.sources) {
            let entry = try await builder.make(
                s, transport: try transport(s),
                verifier: s.verifyAllowedSigners == nil && s.verifyGPGKeyring == nil
                    ? nil : SignatureVerifier(allowedSigners: s.verifyAllowedSigners, gpgKeyring: s.verifyGPGKeyring)
            ) { name, status in Task { await failures?.observed(name, objectKind: "Source", namespace: namespace, status: status) } }
            catalog.add(s.name, git: entry.git, controller: entry.controller)
            if let c = entry.controller { fixed.append(c) }
        }
        let ownership = SourceOwnership(client: client, inventoryNamespace: settings.inventoryNamespace, sources: catalog)
        let prometheus = try self.prometheus(http)
        return Reconcilers(
            sources: fixed,
            gitSources: parts.contains(.gitSources) ? gitSourceController(builder, client: client, catalog: catalog, failures: failures) : nil,
            rollouts: parts.contains(.rollouts)
                ? rolloutController(client: client, prometheus: prometheus, ownership: ownership, metrics: metrics, notifications: hub) : nil,
            promotions: parts.contains(.promotions)
                ? promotionController(client: client, http: http, prometheus: prometheus, ownership: ownership, metrics: metrics, notifications: hub) : nil,
            notifications: hub.map {
                NotificationChannelController(
                    client: client, hub: $0, http: http, allowedURLs: settings.allowedNotificationURLs, namespaces: settings.watchNamespaces,
                    logger: Logger(label: "sluice.notifications"))
            },
            catalog: catalog)
    }

    func gitSourceController(_ builder: SourceBuilder, client: KubeClient, catalog: SourceCatalog, failures: SourceFailureWatch?)
        -> GitSourceController<GitSourceFactory>
    {
        let controllerNamespace = settings.controllerNamespace ?? settings.inventoryNamespace
        return GitSourceController(
            client: client, factory: GitSourceFactory(builder: builder, client: client, controllerNamespace: controllerNamespace), catalog: catalog,
            namespaces: settings.watchNamespaces.isEmpty ? [] : Array(Set(settings.watchNamespaces + [controllerNamespace])).sorted(), failures: failures,
            logger: Logger(label: "sluice.gitsource"))
    }

    func prometheus(_ http: HTTPClient) throws -> PrometheusClient? {
        guard parts.contains(.rollouts) || parts.contains(.promotions) else { return nil }
        let prometheus = try settings.prometheusURL.map {
            PrometheusClient(
                baseURL: $0, http: http, bearerToken: try settings.prometheusTokenFile.map { try SecretFile.read($0, what: "--prometheus-token-file") })
        }
        if prometheus == nil { logger.warning("no Prometheus configured: canaries with SLOs hold, then roll back after errorLimit") }
        return prometheus
    }

    func rolloutController(
        client: KubeClient, prometheus: PrometheusClient?, ownership: SourceOwnership, metrics: SluiceMetrics, notifications: NotificationHub?
    )
        -> RolloutController
    {
        RolloutController(
            client: client, prometheus: prometheus, logger: Logger(label: "sluice.rollout"), namespaces: settings.watchNamespaces,
            reverter: GitSourceReverter(ownership: ownership, logger: Logger(label: "sluice.revert")), metrics: metrics, podPolicy: settings.podPolicy,
            notifications: notifications)
    }

    /// A delivery that failed for good is an Event on its NotificationChannel, besides the log
    /// line and the counter.
    func notificationHub(client: KubeClient, metrics: SluiceMetrics) -> NotificationHub {
        let events = EventRecorder(client: client)
        return NotificationHub(metrics: metrics, logger: Logger(label: "sluice.notifications")) { channel, event, error in
            let ref = ObjectKey.reference(channel, apiVersion: NotificationChannelController.apiVersion, kind: NotificationChannelController.kind)
            Task { await events.post(ref, uid: nil, kind: .warning, reason: "NotDelivered", message: "\(event.kind.rawValue) of \(event.name): \(error)") }
        }
    }

    func promotionController(
        client: KubeClient, http: HTTPClient, prometheus: PrometheusClient?, ownership: SourceOwnership, metrics: SluiceMetrics, notifications: NotificationHub?
    ) -> PromotionController {
        PromotionController(
            client: client,
            registries: { [allowed = settings.allowedRegistryURLs] spec in
                MLflowRegistry(
                    baseURL: spec.url, model: spec.model, http: http, allowed: AllowedURLs(allowed),
                    token: spec.tokenSecret.map { SecretRegistryToken(client: client, reference: $0) })
            },
            committer: GitPromotionCommitter(ownership: ownership), prometheus: prometheus, logger: Logger(label: "sluice.promotion"),
            namespaces: settings.watchNamespaces, interval: settings.promotionInterval, metrics: metrics, notifications: notifications)
    }

    func leaderElector(client: KubeClient, identity: String, metrics: SluiceMetrics) -> LeaderElector? {
        guard settings.leaderElection.enabled else { return nil }
        return LeaderElector(
            client: client,
            configuration: .init(
                namespace: settings.leaderElection.namespace, name: settings.leaderElection.name, identity: identity,
                leaseDuration: settings.leaderElection.leaseDuration, renewDeadline: settings.leaderElection.renewDeadline,
                retryPeriod: settings.leaderElection.retryPeriod),
            logger: Logger(label: "sluice.leader"), onChange: { metrics.leader($0) })
    }

    /// Health, readiness, metrics, the git webhook and approvals, on `--listen`.
    func endpointServer(_ r: Reconcilers, elector: LeaderElector?, client: KubeClient, metrics: SluiceMetrics) throws -> EndpointServer {
        let approvals = ApprovalService(client: client, review: { try await client.review($0) }, logger: Logger(label: "sluice.approvals"))
        let secret = try settings.webhookSecretFile.map { try SecretFile.read($0, what: "--webhook-secret-file") }
        let (catalog, rollouts) = (r.catalog, r.rollouts)
        return EndpointServer(
            host: settings.listenHost, port: settings.listenPort,
            handlers: EndpointHandlers(
                onPush: {
                    let all = catalog.controllers
                    for s in all { await s.trigger(.webhook) }
                    return all.map(\.name).sorted()
                }, webhook: secret.map { WebhookVerifier(secret: $0) },
                ready: {
                    // Ready when leading with synced caches, or standing by.
                    if let elector, await !elector.isLeader { return (true, "standby (leader: \(await elector.holder ?? "none"))") }
                    guard let rollouts else { return (true, "syncing") }
                    if await rollouts.synced { return (true, "leading") }
                    if await rollouts.crdMissing { return (true, "leading (the ModelDeployment CRD is not installed; plain manifests only)") }
                    return (false, "leading, caches not synced yet")
                },
                metrics: {
                    if let rollouts { metrics.queueDepth(controller: "rollout", depth: await rollouts.queue.depth) }
                    return metrics.exposition()
                },
                approve: { [approvals] token, body in
                    // A body that does not decode is the caller's error: 400, nothing approved.
                    guard let request = try? JSONDecoder().decode(ApprovalService.Request.self, from: Data(body)) else {
                        return (400, "the body must be JSON: {\"namespace\", \"pipeline\", \"environment\", \"version\"}")
                    }
                    let outcome = await approvals.approve(token: token, request)
                    return (outcome.status, outcome.message)
                }),
            logger: logger)
    }

    /// Every reconciler, until leadership ends or the process stops.
    static func runAll(_ r: Reconcilers, workers: Int, logger: Logger) async {
        await withTaskGroup(of: Void.self) { group in
            for s in r.sources {
                group.addTask {
                    await s.run()
                    logger.debug("source controller stopped", metadata: ["source": "\(s.name)"])
                }
            }
            if let gitSources = r.gitSources {
                group.addTask {
                    await gitSources.run()
                    logger.debug("GitSource controller stopped")
                }
            }
            if let rollouts = r.rollouts {
                group.addTask {
                    await rollouts.run(workers: workers)
                    logger.debug("rollout controller stopped")
                }
            }
            if let promotions = r.promotions {
                group.addTask {
                    await promotions.run()
                    logger.debug("promotion controller stopped")
                }
            }
            if let notifications = r.notifications {
                group.addTask {
                    await notifications.run()
                    logger.debug("notification controller stopped")
                }
            }
        }
    }
}
