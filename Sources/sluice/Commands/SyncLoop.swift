import ArgumentParser
import ClusterSync
import ControllerProcess
import Kube
import Logging

/// The continuous form of `sluice sync`: one source kept applied, through the same composition
/// root as `sluice run` (its sources only: no rollouts, promotions or GitSource objects, and no
/// leader election).
enum SyncLoopCommand {
    static func run(desired: DesiredStateOptions, kube: KubeOptions, cluster: ClusterConfig, options: SyncOptions, loop: LoopOptions) async throws {
        guard desired.local == nil else { throw ValidationError("--local works only with --once (a directory has no commits to follow)") }
        StructuredLogHandler.bootstrap(format: loop.logFormat, level: loop.logLevel)
        let settings = try settings(desired: desired, kube: kube, options: options, loop: loop)
        try await Controllers(settings: settings, parts: .sources, cluster: cluster, logger: Logger(label: "sluice.sync")).run()
    }

    /// The loop's flags as the controller's settings: checked as `sluice run` checks them.
    static func settings(desired: DesiredStateOptions, kube: KubeOptions, options: SyncOptions, loop: LoopOptions) throws -> RunConfiguration {
        let git = desired.git
        var flags: [String: String] = [
            "repo": git.repo ?? ".", "path": git.path, "source-name": options.source, "listen": loop.listen, "leader-election": "false",
            "inventory-namespace": options.inventoryNamespace, "concurrency": "\(options.concurrency)", "prune": "\(options.prune)",
            "qps": "\(kube.qps)", "burst": "\(kube.burst)", "cache-dir": git.cacheDir ?? GitOptions.defaultCacheDirectory(),
            "log-level": loop.logLevel.rawValue, "log-format": loop.logFormat.rawValue,
        ]
        let optional: [String: String?] = [
            "ref": git.ref, "git-token-file": git.gitTokenFile, "git-token-env": git.gitTokenEnv, "git-username": git.gitUsername,
            "git-password-file": git.gitPasswordFile, "ssh-key": git.sshKey, "ssh-known-hosts": git.sshKnownHosts, "git-ca-file": git.gitCaFile,
            "webhook-secret-file": loop.webhookSecretFile, "kubeconfig": kube.kubeconfig, "context": kube.context,
        ]
        for case (let key, let value?) in optional { flags[key] = value }
        var settings: RunConfiguration
        do {
            settings = try RunConfiguration.resolve(flags: flags, environment: [:], file: nil)
        } catch let problem as RunConfiguration.Problem {
            throw ValidationError(problem.description)
        }
        settings.sources[0].interval = loop.interval.seconds
        settings.sources[0].render = git.rendering.options
        settings.sources[0].targetNamespaces = options.targetNamespaces
        settings.sources[0].allowClusterScoped = options.allowClusterScoped
        settings.sources[0].adopt = options.adopt
        settings.sources[0].allowEmpty = options.allowEmpty
        return settings
    }
}
