public import ArgumentParser
import ClusterSync
import Controller
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

/// `run`, the same in the `sluice` CLI and in `sluice-controller`, the image's binary.
public struct Run: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
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
    @Option(help: "How often each ModelPipeline is checked again: registry polls, soak clocks (default 30s).") var promotionInterval: String?
    @Option(help: "Applies and dry runs in flight during a sync (default 16).") var concurrency: String?
    @Option(help: "Where git mirrors are cached.") var cacheDir: String?
    @Option(help: ArgumentHelp("Kubeconfig (default: in-cluster credentials in a pod, else $KUBECONFIG).", valueName: "file")) var kubeconfig: String?
    @Option(help: "Kubeconfig context.") var context: String?
    @Option(help: "Client-side API rate limit, requests per second (default 50; 0: none).") var qps: String?
    @Option(help: "Burst above --qps (default 100).") var burst: String?
    @Option(help: "Where renders write their checkouts, apart from the git cache (default: the system's temporary directory).") var renderDir: String?
    @Option(help: "Most files read from one commit (default 20000).") var maxCommitFiles: String?
    @Option(help: "Most bytes of those files together (default 128Mi).") var maxCommitBytes: String?
    @Option(help: "Most bytes of YAML parsed from one commit or render (default 32Mi).") var maxManifestBytes: String?
    @Option(help: "Most YAML nodes, aliases expanded, from one commit or render (default 2000000).") var maxManifestNodes: String?
    @Option(help: "Most YAML nodes added by aliases in one commit or render (default 500000).") var maxAliasNodes: String?
    @Option(help: ArgumentHelp("Comma-separated registry URLs (prefixes) ModelPipelines may name (default: none).", valueName: "url"))
    var allowedRegistryUrl: String?
    @Option(
        help: ArgumentHelp(
            "Comma-separated URLs (prefixes) NotificationChannels may post to besides Slack's (default: none: Slack only).", valueName: "url"))
    var allowedNotificationUrl: String?
    @Option(help: ArgumentHelp("OpenSSH ed25519 private key Sluice signs its commits with (default: unsigned).", valueName: "file"))
    var commitSigningKey: String?
    @Option(help: "Comma-separated service accounts (name, or namespace/name) a ModelDeployment template may name besides default (default: none).")
    var allowedServiceAccounts: String?
    @Option(help: "Let ModelDeployment templates mount hostPath volumes: true or false (default false).") var allowHostPath: String?
    @Option(help: "Let ModelDeployment templates ask for privileged init containers, added capabilities, host ports, sysctls (default false).")
    var allowPrivilegedPods: String?
    @Option(help: ArgumentHelp("Apply only commits with an SSH signature from this allowed_signers file.", valueName: "file"))
    var verifySshAllowedSigners: String?
    @Option(help: ArgumentHelp("Apply only commits with an OpenPGP signature from this gpgv keyring.", valueName: "file"))
    var verifyGpgKeyring: String?
    @Option(help: "Comma-separated namespaces the source may write in (default: any); cluster-scoped kinds are then refused.") var targetNamespaces: String?
    @Option(help: "With --target-namespaces, allow cluster-scoped kinds anyway: true or false.") var allowClusterScoped: String?
    @Option(help: "Take over live objects no Sluice source marks (objects made before Sluice): true or false (default false).") var adopt: String?
    @Option(help: ArgumentHelp("Apply, diff and prune the source's objects as this service account (impersonated).", valueName: "namespace/name"))
    var serviceAccount: String?

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

    public init() {}

    public func run() async throws {
        MemoryTuning.configure()
        let settings: RunConfiguration
        do {
            settings = try RunConfiguration.resolve(flags: flags, environment: ProcessInfo.processInfo.environment, file: config)
        } catch {
            FileHandle.standardError.write(Data("error: invalid configuration: \(error)\n".utf8))
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
