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

    /// Merges the three layers and checks every value.
    /// - Parameters:
    ///   - flags: values given on the command line, by flag name (only those given).
    ///   - environment: the process environment.
    ///   - file: the path of a YAML configuration file, if any.
    public static func resolve(flags: [String: String], environment: [String: String], file: String?, home: String = NSHomeDirectory()) throws
        -> RunConfiguration
    {
        var values: [String: (String, Origin)] = [:]
        var fileSources: [Value] = []
        let filePath = file ?? environment["SLUICE_CONFIG"]
        if let filePath {
            guard let data = FileManager.default.contents(atPath: filePath) else {
                throw Problem(description: "--config: cannot read \(filePath)")
            }
            let doc: Value
            do {
                doc = try YAML.parse(String(decoding: data, as: UTF8.self), file: filePath)
            } catch {
                throw Problem(description: "--config: \(error)")
            }
            guard let o = doc.objectValue else { throw Problem(description: "--config: \(filePath) must hold a mapping of settings") }
            for (k, v) in o {
                if k == "sources" {
                    guard let list = v.arrayValue else { throw Problem(description: "sources in \(filePath): must be a list") }
                    fileSources = list
                    continue
                }
                guard let key = keys.first(where: { camel($0) == k }) else {
                    let known = Set(keys.map(camel) + ["sources"])
                    throw Problem(description: "\(k) in \(filePath): \(Self.unknownSetting(k, known: known))")
                }
                let text: String
                switch v {
                case .string(let s): text = s
                case .int(let i): text = String(i)
                case .double(let d): text = String(d)
                case .bool(let b): text = String(b)
                default: throw Problem(description: "\(k) in \(filePath): must be a single value, not a \(v.typeName)")
                }
                values[key] = (text, .file(filePath))
            }
        }
        for key in keys { if let v = environment[envName(key)], !v.isEmpty { values[key] = (v, .env(envName(key))) } }
        for (k, v) in flags { values[k] = (v, .flag) }

        func string(_ key: String) -> String? { values[key]?.0 }
        func where_(_ key: String) -> String { values[key].map { $0.1.name(key) } ?? "--\(key)" }
        func duration(_ key: String, _ def: Double, min: Double = 0) throws -> Double {
            guard let text = string(key) else { return def }
            guard let d = DurationText.parse(text) else { throw Problem(description: "\(where_(key)): '\(text)' is not a duration (30s, 2m, 1h)") }
            guard d >= min else { throw Problem(description: "\(where_(key)): must be at least \(DurationText.format(min))") }
            return d
        }
        func int(_ key: String, _ def: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = string(key) else { return def }
            guard let i = Int(text), range.contains(i) else {
                throw Problem(description: "\(where_(key)): '\(text)' must be a whole number within \(range.lowerBound)...\(range.upperBound)")
            }
            return i
        }
        func bool(_ key: String, _ def: Bool) throws -> Bool {
            guard let text = string(key) else { return def }
            switch text.lowercased() {
            case "true", "yes", "1", "on": return true
            case "false", "no", "0", "off": return false
            default: throw Problem(description: "\(where_(key)): '\(text)' must be true or false")
            }
        }
        func namespaceList(_ key: String) throws -> [String] {
            let names = (string(key) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for n in names where !Self.isDNSLabel(n) { throw Problem(description: "\(where_(key)): '\(n)' is not a namespace name") }
            return names
        }
        func size(_ key: String, _ def: Int) throws -> Int {
            guard let text = string(key) else { return def }
            guard let n = ByteSize.parse(text), n > 0 else { throw Problem(description: "\(where_(key)): '\(text)' is not a size (bytes, or 64Mi, 1Gi)") }
            return n
        }
        func existing(_ key: String) throws -> String? {
            guard let path = string(key) else { return nil }
            guard FileManager.default.isReadableFile(atPath: path) else { throw Problem(description: "\(where_(key)): cannot read \(path)") }
            return path
        }

        func namespaces(_ value: Value?, at: String) throws -> [String] {
            guard let value, !value.isNull else { return [] }
            guard let list = value.arrayValue?.compactMap(\.stringValue), list.count == value.arrayValue?.count else {
                throw Problem(description: "\(at): must be a list of namespace names")
            }
            for n in list where !Self.isDNSLabel(n) { throw Problem(description: "\(at): '\(n)' is not a namespace name") }
            return list
        }
        func serviceAccount(_ text: String?, at: String) throws -> String? {
            guard let text else { return nil }
            let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, parts.allSatisfy(Self.isDNSLabel) else { throw Problem(description: "\(at): '\(text)' is not namespace/name") }
            return text
        }
        func verifyPath(_ verify: Value?, _ key: String, at: String) throws -> String? {
            guard let verify, !verify.isNull else { return nil }
            guard let map = verify.objectValue else { throw Problem(description: "\(at): verify must be a mapping (sshAllowedSigners, gpgKeyring)") }
            for (k, _) in FieldNames.unknown(in: verify, known: ["sshAllowedSigners", "gpgKeyring"]) {
                throw Problem(description: "\(at): verify.\(k): \(Self.unknownSetting(k, known: ["sshAllowedSigners", "gpgKeyring"]))")
            }
            guard let p = map[key]?.stringValue else { return nil }
            guard FileManager.default.isReadableFile(atPath: p) else { throw Problem(description: "\(at): verify.\(key): cannot read \(p)") }
            return p
        }

        let defaultInterval = try duration("interval", 60, min: 1)
        var sources: [Source] = []
        if !fileSources.isEmpty {
            for (i, s) in fileSources.enumerated() {
                let at = "sources[\(i)] in \(filePath ?? "")"
                // A misspelt key must not pass: `targetNamespace` ignored would leave the source
                // unrestricted, `prun: false` would prune.
                for (key, _) in FieldNames.unknown(in: s, known: Self.sourceKeys) {
                    throw Problem(description: "\(at): \(key): \(Self.unknownSetting(key, known: Self.sourceKeys))")
                }
                guard let repo = s["repo"]?.stringValue else { throw Problem(description: "\(at): repo is required") }
                var interval = defaultInterval
                if let text = s["interval"]?.stringValue {
                    guard let d = DurationText.parse(text), d >= 1 else {
                        throw Problem(description: "\(at): interval '\(text)' is not a duration of at least 1s")
                    }
                    interval = d
                }
                func path(_ k: String) throws -> String? {
                    guard let p = s[k]?.stringValue else { return nil }
                    guard FileManager.default.isReadableFile(atPath: p) else { throw Problem(description: "\(at): \(k): cannot read \(p)") }
                    return p
                }
                let name = s["name"]?.stringValue.map(SourceName.sanitize) ?? SourceName.derive(repo: repo, path: s["path"]?.stringValue ?? "")
                sources.append(
                    Source(
                        name: name, repo: repo, ref: s["ref"]?.stringValue, path: s["path"]?.stringValue ?? "", interval: interval,
                        prune: s["prune"]?.boolValue ?? true, tokenFile: try path("gitTokenFile"), tokenEnv: s["gitTokenEnv"]?.stringValue,
                        username: s["gitUsername"]?.stringValue, passwordFile: try path("gitPasswordFile"), sshKey: try path("sshKey"),
                        sshKnownHosts: try path("sshKnownHosts"), caFile: try path("gitCaFile"), render: try Self.render(s["render"], at: "\(at): render"),
                        verifyAllowedSigners: try verifyPath(s["verify"], "sshAllowedSigners", at: at),
                        verifyGPGKeyring: try verifyPath(s["verify"], "gpgKeyring", at: at),
                        targetNamespaces: try namespaces(s["targetNamespaces"], at: "\(at): targetNamespaces"),
                        allowClusterScoped: s["allowClusterScoped"]?.boolValue, adopt: s["adopt"]?.boolValue ?? false,
                        serviceAccount: try serviceAccount(s["serviceAccount"]?.stringValue, at: "\(at): serviceAccount")))
            }
            if string("repo") != nil {
                throw Problem(description: "\(where_("repo")): give either one source (--repo) or a sources list in the file, not both")
            }
        } else if let repo = string("repo") {
            let path = string("path") ?? ""
            sources.append(
                Source(
                    name: string("source-name").map(SourceName.sanitize) ?? SourceName.derive(repo: repo, path: path), repo: repo, ref: string("ref"),
                    path: path,
                    interval: defaultInterval, prune: try bool("prune", true), tokenFile: try existing("git-token-file"), tokenEnv: string("git-token-env"),
                    username: string("git-username"), passwordFile: try existing("git-password-file"), sshKey: try existing("ssh-key"),
                    sshKnownHosts: try existing("ssh-known-hosts"), caFile: try existing("git-ca-file"),
                    render: try Self.render(string("render").map(Value.string), at: where_("render")),
                    verifyAllowedSigners: try existing("verify-ssh-allowed-signers"), verifyGPGKeyring: try existing("verify-gpg-keyring"),
                    targetNamespaces: try namespaceList("target-namespaces"),
                    allowClusterScoped: string("allow-cluster-scoped") == nil ? nil : try bool("allow-cluster-scoped", false),
                    adopt: try bool("adopt", false), serviceAccount: try serviceAccount(string("service-account"), at: where_("service-account"))))
        }
        // No source in the settings: the controller runs what GitSource objects define.
        var names = Set<String>()
        for s in sources where !names.insert(s.name).inserted {
            throw Problem(description: "two sources are named \(s.name): names must be unique")
        }
        for s in sources where s.username != nil && s.passwordFile == nil {
            throw Problem(description: "source \(s.name): a git username needs a password file")
        }

        let listen = string("listen") ?? "0.0.0.0:8080"
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (0...65535).contains(port) else {
            throw Problem(description: "\(where_("listen")): '\(listen)' is not host:port")
        }
        if let url = string("prometheus-url"), !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw Problem(description: "\(where_("prometheus-url")): '\(url)' is not an http(s) URL")
        }
        let level = string("log-level") ?? "info"
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(level) else {
            throw Problem(description: "\(where_("log-level")): '\(level)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        let format = string("log-format") ?? "logfmt"
        guard ["logfmt", "json"].contains(format) else { throw Problem(description: "\(where_("log-format")): '\(format)' must be logfmt or json") }
        let inventoryNamespace = string("inventory-namespace") ?? environment["POD_NAMESPACE"] ?? "default"
        let lease = try duration("lease-duration", 15, min: 1)
        let renew = try duration("renew-deadline", 10, min: 1)
        let retry = try duration("retry-period", 2, min: 0.1)
        if renew >= lease { throw Problem(description: "\(where_("renew-deadline")): must be shorter than the lease duration (\(DurationText.format(lease)))") }
        if retry >= renew { throw Problem(description: "\(where_("retry-period")): must be shorter than the renew deadline (\(DurationText.format(renew)))") }
        let cacheDirectory =
            string("cache-dir") ?? environment["SLUICE_CACHE_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.cache/sluice/git"
        let renderDirectory = string("render-dir")
        if let renderDirectory, Self.isInside(renderDirectory, cacheDirectory) || Self.isInside(cacheDirectory, renderDirectory) {
            throw Problem(
                description: "\(where_("render-dir")): must not share a directory with the git cache (\(cacheDirectory)): a render must not reach a mirror")
        }
        let registries = (string("allowed-registry-url") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for url in registries where AllowedURLs.Parts(url) == nil {
            throw Problem(description: "\(where_("allowed-registry-url")): '\(url)' is not an http(s) URL without user info")
        }
        let qpsText = string("qps") ?? "50"
        guard let qps = Double(qpsText), qps >= 0 else { throw Problem(description: "\(where_("qps")): '\(qpsText)' must be a number ≥ 0") }
        var configuration = RunConfiguration(
            sources: sources, prometheusURL: string("prometheus-url"), prometheusTokenFile: try existing("prometheus-token-file"),
            listenHost: String(listen[..<colon]),
            listenPort: port, logLevel: level, logFormat: format, watchNamespaces: try namespaceList("watch-namespace"),
            inventoryNamespace: inventoryNamespace, webhookSecretFile: try existing("webhook-secret-file"),
            leaderElection: LeaderElection(
                enabled: try bool("leader-election", true), namespace: string("leader-election-namespace") ?? inventoryNamespace,
                name: string("leader-election-name") ?? "sluice-leader", leaseDuration: lease, renewDeadline: renew, retryPeriod: retry),
            workers: try int("workers", 4, range: 1...64), promotionInterval: try duration("promotion-interval", 30, min: 1),
            concurrency: try int("concurrency", 16, range: 1...256),
            cacheDirectory: cacheDirectory, renderDirectory: renderDirectory,
            sourceLimits: SourceLimits(
                tree: TreeLimits(
                    maxFiles: try int("max-commit-files", TreeLimits.default.maxFiles, range: 1...10_000_000),
                    maxBytes: try size("max-commit-bytes", TreeLimits.default.maxBytes)),
                manifests: ParseBudget.Limits(
                    maxBytes: try size("max-manifest-bytes", ParseBudget.Limits.default.maxBytes),
                    maxNodes: try int("max-manifest-nodes", ParseBudget.Limits.default.maxNodes, range: 1...1_000_000_000),
                    maxAliasNodes: try int("max-alias-nodes", ParseBudget.Limits.default.maxAliasNodes, range: 0...1_000_000_000))),
            allowedRegistryURLs: registries, commitSigningKey: try existing("commit-signing-key"),
            podPolicy: PodPolicy(
                serviceAccounts: Set(
                    (string("allowed-service-accounts") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }),
                hostPath: try bool("allow-host-path", false), privileged: try bool("allow-privileged-pods", false)),
            kubeconfig: try existing("kubeconfig"), context: string("context"), qps: qps,
            burst: try int("burst", 100, range: 1...10_000))
        configuration.controllerNamespace = environment["POD_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 }
        return configuration
    }

    /// A source's `render`: a mode (`auto`, `plain`, `kustomize`, `helm`), or a map with `mode`,
    /// `helm` (releaseName, namespace, valuesFiles, set, includeCRDs, kubeVersion, apiVersions),
    /// `kustomize` (enableHelm, loadRestrictor), `timeout` and `allowedHosts`.
    static func render(_ value: Value?, at: String) throws -> RenderOptions {
        guard let value else { return RenderOptions() }
        func mode(_ v: Value?) throws -> RenderOptions.Mode {
            guard let v else { return .auto }
            guard let m = v.stringValue.flatMap(RenderOptions.Mode.init) else {
                throw Problem(description: "\(at): '\(v.stringValue ?? "?")' is not one of auto, plain, kustomize, helm")
            }
            return m
        }
        if value.stringValue != nil { return RenderOptions(mode: try mode(value)) }
        guard value.objectValue != nil else { throw Problem(description: "\(at): must be a mode or a map") }
        let known: [(path: String, value: Value?, keys: Set<String>)] = [
            ("", value, ["mode", "helm", "kustomize", "timeout", "allowedHosts"]),
            ("helm.", value["helm"], ["releaseName", "namespace", "valuesFiles", "set", "includeCRDs", "kubeVersion", "apiVersions"]),
            ("kustomize.", value["kustomize"], ["enableHelm", "loadRestrictor"]),
        ]
        for part in known {
            for (key, _) in FieldNames.unknown(in: part.value, known: part.keys) {
                throw Problem(description: "\(at).\(part.path)\(key): \(Self.unknownSetting(key, known: part.keys))")
            }
        }
        var o = RenderOptions(mode: try mode(value["mode"]))
        let strings = { (v: Value?) in v?.arrayValue?.compactMap(\.stringValue) ?? [] }
        if let h = value["helm"] {
            o.helm.releaseName = h["releaseName"]?.stringValue
            o.helm.namespace = h["namespace"]?.stringValue
            o.helm.valuesFiles = strings(h["valuesFiles"])
            o.helm.set = strings(h["set"])
            o.helm.includeCRDs = h["includeCRDs"]?.boolValue ?? true
            o.helm.kubeVersion = h["kubeVersion"]?.stringValue
            o.helm.apiVersions = strings(h["apiVersions"])
        }
        if let k = value["kustomize"] {
            o.kustomize.enableHelm = k["enableHelm"]?.boolValue ?? false
            o.kustomize.loadRestrictor = k["loadRestrictor"]?.stringValue
        }
        if let t = value["timeout"]?.stringValue {
            guard let d = DurationText.parse(t), d > 0 else { throw Problem(description: "\(at).timeout: '\(t)' is not a duration") }
            o.timeout = d
        }
        o.allowedHosts = strings(value["allowedHosts"])
        return o
    }

    /// `path` is `directory` or under it (both made absolute, `..` resolved).
    static func isInside(_ path: String, _ directory: String) -> Bool {
        let p = URL(fileURLWithPath: path).standardizedFileURL.path
        let d = URL(fileURLWithPath: directory).standardizedFileURL.path
        return p == d || p.hasPrefix(d.hasSuffix("/") ? d : d + "/")
    }

    /// The keys a `sources` entry of the settings file may have.
    static let sourceKeys: Set<String> = [
        "name", "repo", "ref", "path", "interval", "prune", "gitTokenFile", "gitTokenEnv", "gitUsername", "gitPasswordFile", "sshKey", "sshKnownHosts",
        "gitCaFile", "render", "verify", "targetNamespaces", "allowClusterScoped", "adopt", "serviceAccount",
    ]

    /// "unknown setting; did you mean prune?" or "unknown setting (known: a, b, c)".
    static func unknownSetting(_ key: String, known: Set<String>) -> String {
        FieldNames.message(FieldNames.nearest(key, in: known), known: known, noun: "setting")
    }

    static func isDNSLabel(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 63 && s.allSatisfy { ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" } && s.first != "-" && s.last != "-"
    }
}
