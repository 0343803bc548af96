import ArgumentParser
import ControllerProcess
import DesiredState
import Foundation
import Git
import Kube
import Sync

/// Where desired state comes from, shared by every command that reads git.
struct GitOptions: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("Git repository: a local path, file://, git://, https:// or ssh:// URL, or user@host:path.", valueName: "path-or-url"))
    var repo: String?

    @Option(name: .long, help: "Branch, tag or commit to read (default: the remote's default branch).")
    var ref: String?

    @Option(name: .long, help: "Directory (or file) within the repository holding the manifests (default: the whole repository).")
    var path: String = ""

    @OptionGroup var rendering: RenderFlags

    @Option(name: .long, help: ArgumentHelp("Where git mirrors are cached (default: $SLUICE_CACHE_DIR, else ~/.cache/sluice/git).", valueName: "dir"))
    var cacheDir: String?

    @Option(name: .long, help: ArgumentHelp("File holding an HTTPS token for the repository.", valueName: "file"))
    var gitTokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Environment variable holding an HTTPS token for the repository.", valueName: "name"))
    var gitTokenEnv: String?

    @Option(name: .long, help: "User name for HTTPS basic authentication (with --git-password-file).")
    var gitUsername: String?

    @Option(name: .long, help: ArgumentHelp("File holding the HTTPS password for --git-username.", valueName: "file"))
    var gitPasswordFile: String?

    @Option(name: .long, help: ArgumentHelp("Private key for ssh:// and user@host:path repositories.", valueName: "file"))
    var sshKey: String?

    @Option(name: .long, help: ArgumentHelp("known_hosts file that must hold the SSH server's key (default: ~/.ssh/known_hosts).", valueName: "file"))
    var sshKnownHosts: String?

    @Option(name: .long, help: ArgumentHelp("Extra CA certificates (PEM) to trust for an HTTPS git server.", valueName: "file"))
    var gitCaFile: String?

    var spec: GitSourceSpec {
        GitSourceSpec(url: GitSourceSpec.normalizedURL(repo ?? "."), ref: ref, path: path)
    }

    /// A name for the source when none is given: the repository's name and the path.
    var defaultSourceName: String { SourceName.derive(repo: repo ?? ".", path: path) }

    /// Local paths become absolute so the cache key does not depend on the working directory.
    static func defaultCacheDirectory() -> String {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["SLUICE_CACHE_DIR"], !dir.isEmpty { return dir }
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache")
        return base + "/sluice/git"
    }

    func transport() throws -> GitTransportOptions {
        var credentials: GitCredentials?
        if let file = gitTokenFile {
            credentials = .token(try SecretFile.read(file, what: "--git-token-file"))
        } else if let name = gitTokenEnv {
            guard let token = ProcessInfo.processInfo.environment[name], !token.isEmpty else {
                throw ValidationError("--git-token-env: environment variable \(name) is not set")
            }
            credentials = .token(token)
        } else if let user = gitUsername {
            guard let file = gitPasswordFile else { throw ValidationError("--git-username needs --git-password-file") }
            credentials = .basic(username: user, password: try SecretFile.read(file, what: "--git-password-file"))
        } else if let key = sshKey {
            guard FileManager.default.isReadableFile(atPath: key) else { throw ValidationError("--ssh-key: cannot read \(key)") }
            let pub = FileManager.default.fileExists(atPath: key + ".pub") ? key + ".pub" : nil
            credentials = .sshKey(username: "git", privateKeyPath: key, publicKeyPath: pub)
        }
        if let ca = gitCaFile { try addTrustedCertificates(file: ca) }
        return GitTransportOptions(credentials: credentials, knownHostsFile: sshKnownHosts)
    }

    /// The source; with a client, Helm renders for that cluster (`withCapabilities`).
    func source(for client: KubeClient? = nil) async throws -> GitSource {
        var render = rendering.options
        if let client { render = try await render.withCapabilities(of: client) }
        return GitSource(spec: spec, cacheDirectory: cacheDir ?? Self.defaultCacheDirectory(), transport: try transport(), render: render)
    }
}
