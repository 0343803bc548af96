import ArgumentParser
import ClusterSync
import Controller
import ControllerProcess
import Endpoints
import Foundation
import Kube
import Logging
import Sync

/// The continuous form of `sluice sync`: one source, kept applied.
enum SyncLoopCommand {
    static func run(desired: DesiredStateOptions, client: KubeClient, options: SyncOptions, loop: LoopOptions) async throws {
        guard desired.local == nil else { throw ValidationError("--local works only with --once (a directory has no commits to follow)") }
        StructuredLogHandler.bootstrap(format: loop.logFormat, level: loop.logLevel)
        let logger = Logger(label: "sluice.sync")
        let secret = try loop.webhookSecretFile.map { try SecretFile.read($0, what: "--webhook-secret-file") }
        let metrics = SluiceMetrics()
        let controller = SourceController(
            name: options.source, git: try await desired.git.source(for: client), syncer: Syncer(client: client, options: options),
            interval: loop.interval.seconds,
            logger: logger, metrics: metrics)
        let (host, port) = loop.hostAndPort!
        let server = EndpointServer(
            host: host, port: port,
            handlers: EndpointHandlers(
                onPush: {
                    await controller.trigger(.webhook)
                    return [controller.name]
                }, webhook: secret.map { WebhookVerifier(secret: $0) }, metrics: { metrics.exposition() }),
            logger: logger)
        try await server.start()
        logger.info("listening", metadata: ["address": "\(host):\(server.port)", "source": "\(options.source)", "repo": "\(desired.git.spec)"])
        let signals = SignalWatcher()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await controller.run() }
            group.addTask {
                await signals.wait()
                logger.info("stopping")
            }
            await group.next()
            group.cancelAll()
        }
        await server.stop()
        client.shutdown()
    }
}
