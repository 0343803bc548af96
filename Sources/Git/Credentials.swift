/// How Sluice authenticates to a git remote. Secrets are held in memory only and never printed:
/// `description` names the kind of credential, not its contents.
public enum GitCredentials: Sendable, CustomStringConvertible {
    /// HTTPS with a token (GitHub, GitLab, Gitea personal or app tokens). Hosts ignore the user
    /// name for tokens but libgit2 needs one; `x-access-token` is what GitHub documents.
    case token(String, username: String = "x-access-token")
    /// A token read from a file at every fetch, so a rotated Secret takes effect without a restart.
    case tokenFile(String, username: String = "x-access-token")
    /// HTTPS basic authentication.
    case basic(username: String, password: String)
    /// Basic authentication with the password read from a file at every fetch.
    case basicPasswordFile(username: String, passwordFile: String)
    /// SSH with a private key file (and optional passphrase).
    case sshKey(username: String, privateKeyPath: String, publicKeyPath: String? = nil, passphrase: String? = nil)

    public var description: String {
        switch self {
        case .token(_, let user): "token (user \(user))"
        case .tokenFile(let file, let user): "token from \(file) (user \(user))"
        case .basic(let user, _): "basic (user \(user))"
        case .basicPasswordFile(let user, let file): "basic (user \(user), password from \(file))"
        case .sshKey(let user, let key, _, _): "ssh key \(key) (user \(user))"
        }
    }
}

/// Everything about reaching a remote besides its URL.
public struct GitTransportOptions: Sendable {
    public var credentials: GitCredentials?
    /// known_hosts file for SSH remotes. Without one, `~/.ssh/known_hosts` is used; a host that is
    /// in neither is refused (no trust on first use).
    public var knownHostsFile: String?

    public init(credentials: GitCredentials? = nil, knownHostsFile: String? = nil) {
        self.credentials = credentials
        self.knownHostsFile = knownHostsFile
    }
}
