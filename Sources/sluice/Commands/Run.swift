import ArgumentParser
import ClusterSync
import Controller
import ControllerProcess
import ControllerRuntime
import DesiredState
import Endpoints
import Foundation
import Git
import HTTP
import Kube
import LeaderElection
import Logging
import PrometheusQuery
import ServiceLifecycle
import Sync

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the controller: keep git sources applied and roll ModelDeployments out as canaries.",
        discussion: """
            One process runs the sync loop of every git source (polling, webhooks, drift healing) \
            and the ModelDeployment controller, which moves traffic step by step and checks each \
            SLO in Prometheus. All rollout state lives in the resources' status, so a controller \
            killed at any moment resumes where it was.

            Settings come from flags, else SLUICE_<FLAG> environment variables (SLUICE_REPO, \
            SLUICE_PROMETHEUS_URL, ...), else the YAML file given with --config (camelCase keys, and \
            a `sources` list for several repositories); see docs/operations.md. Invalid settings \
            stop the process at start-up with a message naming the setting.

            With leader election (the default), only the replica holding the Lease reconciles; the \
            others stand by and take over within the lease duration. SIGTERM stops taking work, \
            releases the lease and exits 0. In a pod, in-cluster credentials are used.

            Endpoints on --listen: /healthz (alive), /readyz (caches synced, leading or standing \
            by), /metrics (Prometheus), POST /hooks/git (webhooks).
            """)

    @Option(help: ArgumentHelp("YAML configuration file (also SLUICE_CONFIG).", valueName: "file")) var config: String?
    @Option(help: ArgumentHelp("Git repository of the single source.", valueName: "path-or-url")) var repo: String?
    @Option(help: "Branch, tag or commit (default: the remote's default branch).") var ref: String?
    @Option(help: "Directory within the repository (default: all of it).") var path: String?
    @Option(help: "Name of the source (default: from the repository and path).") var sourceName: String?
    @Option(help: "How the path becomes objects: auto, plain, kustomize or helm (default auto; options per source in --config).") var render: String?
    @Option(help: "Git poll interval (default 60s).") var interval: String?
    @Option(help: "Delete objects that left git: true or false (default true).") var prune: String?
    @Option(help: ArgumentHelp("HTTPS token for the repository.", valueName: "file")) var gitTokenFile: String?
    @Option(help: ArgumentHelp("Environment variable holding the HTTPS token.", valueName: "name")) var gitTokenEnv: String?
    @Option(help: "HTTPS user name (with --git-password-file).") var gitUsername: String?
    @Option(help: ArgumentHelp("HTTPS password.", valueName: "file")) var gitPasswordFile: String?
    @Option(help: ArgumentHelp("SSH private key.", valueName: "file")) var sshKey: String?
    @Option(help: ArgumentHelp("SSH known_hosts.", valueName: "file")) var sshKnownHosts: String?
    @Option(help: ArgumentHelp("Extra CA certificates for the git server.", valueName: "file")) var gitCaFile: String?
    @Option(help: ArgumentHelp("Prometheus base URL for SLO queries.", valueName: "url")) var prometheusUrl: String?
    @Option(help: ArgumentHelp("Bearer token for Prometheus.", valueName: "file")) var prometheusTokenFile: String?
    @Option(help: "Address of the endpoints (default 0.0.0.0:8080).") var listen: String?
    @Option(help: "trace, debug, info (default), notice, warning, error or critical.") var logLevel: String?
    @Option(help: "logfmt (default) or json.") var logFormat: String?
    @Option(help: "Comma-separated namespaces to watch, for namespace-scoped RBAC (default: the whole cluster).") var watchNamespace: String?
    @Option(help: "Namespace of inventories (default: the pod's namespace, else default).") var inventoryNamespace: String?
    @Option(help: ArgumentHelp("Shared secret for git webhooks.", valueName: "file")) var webhookSecretFile: String?
    @Option(help: "Leader election: true (default) or false.") var leaderElection: String?
    @Option(help: "Namespace of the Lease (default: the inventory namespace).") var leaderElectionNamespace: String?
    @Option(help: "Name of the Lease (default sluice-leader).") var leaderElectionName: String?
    @Option(help: "Lease duration (default 15s).") var leaseDuration: String?
    @Option(help: "Renew deadline (default 10s).") var renewDeadline: String?
    @Option(help: "Retry period (default 2s).") var retryPeriod: String?
    @Option(help: "ModelDeployments reconciled in parallel (default 4).") var workers: String?
    @Option(help: "Applies and dry runs in flight during a sync (default 16).") var concurrency: String?
    @Option(help: "Where git mirrors are cached.") var cacheDir: String?
    @Option(help: ArgumentHelp("Kubeconfig (default: in-cluster credentials in a pod, else $KUBECONFIG).", valueName: "file")) var kubeconfig: String?
    @Option(help: "Kubeconfig context.") var context: String?
    @Option(help: "Client-side API rate limit, requests per second (default 50; 0: none).") var qps: String?
    @Option(help: "Burst above --qps (default 100).") var burst: String?

    /// The settings given on the command line, by flag name. Read off the options themselves,
    /// so the list of settings is `RunConfiguration.keys` alone (a test holds the options to it).
    var flags: [String: String] {
        var out: [String: String] = [:]
        for child in Swift.Mirror(reflecting: self).children {
            guard let label = child.label, label != "_config", let option = child.value as? Option<String?>, let value = option.wrappedValue else { continue }
            out[RunConfiguration.flagName(property: String(label.dropFirst()))] = value
        }
        return out
    }

    func run() async throws {
        MemoryTuning.configure()
        let settings: RunConfiguration
        do {
            settings = try RunConfiguration.resolve(flags: flags, environment: ProcessInfo.processInfo.environment, file: config)
        } catch {
            Terminal.error("invalid configuration: \(error)")
            throw ExitCode(2)
        }
        StructuredLogHandler.bootstrap(format: settings.logFormat == "json" ? .json : .logfmt, level: Logger.Level(rawValue: settings.logLevel) ?? .info)
        let logger = Logger(label: "sluice")
        let scavenger = Task.detached(priority: .background) { await MemoryTuning.scavenge() }
        defer { scavenger.cancel() }
        do {
            try await Controllers(settings: settings, logger: logger).run()
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}

/// Everything `sluice run` wires together.
struct Controllers {
    let settings: RunConfiguration
    let logger: Logger

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

    func run() async throws {
        let metrics = SluiceMetrics()
        let identity = Self.identity()
        var cluster = try KubeConfigLoader.load(.init(kubeconfig: settings.kubeconfig, context: settings.context))
        cluster.qps = settings.qps
        cluster.burst = settings.burst
        let client = KubeClient(
            config: cluster, maxConnections: max(4, settings.concurrency),
            observer: { verb, code, seconds in metrics.apiRequest(verb: verb, code: code, seconds: seconds) },
            userAgent: "sluice/\(SluiceVersion.current) (\(identity))", logger: Logger(label: "sluice.kube"))
        let events = EventRecorder(client: client)
        var sourceList: [SourceController] = []
        var gits: [String: GitSource] = [:]
        // Read once for every source that may render a chart.
        let capabilities = settings.sources.contains { $0.render.wantsCapabilities } ? try await ClusterCapabilities.read(from: client) : nil
        for s in settings.sources {
            var render = s.render
            if render.wantsCapabilities, let capabilities { render = render.with(capabilities) }
            let git = GitSource(
                spec: GitSourceSpec(url: GitOptions.normalizedURL(s.repo), ref: s.ref, path: s.path), cacheDirectory: settings.cacheDirectory,
                transport: try transport(s), render: render)
            gits[s.name] = git
            let syncer = Syncer(
                client: client,
                options: SyncOptions(
                    source: s.name, inventoryNamespace: settings.inventoryNamespace, concurrency: settings.concurrency, prune: s.prune, detailedPlan: false))
            var log = Logger(label: "sluice.sync")
            log[metadataKey: "source"] = "\(s.name)"
            sourceList.append(
                SourceController(
                    name: s.name, git: git, syncer: syncer, interval: s.interval, logger: log, metrics: metrics, events: events,
                    namespaces: settings.watchNamespaces))
        }
        let sources = sourceList
        let http = HTTPClient()
        defer { http.shutdown() }
        let prometheus = try settings.prometheusURL.map {
            PrometheusClient(
                baseURL: $0, http: http, bearerToken: try settings.prometheusTokenFile.map { try SecretFile.read($0, what: "--prometheus-token-file") })
        }
        if prometheus == nil { logger.warning("no Prometheus configured: canaries with SLOs hold, then roll back after errorLimit") }
        let rollouts = RolloutController(
            client: client, prometheus: prometheus, logger: Logger(label: "sluice.rollout"), namespaces: settings.watchNamespaces,
            reverter: GitSourceReverter(sources: gits, logger: Logger(label: "sluice.revert")), metrics: metrics)
        let elector =
            settings.leaderElection.enabled
            ? LeaderElector(
                client: client,
                configuration: .init(
                    namespace: settings.leaderElection.namespace, name: settings.leaderElection.name, identity: identity,
                    leaseDuration: settings.leaderElection.leaseDuration, renewDeadline: settings.leaderElection.renewDeadline,
                    retryPeriod: settings.leaderElection.retryPeriod),
                logger: Logger(label: "sluice.leader"), onChange: { metrics.leader($0) })
            : nil
        metrics.leader(elector == nil)
        let secret = try settings.webhookSecretFile.map { try SecretFile.read($0, what: "--webhook-secret-file") }
        let leading = LeaderState()
        let server = EndpointServer(
            host: settings.listenHost, port: settings.listenPort,
            handlers: EndpointHandlers(
                onPush: {
                    for s in sources { await s.trigger(.webhook) }
                    return sources.map(\.name)
                }, webhook: secret.map(WebhookVerifier.init(secret:)),
                ready: {
                    // Ready when leading with synced caches, or standing by.
                    if let elector, await !elector.isLeader { return (true, "standby (leader: \(await elector.holder ?? "none"))") }
                    if await rollouts.synced { return (true, "leading") }
                    if await rollouts.crdMissing { return (true, "leading (the ModelDeployment CRD is not installed; plain manifests only)") }
                    return (false, "leading, caches not synced yet")
                },
                metrics: {
                    metrics.queueDepth(controller: "rollout", depth: await rollouts.queue.depth)
                    return metrics.exposition()
                }),
            logger: logger)
        logger.info(
            "sluice starting",
            metadata: [
                "identity": "\(identity)",
                "sources": "\(settings.sources.map { "\($0.name)=\(Redaction.scrubURLCredentials($0.repo))" }.joined(separator: ","))",
                "cluster": "\(cluster.origin)", "listen": "\(settings.listenHost):\(settings.listenPort)",
                "leaderElection": "\(settings.leaderElection.enabled)",
            ])
        let controllers = ControllersService(elector: elector, logger: logger) {
            await leading.set(true)
            await withTaskGroup(of: Void.self) { group in
                for s in sources {
                    group.addTask {
                        await s.run()
                        logger.debug("source controller stopped", metadata: ["source": "\(s.name)"])
                    }
                }
                group.addTask {
                    await rollouts.run(workers: settings.workers)
                    logger.debug("rollout controller stopped")
                }
            }
            await leading.set(false)
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: EndpointService(server)), .init(service: controllers)], gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        client.shutdown()
        logger.info("stopped")
    }
}

actor LeaderState {
    var leading = false
    func set(_ v: Bool) { leading = v }
}
