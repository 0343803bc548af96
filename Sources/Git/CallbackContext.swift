internal import CGit2
import Foundation

/// State libgit2's C callbacks need during one network operation. C function pointers cannot
/// capture Swift context, so the callbacks reach this object through libgit2's `payload`
/// pointer; the caller keeps it alive for the whole call.
final class CallbackContext {
    let url: String
    let options: GitTransportOptions
    var credentialAttempts = 0
    /// A precise reason recorded inside a callback, reported instead of libgit2's generic one.
    var failure: GitError?

    init(url: String, options: GitTransportOptions) {
        self.url = url
        self.options = options
    }

    func install(into callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = { out, _, usernameFromURL, allowed, payload in
            guard let payload, let out else { return -1 }
            let context = Unmanaged<CallbackContext>.fromOpaque(payload).takeUnretainedValue()
            return context.acquire(out, usernameFromURL: usernameFromURL.map { String(cString: $0) }, allowed: allowed)
        }
        callbacks.certificate_check = { cert, valid, host, payload in
            guard let payload, let cert else { return -1 }
            let context = Unmanaged<CallbackContext>.fromOpaque(payload).takeUnretainedValue()
            return context.checkCertificate(cert, valid: valid != 0, host: host.map { String(cString: $0) } ?? "")
        }
    }

    func check(_ rc: Int32, _ call: String) throws {
        guard rc < 0 else { return }
        if let failure { throw failure }
        throw GitError(rc: rc, call: call)
    }

    private func acquire(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, usernameFromURL: String?, allowed: UInt32) -> Int32 {
        credentialAttempts += 1
        guard let credentials = options.credentials else {
            failure = GitError(
                call: "authenticate", code: .authentication, message: "\(Redaction.scrubURLCredentials(url)) asks for credentials and none are configured")
            return GIT_EAUTH.rawValue
        }
        // libgit2 asks again after a rejected credential; a second ask means the first was wrong.
        if credentialAttempts > 2 {
            failure = GitError(
                call: "authenticate", code: .authentication, message: "\(Redaction.scrubURLCredentials(url)) rejected the configured \(credentials)")
            return GIT_EAUTH.rawValue
        }
        switch credentials {
        case .token(let token, let username):
            guard allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else { return GIT_PASSTHROUGH.rawValue }
            return git_credential_userpass_plaintext_new(out, username, token)
        case .basic(let username, let password):
            guard allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else { return GIT_PASSTHROUGH.rawValue }
            return git_credential_userpass_plaintext_new(out, username, password)
        case .tokenFile(let file, let username), .basicPasswordFile(let username, let file):
            guard allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 else { return GIT_PASSTHROUGH.rawValue }
            guard let data = FileManager.default.contents(atPath: file) else {
                failure = GitError(call: "authenticate", code: .authentication, message: "credential file \(file) cannot be read")
                return GIT_EAUTH.rawValue
            }
            let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return git_credential_userpass_plaintext_new(out, username, secret)
        case .sshKey(let username, let privateKey, let publicKey, let passphrase):
            let user = usernameFromURL ?? username
            if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0, allowed & GIT_CREDENTIAL_SSH_KEY.rawValue == 0 {
                return git_credential_username_new(out, user)
            }
            guard allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 else { return GIT_PASSTHROUGH.rawValue }
            guard FileManager.default.isReadableFile(atPath: privateKey) else {
                failure = GitError(call: "authenticate", code: .authentication, message: "SSH private key \(privateKey) cannot be read")
                return GIT_EAUTH.rawValue
            }
            return git_credential_ssh_key_new(out, user, publicKey, privateKey, passphrase)
        }
    }

    private func checkCertificate(_ cert: UnsafeMutablePointer<git_cert>, valid: Bool, host: String) -> Int32 {
        guard cert.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2 else {
            // HTTPS: libgit2 has verified the chain against the system CAs plus any added with
            // `addTrustedCertificates`; keep its verdict.
            if !valid {
                failure = GitError(
                    call: "TLS", code: .certificate, message: "the TLS certificate of \(host) is not trusted (add its CA with the source's caFile)")
            }
            return valid ? 0 : GIT_ECERTIFICATE.rawValue
        }
        let hostkey = UnsafeMutableRawPointer(cert).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        guard hostkey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let raw = hostkey.hostkey else {
            failure = GitError(call: "SSH host key", code: .certificate, message: "\(host) sent no host key that can be checked")
            return GIT_ECERTIFICATE.rawValue
        }
        let key = Array(UnsafeRawBufferPointer(start: raw, count: hostkey.hostkey_len))
        let file = options.knownHostsFile ?? (NSHomeDirectory() + "/.ssh/known_hosts")
        guard let knownHosts = KnownHosts.load(file) else {
            failure = GitError(call: "SSH host key", code: .certificate, message: "cannot read known_hosts file \(file); give one with the source's knownHosts")
            return GIT_ECERTIFICATE.rawValue
        }
        switch knownHosts.verify(host: host, port: RemoteURL.port(of: url), key: key) {
        case .trusted:
            return 0
        case .unknownHost:
            failure = GitError(call: "SSH host key", code: .certificate, message: "\(host) is not in \(file); add its key (ssh-keyscan) to trust it")
        case .mismatch:
            failure = GitError(
                call: "SSH host key", code: .certificate,
                message: "the host key of \(host) does not match \(file): refusing to connect (possible man-in-the-middle)")
        }
        return GIT_ECERTIFICATE.rawValue
    }
}

/// Just enough URL parsing for host-key checks: scp-style `user@host:path` and `ssh://` URLs.
enum RemoteURL {
    static func port(of url: String) -> Int? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        let hostPort = authority.split(separator: "@").last ?? authority[...]
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return nil }
            let after = hostPort[hostPort.index(after: close)...]
            return after.hasPrefix(":") ? Int(after.dropFirst()) : nil
        }
        guard let colon = hostPort.lastIndex(of: ":") else { return nil }
        return Int(hostPort[hostPort.index(after: colon)...])
    }
}
