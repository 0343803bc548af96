public import Foundation
public import HTTP
import YAML

/// Finds and reads cluster credentials the way kubectl does: `--kubeconfig`, else in-cluster
/// service-account credentials when running in a pod, else `$KUBECONFIG` (several files, merged),
/// else `~/.kube/config`.
public enum KubeConfigLoader {
    public struct Options: Sendable {
        /// An explicit kubeconfig file (`--kubeconfig`).
        public var kubeconfig: String?
        /// A context other than the current one (`--context`).
        public var context: String?
        /// A namespace other than the context's (`-n`).
        public var namespace: String?
        /// Ignore in-cluster credentials even in a pod.
        public var ignoreInCluster = false

        public init(kubeconfig: String? = nil, context: String? = nil, namespace: String? = nil, ignoreInCluster: Bool = false) {
            self.kubeconfig = kubeconfig
            self.context = context
            self.namespace = namespace
            self.ignoreInCluster = ignoreInCluster
        }
    }

    public static func load(_ options: Options = .init(), environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClusterConfig {
        var config: ClusterConfig
        if let file = options.kubeconfig {
            config = try fromFiles([file], context: options.context)
        } else if !options.ignoreInCluster, environment["KUBERNETES_SERVICE_HOST"] != nil, options.context == nil {
            config = try InClusterConfig.load(environment: environment)
        } else if let list = environment["KUBECONFIG"], !list.isEmpty {
            config = try fromFiles(list.split(separator: ":").map(String.init), context: options.context)
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            config = try fromFiles(["\(home)/.kube/config"], context: options.context)
        }
        if let ns = options.namespace, !ns.isEmpty { config.namespace = ns }
        return config
    }

    struct Loaded {
        var clusters: [String: (Value, String)] = [:]
        var users: [String: (Value, String)] = [:]
        var contexts: [String: (Value, String)] = [:]
        var currentContext: String?
    }

    /// Merges files as client-go does: the first file to define a name wins, and the first
    /// current-context set wins. Relative paths resolve against the file that holds them.
    public static func fromFiles(_ files: [String], context requested: String? = nil) throws -> ClusterConfig {
        let (merged, read) = try merge(files)
        let where_ = "kubeconfig \(read.joined(separator: ":"))"
        guard let contextName = requested ?? merged.currentContext else {
            throw KubeError(
                reason: .credentials,
                message: "\(where_): no current-context; give --context (contexts: \(merged.contexts.keys.sorted().joined(separator: ", ")))")
        }
        guard let (context, _) = merged.contexts[contextName] else {
            throw KubeError(
                reason: .credentials,
                message: "\(where_): context \"\(contextName)\" not found (contexts: \(merged.contexts.keys.sorted().joined(separator: ", ")))")
        }
        let clusterName = context["cluster"]?.stringValue ?? ""
        guard let (cluster, clusterDir) = merged.clusters[clusterName] else {
            throw KubeError(reason: .credentials, message: "\(where_): context \"\(contextName)\" names cluster \"\(clusterName)\", which is not defined")
        }
        guard let server = cluster["server"]?.stringValue, !server.isEmpty else {
            throw KubeError(reason: .credentials, message: "\(where_): cluster \"\(clusterName)\" has no server")
        }
        var tls = TLSOptions()
        tls.insecureSkipVerify = cluster["insecure-skip-tls-verify"] == .bool(true)
        tls.ca = try source(cluster, file: "certificate-authority", data: "certificate-authority-data", dir: clusterDir, what: "cluster \"\(clusterName)\"")
        var auth = ClusterConfig.Auth.none
        let userName = context["user"]?.stringValue ?? ""
        if !userName.isEmpty {
            guard let (user, userDir) = merged.users[userName] else {
                throw KubeError(reason: .credentials, message: "\(where_): context \"\(contextName)\" names user \"\(userName)\", which is not defined")
            }
            auth = try credentials(user, dir: userDir, what: "user \"\(userName)\"", where: where_, tls: &tls)
        }
        let namespace = context["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return ClusterConfig(server: server, tls: tls, auth: auth, namespace: namespace, origin: "\(where_), context \(contextName)")
    }

    /// The files' clusters, users and contexts, and the files that could be read.
    static func merge(_ files: [String]) throws -> (Loaded, [String]) {
        var merged = Loaded()
        var read: [String] = []
        for file in files where !file.isEmpty {
            guard let data = FileManager.default.contents(atPath: file) else {
                if files.count == 1 { throw KubeError(reason: .credentials, message: "kubeconfig \(file) cannot be read") }
                continue
            }
            read.append(file)
            let value: Value
            do {
                value = try YAML.parse(String(decoding: data, as: UTF8.self), file: file)
            } catch {
                throw KubeError(reason: .credentials, message: "kubeconfig \(error)")
            }
            let dir = (file as NSString).deletingLastPathComponent
            for (section, key) in [("clusters", "cluster"), ("users", "user"), ("contexts", "context")] {
                for entry in value[section]?.arrayValue ?? [] {
                    guard let name = entry["name"]?.stringValue else { continue }
                    let body = entry[key] ?? [:]
                    switch section {
                    case "clusters": if merged.clusters[name] == nil { merged.clusters[name] = (body, dir) }
                    case "users": if merged.users[name] == nil { merged.users[name] = (body, dir) }
                    default: if merged.contexts[name] == nil { merged.contexts[name] = (body, dir) }
                    }
                }
            }
            if merged.currentContext == nil, let c = value["current-context"]?.stringValue, !c.isEmpty { merged.currentContext = c }
        }
        guard !read.isEmpty else {
            throw KubeError(reason: .credentials, message: "no kubeconfig found (looked at \(files.joined(separator: ", "))); give --kubeconfig")
        }
        return (merged, read)
    }

    /// A user's credentials: its client certificate into `tls`, and how requests authenticate.
    static func credentials(_ user: Value, dir userDir: String, what: String, where where_: String, tls: inout TLSOptions) throws
        -> ClusterConfig.Auth
    {
        tls.clientCertificate = try source(user, file: "client-certificate", data: "client-certificate-data", dir: userDir, what: what)
        tls.clientKey = try source(user, file: "client-key", data: "client-key-data", dir: userDir, what: what)
        if (tls.clientCertificate == nil) != (tls.clientKey == nil) {
            throw KubeError(reason: .credentials, message: "\(where_): \(what) needs both a client certificate and a client key")
        }
        if let token = user["token"]?.stringValue, !token.isEmpty { return .token(token) }
        if let file = user["tokenFile"]?.stringValue, !file.isEmpty { return .tokenFile(resolve(file, dir: userDir)) }
        if let name = user["username"]?.stringValue, let password = user["password"]?.stringValue { return .basic(username: name, password: password) }
        if let exec = user["exec"], let command = exec["command"]?.stringValue {
            var env: [String: String] = [:]
            for e in exec["env"]?.arrayValue ?? [] {
                if let n = e["name"]?.stringValue, let v = e["value"]?.stringValue { env[n] = v }
            }
            let cmd = command.contains("/") ? resolve(command, dir: userDir) : command
            return .exec(
                ClusterConfig.ExecConfig(
                    command: cmd, args: exec["args"]?.arrayValue?.compactMap(\.stringValue) ?? [], env: env,
                    apiVersion: exec["apiVersion"]?.stringValue ?? "client.authentication.k8s.io/v1", directory: userDir))
        }
        if user["auth-provider"] != nil {
            throw KubeError(
                reason: .credentials, message: "\(where_): \(what) uses an auth-provider, which is deprecated and not supported; use an exec credential plugin")
        }
        return .none
    }

    static func resolve(_ path: String, dir: String) -> String {
        path.hasPrefix("/") || dir.isEmpty ? path : "\(dir)/\(path)"
    }

    static func source(_ v: Value, file: String, data: String, dir: String, what: String) throws -> TLSOptions.Source? {
        if let d = v[data]?.stringValue, !d.isEmpty {
            guard let bytes = Data(base64Encoded: d, options: .ignoreUnknownCharacters) else {
                throw KubeError(reason: .credentials, message: "kubeconfig: \(what): \(data) is not valid base64")
            }
            return .data(Array(bytes))
        }
        if let f = v[file]?.stringValue, !f.isEmpty {
            let path = resolve(f, dir: dir)
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw KubeError(reason: .credentials, message: "kubeconfig: \(what): \(file) \(path) cannot be read")
            }
            return .file(path)
        }
        return nil
    }
}

/// Credentials of the pod Sluice runs in: the API server from the environment, the service
/// account's token (re-read as it rotates), CA and namespace from the mounted secret.
public enum InClusterConfig {
    /// The service-account directory; tests point `SLUICE_SERVICE_ACCOUNT_DIR` elsewhere.
    public static func directory(_ environment: [String: String]) -> String {
        environment["SLUICE_SERVICE_ACCOUNT_DIR"] ?? "/var/run/secrets/kubernetes.io/serviceaccount"
    }

    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClusterConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty else {
            throw KubeError(reason: .credentials, message: "not running in a cluster: KUBERNETES_SERVICE_HOST is not set")
        }
        let port = environment["KUBERNETES_SERVICE_PORT"] ?? "443"
        let dir = directory(environment)
        let tokenFile = "\(dir)/token"
        guard FileManager.default.isReadableFile(atPath: tokenFile) else {
            throw KubeError(
                reason: .credentials, message: "in-cluster: service-account token \(tokenFile) cannot be read (is automountServiceAccountToken off?)")
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var tls = TLSOptions()
        if FileManager.default.isReadableFile(atPath: "\(dir)/ca.crt") { tls.ca = .file("\(dir)/ca.crt") }
        // As client-go: a pod without the namespace file is in "default". Only the default for
        // objects that name none; Sluice's own objects name theirs.
        let namespace = (try? String(contentsOfFile: "\(dir)/namespace", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "default"
        return ClusterConfig(
            server: "https://\(hostPart):\(port)", tls: tls, auth: .tokenFile(tokenFile), namespace: namespace.isEmpty ? "default" : namespace,
            origin: "in-cluster service account (\(dir))")
    }
}
