internal import CGit2
import Foundation
import Synchronization

/// libgit2 needs one process-wide initialisation before any call. A `static let` runs exactly
/// once, thread-safely, the first time any part of this module touches it.
enum Library {
    static let initialized: Bool = {
        git_libgit2_init()
        // A controller must not behave differently because of a stray ~/.gitconfig on its host,
        // and its cache directories belong to whatever user the container runs as.
        _ = sluice_git_set_search_path_none()
        _ = sluice_git_disable_owner_validation()
        return true
    }()

    static func ensure() { _ = initialized }
}

/// What this libgit2 build can do, as `git_libgit2_features()` reports it.
public struct GitFeatures: Sendable, CustomStringConvertible {
    public var threads: Bool
    public var https: Bool
    public var ssh: Bool
    public var version: String

    public static var current: GitFeatures {
        Library.ensure()
        let f = UInt32(git_libgit2_features())
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        git_libgit2_version(&major, &minor, &patch)
        return GitFeatures(
            threads: f & GIT_FEATURE_THREADS.rawValue != 0, https: f & GIT_FEATURE_HTTPS.rawValue != 0,
            ssh: f & GIT_FEATURE_SSH.rawValue != 0, version: "\(major).\(minor).\(patch)")
    }

    public var description: String { "libgit2 \(version) (threads: \(threads), https: \(https), ssh: \(ssh))" }
}

/// Adds CA certificates that libgit2 trusts for HTTPS remotes, on top of the system's.
///
/// Debian's libgit2 uses mbedTLS, where setting a CA location *replaces* the trust store, and
/// the setting is process-wide. So every call rebuilds one bundle — the system CAs plus every
/// file added so far — and hands libgit2 that, so sources with different private CAs coexist.
public func addTrustedCertificates(file: String) throws {
    Library.ensure()
    try TrustStore.shared.add(file)
}

final class TrustStore: Sendable {
    static let shared = TrustStore()
    /// The CA files added so far; held while the bundle is rewritten, so writes never interleave.
    private let files = Mutex<[String]>([])
    private let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-git-ca-\(getpid()).pem").path

    static let systemBundles = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"]

    func add(_ file: String) throws {
        try files.withLock { files in
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw GitError(call: "trust CA", code: .certificate, message: "CA file \(file) cannot be read")
            }
            if !files.contains(file) { files.append(file) }
            // Both were found readable just above; a read that fails now leaves that CA out, and
            // the TLS handshake that needs it fails loudly (nothing is trusted by a guess).
            var pem = ""
            if let system = Self.systemBundles.first(where: { FileManager.default.isReadableFile(atPath: $0) }) {
                pem += (try? String(contentsOfFile: system, encoding: .utf8)) ?? ""
            }
            for f in files { pem += "\n" + ((try? String(contentsOfFile: f, encoding: .utf8)) ?? "") }
            try pem.write(toFile: bundle, atomically: true, encoding: .utf8)
            try GitError.check(sluice_git_set_ssl_cert_file(bundle), "git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS)")
        }
    }
}
