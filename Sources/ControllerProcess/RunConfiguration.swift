public import DesiredState
public import Foundation
import Git
import ModelRegistry
public import Rendering
public import Rollout
import Sync
import YAML

/// The controller's settings, from (highest precedence first) command-line flags, `SLUICE_*`
/// environment variables, and an optional YAML file. Every problem names the setting and where
/// its value came from, and is reported at start-up, not at first use.
public struct RunConfiguration: Sendable, Equatable {
    public struct Source: Sendable, Equatable {
        public var name: String
        public var repo: String
        public var ref: String?
        public var path: String
        public var interval: Double
        public var prune: Bool
        public var tokenFile: String?
        public var tokenEnv: String?
        public var username: String?
        public var passwordFile: String?
        public var sshKey: String?
        public var sshKnownHosts: String?
        public var caFile: String?
        public var render = RenderOptions()
        /// Commits are applied only with a signature these accept (nil: unchecked).
        public var verifyAllowedSigners: String?
        public var verifyGPGKeyring: String?
        /// Where the source may write (empty: anywhere); cluster-scoped kinds with a list only
        /// when allowed; objects no source marks taken over only with `adopt`.
        public var targetNamespaces: [String] = []
        public var allowClusterScoped: Bool?
        public var adopt = false
        /// A commit with no objects may prune everything the source applied (`sluice sync
        /// --allow-empty`; never from the settings file).
        public var allowEmpty = false
        /// `namespace/name`: the service account the source's objects are applied, diffed and
        /// pruned as (impersonated); nil: the controller's own.
        public var serviceAccount: String?
    }

    public struct LeaderElection: Sendable, Equatable {
        public var enabled: Bool
        public var namespace: String
        public var name: String
        public var leaseDuration: Double
        public var renewDeadline: Double
        public var retryPeriod: Double
    }

    public var sources: [Source]
    public var prometheusURL: String?
    public var prometheusTokenFile: String?
    public var listenHost: String
    public var listenPort: Int
    public var logLevel: String
    public var logFormat: String
    /// Namespaces Sluice watches: ModelDeployments and drift (empty: the whole cluster). Set it
    /// when RBAC grants Sluice a few namespaces only.
    public var watchNamespaces: [String]
    public var inventoryNamespace: String
    public var webhookSecretFile: String?
    public var leaderElection: LeaderElection
    public var workers: Int
    /// How often each ModelPipeline is looked at again (registry polls, soak clocks).
    public var promotionInterval: Double
    public var concurrency: Int
    public var cacheDirectory: String
    /// Where renders' checkouts are written (never inside the cache directory: a render must not
    /// be able to reach a mirror); nil: the system's temporary directory.
    public var renderDirectory: String?
    /// How much of a commit each source reads.
    public var sourceLimits: SourceLimits
    /// The registry URLs (prefixes) a ModelPipeline may name; none: no registry is read.
    public var allowedRegistryURLs: [String] = []
    /// URL prefixes NotificationChannels may send to, besides Slack's own (`SlackEndpoints`).
    public var allowedNotificationURLs: [String] = []
    /// The OpenSSH ed25519 private key Sluice signs its commits with (promotions, reverts).
    public var commitSigningKey: String?
    /// What a ModelDeployment's template may ask of its pods.
    public var podPolicy: PodPolicy = .restricted
    public var kubeconfig: String?
    public var context: String?
    public var qps: Double
    public var burst: Int
    /// The namespace the controller's pod runs in (`POD_NAMESPACE`, set by the chart): sources
    /// write there only when their `targetNamespaces` names it. Nil outside a cluster.
    public var controllerNamespace: String?

    public struct Problem: Error, Sendable, CustomStringConvertible, Equatable {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Where a value came from, for messages.
    enum Origin: Equatable {
        case flag
        case env(String)
        case file(String)
        func name(_ key: String) -> String {
            switch self {
            case .flag: "--\(key)"
            case .env(let v): "environment variable \(v)"
            case .file(let f): "\(RunConfiguration.camel(key)) in \(f)"
            }
        }
    }

    /// Every setting the file and the environment may carry, as flag names.
    public static let keys = [
        "repo", "ref", "path", "source-name", "render", "interval", "prune", "git-token-file", "git-token-env", "git-username", "git-password-file", "ssh-key",
        "ssh-known-hosts", "git-ca-file", "prometheus-url", "prometheus-token-file", "listen", "log-level", "log-format", "watch-namespace",
        "inventory-namespace", "webhook-secret-file", "leader-election", "leader-election-namespace", "leader-election-name", "lease-duration",
        "renew-deadline", "retry-period", "workers", "promotion-interval", "concurrency", "cache-dir", "kubeconfig", "context", "qps", "burst",
        "render-dir", "max-commit-files", "max-commit-bytes", "max-manifest-bytes", "max-manifest-nodes", "max-alias-nodes", "allowed-registry-url",
        "allowed-notification-url",
        "commit-signing-key", "allowed-service-accounts", "allow-host-path", "allow-privileged-pods", "verify-ssh-allowed-signers",
        "verify-gpg-keyring", "target-namespaces", "allow-cluster-scoped", "adopt",
        "service-account",
    ]

    /// `gitTokenFile` → `git-token-file`: a `sluice run` option's flag name.
    public static func flagName(property: String) -> String {
        property.reduce(into: "") { out, c in out += c.isUppercase ? "-" + c.lowercased() : String(c) }
    }

    static func camel(_ key: String) -> String {
        let parts = key.split(separator: "-")
        return String(parts[0]) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func envName(_ key: String) -> String { "SLUICE_" + key.uppercased().replacingOccurrences(of: "-", with: "_") }

    /// `path` is `directory` or under it (both made absolute, `..` resolved).
    static func isInside(_ path: String, _ directory: String) -> Bool {
        let p = URL(fileURLWithPath: path).standardizedFileURL.path
        let d = URL(fileURLWithPath: directory).standardizedFileURL.path
        return p == d || p.hasPrefix(d.hasSuffix("/") ? d : d + "/")
    }

    static func isDNSLabel(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 63 && s.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" } && s.first != "-" && s.last != "-"
    }
}
