import DesiredState
public import Foundation
import Git
import ModelRegistry
import Rendering
import Rollout
import Sync
import Values

extension RunConfiguration {
    /// Merges the three layers and checks every value.
    /// - Parameters:
    ///   - flags: values given on the command line, by flag name (only those given).
    ///   - environment: the process environment.
    ///   - file: the path of a YAML configuration file, if any.
    public static func resolve(flags: [String: String], environment: [String: String], file: String?, home: String = NSHomeDirectory()) throws
        -> RunConfiguration
    {
        let l = try SettingLayers(flags: flags, environment: environment, file: file)
        let (host, port) = try listen(l)
        if let url = l.string("prometheus-url"), !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw Problem(description: "\(l.origin("prometheus-url")): '\(url)' is not an http(s) URL")
        }
        let inventoryNamespace = l.string("inventory-namespace") ?? environment["POD_NAMESPACE"] ?? "default"
        let cacheDirectory = l.string("cache-dir") ?? environment["SLUICE_CACHE_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.cache/sluice/git"
        let qpsText = l.string("qps") ?? "50"
        guard let qps = Double(qpsText), qps >= 0 else { throw Problem(description: "\(l.origin("qps")): '\(qpsText)' must be a number ≥ 0") }
        var configuration = RunConfiguration(
            sources: try sources(l), prometheusURL: l.string("prometheus-url"), prometheusTokenFile: try l.existing("prometheus-token-file"),
            listenHost: host, listenPort: port,
            logLevel: try l.choice("log-level", "info", among: ["trace", "debug", "info", "notice", "warning", "error", "critical"]),
            logFormat: try l.choice("log-format", "logfmt", among: ["logfmt", "json"]), watchNamespaces: try l.namespaceList("watch-namespace"),
            inventoryNamespace: inventoryNamespace, webhookSecretFile: try l.existing("webhook-secret-file"),
            leaderElection: try leaderElection(l, inventoryNamespace: inventoryNamespace), workers: try l.int("workers", 4, range: 1...64),
            promotionInterval: try l.duration("promotion-interval", 30, min: 1), concurrency: try l.int("concurrency", 16, range: 1...256),
            cacheDirectory: cacheDirectory, renderDirectory: try renderDirectory(l, cache: cacheDirectory), sourceLimits: try sourceLimits(l),
            allowedRegistryURLs: try registries(l), allowedNotificationURLs: try urlPrefixes(l, "allowed-notification-url"),
            commitSigningKey: try l.existing("commit-signing-key"),
            podPolicy: PodPolicy(
                serviceAccounts: Set(l.list("allowed-service-accounts")), hostPath: try l.bool("allow-host-path", false),
                privileged: try l.bool("allow-privileged-pods", false)),
            kubeconfig: try l.existing("kubeconfig"), context: l.string("context"), qps: qps, burst: try l.int("burst", 100, range: 1...10_000))
        configuration.controllerNamespace = environment["POD_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 }
        return configuration
    }

    static func listen(_ l: SettingLayers) throws -> (String, Int) {
        let listen = l.string("listen") ?? "0.0.0.0:8080"
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw Problem(description: "\(l.origin("listen")): '\(listen)' is not host:port")
        }
        return (String(listen[..<colon]), port)
    }

    static func leaderElection(_ l: SettingLayers, inventoryNamespace: String) throws -> LeaderElection {
        let lease = try l.duration("lease-duration", 15, min: 1)
        let renew = try l.duration("renew-deadline", 10, min: 1)
        let retry = try l.duration("retry-period", 2, min: 0.1)
        if renew >= lease {
            throw Problem(description: "\(l.origin("renew-deadline")): must be shorter than the lease duration (\(DurationText.format(lease)))")
        }
        if retry >= renew {
            throw Problem(description: "\(l.origin("retry-period")): must be shorter than the renew deadline (\(DurationText.format(renew)))")
        }
        return LeaderElection(
            enabled: try l.bool("leader-election", true), namespace: l.string("leader-election-namespace") ?? inventoryNamespace,
            name: l.string("leader-election-name") ?? "sluice-leader", leaseDuration: lease, renewDeadline: renew, retryPeriod: retry)
    }

    /// Never beside the git cache: a render must not be able to reach a mirror.
    static func renderDirectory(_ l: SettingLayers, cache: String) throws -> String? {
        let renderDirectory = l.string("render-dir")
        if let renderDirectory, isInside(renderDirectory, cache) || isInside(cache, renderDirectory) {
            throw Problem(description: "\(l.origin("render-dir")): must not share a directory with the git cache (\(cache)): a render must not reach a mirror")
        }
        return renderDirectory
    }

    static func registries(_ l: SettingLayers) throws -> [String] { try urlPrefixes(l, "allowed-registry-url") }

    static func urlPrefixes(_ l: SettingLayers, _ key: String) throws -> [String] {
        let urls = l.list(key)
        for url in urls where AllowedURLs.Parts(url) == nil {
            throw Problem(description: "\(l.origin(key)): '\(url)' is not an http(s) URL without user info")
        }
        return urls
    }

    static func sourceLimits(_ l: SettingLayers) throws -> SourceLimits {
        SourceLimits(
            tree: TreeLimits(
                maxFiles: try l.int("max-commit-files", TreeLimits.default.maxFiles, range: 1...10_000_000),
                maxBytes: try l.size("max-commit-bytes", TreeLimits.default.maxBytes)),
            manifests: ParseBudget.Limits(
                maxBytes: try l.size("max-manifest-bytes", ParseBudget.Limits.default.maxBytes),
                maxNodes: try l.int("max-manifest-nodes", ParseBudget.Limits.default.maxNodes, range: 1...1_000_000_000),
                maxAliasNodes: try l.int("max-alias-nodes", ParseBudget.Limits.default.maxAliasNodes, range: 0...1_000_000_000)))
    }
}
