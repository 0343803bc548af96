import Foundation
import Git
import TestSupport
import Testing

@Suite(.offThePool) struct AuthenticationTests {
    static let secret = "s3cr3t-token-value"

    func fixtureWithCommit() throws -> (GitFixture, String) {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", "v: 1\n")
        return (fixture, try fixture.commit("one"))
    }

    @Test func httpWithTokenCredentials() throws {
        let (fixture, sha) = try fixtureWithCommit()
        let server = try GitHTTPServer(serving: fixture, user: "x-access-token", password: Self.secret)
        let mirror = try Mirror(
            url: server.url, cacheDirectory: TemporaryDirectory().path,
            options: GitTransportOptions(credentials: .token(Self.secret)))
        try mirror.fetch()
        #expect(try mirror.resolve("main").hex == sha)
        #expect(try mirror.fetch().receivedObjects == 0)
    }

    @Test func aTokenFileIsReadAtEveryFetchSoRotationNeedsNoRestart() throws {
        let (fixture, _) = try fixtureWithCommit()
        let server = try GitHTTPServer(serving: fixture, user: "x-access-token", password: Self.secret)
        let dir = TemporaryDirectory()
        let tokenFile = try dir.write("token", "expired-token\n")
        let mirror = try Mirror(url: server.url, cacheDirectory: dir.file("cache"), options: GitTransportOptions(credentials: .tokenFile(tokenFile)))
        do {
            try mirror.fetch()
            Issue.record("fetched with an expired token")
        } catch let e as GitError {
            #expect(e.code == .authentication)
            #expect(!"\(e)".contains("expired-token"))
        }
        // The Secret is rotated: the same mirror, same options, now succeeds.
        try dir.write("token", Self.secret + "\n")
        try mirror.fetch()
        #expect(try mirror.resolve("main").hex.count == 40)
        try FileManager.default.removeItem(atPath: tokenFile)
        try fixture.write("b.yaml", "v: 2\n")
        try fixture.commit("two")
        #expect(throws: GitError.self) { try mirror.fetch() }
    }

    @Test func wrongOrMissingCredentialsFailWithoutLeakingThem() throws {
        let (fixture, _) = try fixtureWithCommit()
        let server = try GitHTTPServer(serving: fixture, user: "x-access-token", password: Self.secret)
        let wrong = "wrong-\(Self.secret)"
        for credentials in [GitCredentials.token(wrong), .basic(username: "me", password: wrong), nil] {
            let mirror = try Mirror(
                url: server.url, cacheDirectory: TemporaryDirectory().path, options: GitTransportOptions(credentials: credentials))
            do {
                try mirror.fetch()
                Issue.record("fetch succeeded with \(String(describing: credentials))")
            } catch let e as GitError {
                #expect(e.code == .authentication, "\(e)")
                #expect(!"\(e)".contains(wrong))
                #expect(!"\(e)".contains(Self.secret))
            }
        }
    }

    @Test func credentialsInTheURLAreNeverShown() throws {
        let (fixture, _) = try fixtureWithCommit()
        let server = try GitHTTPServer(serving: fixture, user: "bot", password: Self.secret)
        let url = server.url.replacingOccurrences(of: "http://", with: "http://bot:\(Self.secret)@")
        let mirror = try Mirror(url: url, cacheDirectory: TemporaryDirectory().path)
        try mirror.fetch()
        #expect(!mirror.displayURL.contains(Self.secret))
        #expect(!mirror.directory.contains(Self.secret))
        server.stop()
        do {
            try mirror.fetch()
        } catch {
            #expect(!"\(error)".contains(Self.secret))
        }
        #expect(Redaction.scrubURLCredentials("failed: https://u:p@host/x and ssh://git@h:22/y") == "failed: https://***@host/x and ssh://***@h:22/y")
    }

    @Test func httpsWithAPrivateCA() throws {
        let (fixture, sha) = try fixtureWithCommit()
        let server = try GitHTTPServer(serving: fixture, user: "u", password: Self.secret, tls: true)
        let options = GitTransportOptions(credentials: .basic(username: "u", password: Self.secret))
        let untrusted = try Mirror(url: server.url, cacheDirectory: TemporaryDirectory().path, options: options)
        do {
            try untrusted.fetch()
            Issue.record("a certificate from an unknown CA was accepted")
        } catch let e as GitError {
            #expect(e.code == .certificate, "\(e)")
        }
        try addTrustedCertificates(file: try #require(server.certificates).caFile)
        let mirror = try Mirror(url: server.url, cacheDirectory: TemporaryDirectory().path, options: options)
        try mirror.fetch()
        #expect(try mirror.resolve(nil).hex == sha)
    }

    @Test func sshWithKeyAndKnownHosts() throws {
        guard GitFeatures.current.ssh else { return }
        let (fixture, sha) = try fixtureWithCommit()
        let sshd = try SSHServer(in: fixture.root)
        let credentials = GitCredentials.sshKey(username: sshd.user, privateKeyPath: sshd.clientKey, publicKeyPath: sshd.clientKey + ".pub")
        let mirror = try Mirror(
            url: sshd.url(for: fixture.bare), cacheDirectory: TemporaryDirectory().path,
            options: GitTransportOptions(credentials: credentials, knownHostsFile: sshd.knownHosts))
        try mirror.fetch()
        #expect(try mirror.resolve("main").hex == sha)

        // A host key that does not match known_hosts is refused.
        let otherKey = fixture.root.file("other_host_key")
        try run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", otherKey], check: true)
        let pub = try String(contentsOfFile: otherKey + ".pub", encoding: .utf8).split(separator: " ")
        let wrongHosts = try fixture.root.write("wrong_known_hosts", "[127.0.0.1]:\(sshd.port) \(pub[0]) \(pub[1])\n")
        let emptyHosts = try fixture.root.write("empty_known_hosts", "# nothing\n")
        for (file, expected) in [(wrongHosts, "does not match"), (emptyHosts, "is not in")] {
            let refused = try Mirror(
                url: sshd.url(for: fixture.bare), cacheDirectory: TemporaryDirectory().path,
                options: GitTransportOptions(credentials: credentials, knownHostsFile: file))
            do {
                try refused.fetch()
                Issue.record("connected despite \(file)")
            } catch let e as GitError {
                #expect(e.code == .certificate)
                #expect(e.message.contains(expected), "\(e)")
            }
        }
    }
}
