import ArgumentParser
import Controller
import Foundation
import HTTP
import Kube
import Logging
import Prometheus
import Sync

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the controller: keep a git source applied and roll ModelDeployments out as canaries.",
        discussion: """
            One process runs the sync loop for the git source (polling, webhooks, drift healing) and \
            the ModelDeployment controller, which moves traffic step by step and queries Prometheus \
            for each SLO. All rollout state lives in the ModelDeployments' status: a controller killed \
            at any moment resumes where it was.
            """)

    @OptionGroup var desired: DesiredStateOptions
    @OptionGroup var kube: KubeOptions
    @OptionGroup var loop: LoopOptions

    @Option(help: ArgumentHelp("Prometheus base URL for SLO queries.", valueName: "url"))
    var prometheusURL: String?

    @Option(help: ArgumentHelp("File holding a bearer token for Prometheus.", valueName: "file"))
    var prometheusTokenFile: String?

    @Option(help: "ModelDeployments reconciled in parallel.")
    var workers = 4

    @Option(help: "Applies and dry runs in flight at once during a sync.")
    var concurrency = 16

    @Flag(inversion: .prefixedNo, help: "Delete objects that left git.")
    var prune = true

    func validate() throws {
        if desired.local != nil { throw ValidationError("sluice run follows git: give --repo, not --local") }
        if let url = prometheusURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw ValidationError("--prometheus-url: '\(url)' is not an http(s) URL")
        }
    }

    func run() async throws {
        StructuredLogHandler.bootstrap(format: loop.logFormat, level: loop.logLevel)
        let logger = Logger(label: "sluice")
        let client: KubeClient
        do {
            client = try kube.client(concurrency: concurrency)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(2)
        }
        let options = SyncOptions(source: desired.name, inventoryNamespace: kube.resolvedInventoryNamespace, concurrency: concurrency, prune: prune)
        let git = try desired.git.source()
        let source = SourceController(
            name: options.source, git: git, syncer: Syncer(client: client, options: options), interval: loop.interval.seconds,
            logger: Logger(label: "sluice.sync"))
        let http = HTTPClient()
        let prometheus = try prometheusURL.map {
            PrometheusClient(baseURL: $0, http: http, bearerToken: try prometheusTokenFile.map { try SecretFile.read($0, what: "--prometheus-token-file") })
        }
        if prometheus == nil { logger.warning("no --prometheus-url: canaries with SLOs will hold and then roll back after errorLimit") }
        let rollouts = RolloutController(
            client: client, prometheus: prometheus, logger: Logger(label: "sluice.rollout"),
            reverter: GitSourceReverter(sources: [options.source: git], logger: Logger(label: "sluice.revert")))
        let secret = try loop.webhookSecretFile.map { try SecretFile.read($0, what: "--webhook-secret-file") }
        let (host, port) = loop.hostAndPort!
        let server = EndpointServer(
            host: host, port: port,
            handlers: EndpointHandlers(
                onPush: {
                    source.trigger(.webhook)
                    return [source.name]
                }, webhook: secret.map(WebhookVerifier.init(secret:)),
                ready: { await rollouts.synced ? (true, "ok") : (false, "ModelDeployment cache not synced yet (is the CRD installed?)") }),
            logger: logger)
        try await server.start()
        logger.info("sluice running", metadata: ["address": "\(host):\(server.port)", "source": "\(options.source)", "repo": "\(desired.git.spec)"])
        let signals = SignalWatcher()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await source.run() }
            group.addTask { await rollouts.run(workers: workers) }
            group.addTask {
                let s = await signals.wait()
                logger.info("stopping", metadata: ["signal": "\(s)"])
            }
            await group.next()
            group.cancelAll()
        }
        await server.stop()
        http.shutdown()
        client.shutdown()
    }
}
