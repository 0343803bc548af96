import Foundation
import Synchronization

private func repoRoot() -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

/// `git daemon` serving a fixture's bare repository over git:// on loopback (pushes allowed).
public final class GitDaemon: Sendable {
    public let port: Int
    let process: Mutex<BackgroundProcess>
    let base: String

    public init(serving fixture: GitFixture) throws {
        base = fixture.root.path
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = freePort()
            do {
                if let p = try Self.launch(base: base, port: port) {
                    self.port = port
                    process = Mutex(p)
                    return
                }
            } catch {
                lastError = error
            }
        }
        throw lastError ?? RunError.notFound("git daemon")
    }

    static func launch(base: String, port: Int) throws -> BackgroundProcess? {
        let p = try BackgroundProcess(
            "/usr/lib/git-core/git-daemon",
            [
                "--reuseaddr", "--base-path=\(base)", "--export-all", "--enable=receive-pack",
                "--listen=127.0.0.1", "--port=\(port)", base,
            ])
        guard waitForPort(port, timeout: 10) else {
            p.stop()
            return nil
        }
        return p
    }

    public var url: String { "git://127.0.0.1:\(port)/remote.git" }

    /// The remote goes down: connections to its port are refused.
    public func stop() { process.withLock { _ = $0.stop() } }

    /// The remote comes back on the same port (after `stop()`).
    public func restart() throws {
        guard let p = try Self.launch(base: base, port: port) else { throw RunError.notFound("git daemon on port \(port)") }
        process.withLock { $0 = p }
    }
}

/// Certificates for a loopback TLS server: a throwaway CA and a server certificate for
/// 127.0.0.1 signed by it, made with the `openssl` CLI. The address is also listed as a DNS
/// name because mbedTLS (behind Debian's libgit2) matches host names against DNS entries only.
public struct TestCertificates: Sendable {
    public let caFile: String
    public let certFile: String
    public let keyFile: String

    public init(in dir: TemporaryDirectory) throws {
        caFile = dir.file("ca.crt")
        certFile = dir.file("server.crt")
        keyFile = dir.file("server.key")
        let ext = try dir.write("san.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:127.0.0.1\n")
        try run(
            "openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.file("ca.key"), "-out", caFile, "-days", "2", "-subj", "/CN=sluice-test-ca"],
            check: true)
        try run("openssl", ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", dir.file("server.csr"), "-subj", "/CN=127.0.0.1"], check: true)
        try run(
            "openssl",
            [
                "x509", "-req", "-in", dir.file("server.csr"), "-CA", caFile, "-CAkey", dir.file("ca.key"), "-CAcreateserial", "-out", certFile, "-days", "2",
                "-extfile", ext,
            ], check: true)
    }
}

/// Smart HTTP(S) in front of a fixture's bare repository, optionally demanding basic auth.
public final class GitHTTPServer: Sendable {
    public let port: Int
    public let certificates: TestCertificates?
    let process: BackgroundProcess

    public init(serving fixture: GitFixture, user: String? = nil, password: String? = nil, tls: Bool = false) throws {
        var args = ["\(repoRoot())/scripts/testing/git-http-server.py", "--root", fixture.root.path]
        if let user, let password { args += ["--user", user, "--password", password] }
        certificates = tls ? try TestCertificates(in: fixture.root) : nil
        if let certificates { args += ["--cert", certificates.certFile, "--key", certificates.keyFile] }
        process = try BackgroundProcess("python3", args)
        let log = try process.waitForOutput("listening on 127.0.0.1:")
        let line = log.split(separator: "\n").first { $0.contains("listening on") }!
        port = Int(line.split(separator: ":").last!.trimmingCharacters(in: .whitespaces))!
    }

    public var url: String { "\(certificates == nil ? "http" : "https")://127.0.0.1:\(port)/remote.git" }
    public var log: String { process.log }
    public func stop() { process.stop() }
}

/// An OpenSSH server on loopback that lets one generated key in, for ssh:// remotes.
public final class SSHServer: Sendable {
    public let port: Int
    public let user: String
    public let clientKey: String
    public let knownHosts: String
    let process: BackgroundProcess

    public init(in dir: TemporaryDirectory) throws {
        guard let sshd = which("/usr/sbin/sshd") else { throw RunError.notFound("sshd (openssh-server)") }
        user = try run("id", ["-un"], check: true).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let hostKey = dir.file("ssh_host_ed25519_key")
        clientKey = dir.file("client_ed25519")
        try run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey], check: true)
        try run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", clientKey], check: true)
        let authorized = try String(contentsOfFile: clientKey + ".pub", encoding: .utf8)
        try dir.write("authorized_keys", authorized)
        if getuid() == 0 { try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true) }
        port = freePort()
        let config = try dir.write(
            "sshd_config",
            """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(hostKey)
            AuthorizedKeysFile \(dir.file("authorized_keys"))
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            PidFile \(dir.file("sshd.pid"))

            """)
        process = try BackgroundProcess(sshd, ["-D", "-e", "-f", config])
        guard waitForPort(port) else { throw RunError.failed(command: "sshd", result: ProcessResult(status: -1, stdout: process.log, stderr: "")) }
        let hostPub = try String(contentsOfFile: hostKey + ".pub", encoding: .utf8).split(separator: " ")
        knownHosts = try dir.write("known_hosts", "[127.0.0.1]:\(port) \(hostPub[0]) \(hostPub[1])\n")
    }

    public func url(for path: String) -> String { "ssh://\(user)@127.0.0.1:\(port)\(path)" }
    public var log: String { process.log }
}
