public import HTTP

/// Everything needed to talk to one API server, however it was configured.
public struct ClusterConfig: Sendable {
    public var server: String
    public var tls: TLSOptions
    public var auth: Auth
    /// The namespace objects without one go to (kubeconfig context, in-cluster namespace file).
    public var namespace: String
    /// Client-side rate limit: sustained requests per second and burst.
    public var qps: Double
    public var burst: Int
    /// Where this configuration came from, for messages (`kubeconfig /home/me/.kube/config, context prod`).
    public var origin: String
    /// Seconds a request (not a watch) may take before it fails as a timeout (and, when it is
    /// safe to, is retried).
    public var requestTimeout: Double = 60
    /// Act as this user (`Impersonate-User`), e.g. a source's service account
    /// (`system:serviceaccount:team-a:deployer`): the API server then authorizes every request
    /// with that account's RBAC, after checking the client may impersonate it.
    public var impersonate: String?

    public init(
        server: String, tls: TLSOptions = .init(), auth: Auth = .none, namespace: String = "default", qps: Double = 50, burst: Int = 100, origin: String = ""
    ) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.tls = tls
        self.auth = auth
        self.namespace = namespace
        self.qps = qps
        self.burst = burst
        self.origin = origin
    }

    /// How requests are authenticated. Secrets are never part of `description`.
    public enum Auth: Sendable, CustomStringConvertible {
        case none
        case token(String)
        /// Re-read when the file changes (projected service-account tokens rotate).
        case tokenFile(String)
        case basic(username: String, password: String)
        case exec(ExecConfig)

        public var description: String {
            switch self {
            case .none: "none"
            case .token: "bearer token"
            case .tokenFile(let f): "bearer token from \(f)"
            case .basic(let u, _): "basic auth (user \(u))"
            case .exec(let e): "exec plugin \(e.command)"
            }
        }
    }

    /// A client-go credential plugin (`users[].user.exec`).
    public struct ExecConfig: Sendable {
        public var command: String
        public var args: [String]
        public var env: [String: String]
        public var apiVersion: String
        /// Directory relative commands resolve against (the kubeconfig's).
        public var directory: String?

        public init(
            command: String, args: [String] = [], env: [String: String] = [:], apiVersion: String = "client.authentication.k8s.io/v1", directory: String? = nil
        ) {
            self.command = command
            self.args = args
            self.env = env
            self.apiVersion = apiVersion
            self.directory = directory
        }
    }
}
