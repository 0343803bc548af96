import Foundation
import HTTP
import Kube
import KubeEmulator
import TestSupport
import Testing
import YAML

/// Every way a kubeconfig (or a pod) can carry credentials, against an emulator that demands them.
@Suite(.offThePool) struct ConfigurationTests {
    func caFile(_ fx: EmulatorFixture) throws -> String {
        try fx.dir.write("ca.crt", fx.emulator.caCertificatePEM!)
    }

    func kubeconfig(server: String, cluster: String, user: String, namespace: String = "default", extraContexts: String = "") -> String {
        // Callers indent fields by six spaces; under `cluster:` and `user:` they belong at four.
        let dedent = { (s: String) in s.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.dropFirst(2)) }.joined(separator: "\n") }
        let cluster = dedent(cluster)
        let user = dedent(user)
        return """
            apiVersion: v1
            kind: Config
            current-context: main
            clusters:
            - name: c
              cluster:
                server: \(server)
            \(cluster)
            users:
            - name: u
              user:
            \(user)
            contexts:
            - name: main
              context: {cluster: c, user: u, namespace: \(namespace)}
            \(extraContexts)
            """
    }

    func works(_ config: ClusterConfig) async throws -> Bool {
        let client = KubeClient(config: config, retry: .none)
        defer { client.shutdown() }
        return try await client.getJSON("/api/v1/namespaces/default")["kind"] == "Namespace"
    }

    @Test func tokenRelativeCAFileAndNamespace() async throws {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "tok-123"
        }
        _ = try caFile(fx)
        let path = try fx.dir.write(
            "sub/config",
            kubeconfig(server: fx.emulator.url, cluster: "      certificate-authority: ../ca.crt", user: "      token: tok-123", namespace: "team-a"))
        let config = try KubeConfigLoader.fromFiles([path])
        #expect(config.namespace == "team-a")
        #expect(try await works(config))
        #expect(!"\(config.auth)".contains("tok-123"), "descriptions never show secrets")
        await fx.stop()
    }

    @Test func wrongTokenIsUnauthorized() async throws {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "right"
        }
        let config = ClusterConfig(server: fx.emulator.url, tls: TLSOptions(ca: .data(Array(fx.emulator.caCertificatePEM!.utf8))), auth: .token("wrong"))
        await #expect { try await works(config) } throws: { ($0 as? KubeError)?.reason == .unauthorized }
        // The CA is checked: without it the connection fails, with insecure-skip-tls-verify it works.
        let noCA = ClusterConfig(server: fx.emulator.url, auth: .token("right"))
        await #expect { try await works(noCA) } throws: { ($0 as? KubeError)?.reason == .transport }
        let insecure = ClusterConfig(server: fx.emulator.url, tls: TLSOptions(insecureSkipVerify: true), auth: .token("right"))
        #expect(try await works(insecure))
        await fx.stop()
    }

    @Test func clientCertificateAsDataAndAsFiles() async throws {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.requireClientCertificate = true
        }
        let (cert, key) = fx.emulator.clientCertificate!
        let b64 = { (s: String) in Data(s.utf8).base64EncodedString() }
        let ca = b64(fx.emulator.caCertificatePEM!)
        let asData = try fx.dir.write(
            "data.yaml",
            kubeconfig(
                server: fx.emulator.url, cluster: "      certificate-authority-data: \(ca)",
                user: "      client-certificate-data: \(b64(cert))\n      client-key-data: \(b64(key))"))
        #expect(try await works(try KubeConfigLoader.fromFiles([asData])))
        try fx.dir.write("client.crt", cert)
        try fx.dir.write("client.key", key)
        let asFiles = try fx.dir.write(
            "files.yaml",
            kubeconfig(
                server: fx.emulator.url, cluster: "      certificate-authority-data: \(ca)",
                user: "      client-certificate: client.crt\n      client-key: client.key"))
        #expect(try await works(try KubeConfigLoader.fromFiles([asFiles])))
        // Without a certificate the TLS handshake fails.
        let none = try fx.dir.write("none.yaml", kubeconfig(server: fx.emulator.url, cluster: "      certificate-authority-data: \(ca)", user: "      {}"))
        await #expect { try await works(try KubeConfigLoader.fromFiles([none])) } throws: { ($0 as? KubeError)?.reason == .transport }
        await fx.stop()
    }

    @Test func basicAuth() async throws {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.basicAuth = ("admin", "pa55")
        }
        let path = try fx.dir.write(
            "basic.yaml",
            kubeconfig(server: fx.emulator.url, cluster: "      insecure-skip-tls-verify: true", user: "      username: admin\n      password: pa55"))
        #expect(try await works(try KubeConfigLoader.fromFiles([path])))
        await fx.stop()
    }

    @Test func execCredentialPluginIsCachedUntilExpiry() async throws {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "from-plugin"
        }
        let counter = fx.dir.file("calls")
        let expiry = Date().addingTimeInterval(3600).formatted(.iso8601)
        let script = try fx.dir.write(
            "plugin.sh",
            """
            #!/bin/sh
            echo x >> \(counter)
            test -n "$KUBERNETES_EXEC_INFO" || exit 3
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"'$PLUGIN_TOKEN'","expirationTimestamp":"\(expiry)"}}'

            """)
        chmod(script, 0o755)
        let path = try fx.dir.write(
            "exec.yaml",
            kubeconfig(
                server: fx.emulator.url, cluster: "      insecure-skip-tls-verify: true",
                user:
                    "      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: ./plugin.sh\n        env: [{name: PLUGIN_TOKEN, value: from-plugin}]"
            ))
        let client = KubeClient(config: try KubeConfigLoader.fromFiles([path]), retry: .none)
        for _ in 0..<3 { _ = try await client.getJSON("/api/v1/namespaces/default") }
        #expect(try String(contentsOfFile: counter, encoding: .utf8).split(separator: "\n").count == 1, "the credential is reused")
        client.shutdown()

        let failing = try fx.dir.write("fail.sh", "#!/bin/sh\necho 'no credentials for you' >&2\nexit 1\n")
        chmod(failing, 0o755)
        let failPath = try fx.dir.write(
            "exec-fail.yaml",
            kubeconfig(server: fx.emulator.url, cluster: "      insecure-skip-tls-verify: true", user: "      exec:\n        command: \(failing)"))
        do {
            _ = try await works(try KubeConfigLoader.fromFiles([failPath]))
            Issue.record("a failing plugin was accepted")
        } catch let e as KubeError {
            #expect(e.reason == .credentials)
            #expect(e.message.contains("no credentials for you"))
        }
        // An expiry that does not parse is the plugin's error, not a credential that never expires.
        let garbled = try fx.dir.write(
            "garbled.sh",
            "#!/bin/sh\necho '{\"kind\":\"ExecCredential\",\"status\":{\"token\":\"from-plugin\",\"expirationTimestamp\":\"tomorrow\"}}'\n")
        chmod(garbled, 0o755)
        let garbledPath = try fx.dir.write(
            "exec-garbled.yaml",
            kubeconfig(server: fx.emulator.url, cluster: "      insecure-skip-tls-verify: true", user: "      exec:\n        command: \(garbled)"))
        do {
            _ = try await works(try KubeConfigLoader.fromFiles([garbledPath]))
            Issue.record("an unparseable expiry was taken as none")
        } catch let e as KubeError {
            #expect(e.reason == .credentials && e.message.contains("expirationTimestamp 'tomorrow' is not an RFC 3339 time"), "\(e.message)")
        }
        await fx.stop()
    }

    @Test func aSlowCredentialPluginRunsOnceAndHoldsUpNothingElse() async throws {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "from-plugin"
        }
        let counter = fx.dir.file("calls")
        let script = try fx.dir.write(
            "slow-plugin.sh",
            """
            #!/bin/sh
            echo x >> \(counter)
            sleep 3
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}'

            """)
        chmod(script, 0o755)
        let path = try fx.dir.write(
            "slow.yaml",
            kubeconfig(server: fx.emulator.url, cluster: "      insecure-skip-tls-verify: true", user: "      exec:\n        command: \(script)"))
        // As many clients as the cooperative pool has threads (one per core): a plugin run that
        // blocked a pool thread would, with one per client, hold up every task in the process.
        let clients = try (0..<ProcessInfo.processInfo.activeProcessorCount).map { _ in
            KubeClient(config: try KubeConfigLoader.fromFiles([path]), retry: .none)
        }
        // Unstructured tasks run on the pool, as the controller's work does (test bodies do not).
        let fetches = clients.flatMap { client in
            (0..<3).map { _ in Task { try await client.getJSON("/api/v1/namespaces/default") } }
        }
        try await eventually("every client's plugin run started") {
            ((try? String(contentsOfFile: counter, encoding: .utf8)) ?? "").split(separator: "\n").count == clients.count
        }
        let start = Date()
        let probe = Task { try? await Task.sleep(for: .milliseconds(10)) }
        await probe.value
        let lag = Date().timeIntervalSince(start)
        #expect(lag < 1.5, "a task on the pool waited \(lag) s while credential plugins ran")
        for fetch in fetches { _ = try await fetch.value }
        let runs = try String(contentsOfFile: counter, encoding: .utf8).split(separator: "\n").count
        #expect(runs == clients.count, "three requests at once share one plugin run per client")
        for client in clients { client.shutdown() }
        await fx.stop()
    }

    @Test func tokenFileIsReReadWhenItChanges() async throws {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "current"
        }
        let tokenFile = try fx.dir.write("token", "current\n")
        let config = ClusterConfig(server: fx.emulator.url, tls: TLSOptions(insecureSkipVerify: true), auth: .tokenFile(tokenFile))
        let client = KubeClient(config: config, retry: .none)
        _ = try await client.getJSON("/api")
        // The file is looked at again at most once a second: the rotated token is read soon.
        try "rotated-away\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await eventually("the rotated token is sent", timeout: 5) {
            do {
                _ = try await client.getJSON("/api")
                return false
            } catch { return (error as? KubeError)?.reason == .unauthorized }
        }
        try "current\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        try await eventually("the token rotated back is sent", timeout: 5) { (try? await client.getJSON("/api"))?["kind"] == "APIVersions" }
        client.shutdown()
        await fx.stop()
    }

    @Test func mergedKubeconfigsAndContexts() async throws {
        let dir = TemporaryDirectory()
        let first = try dir.write(
            "one",
            """
            apiVersion: v1
            kind: Config
            current-context: prod
            clusters:
            - {name: prod, cluster: {server: "https://prod.example:6443"}}
            users:
            - {name: me, user: {token: one}}
            contexts:
            - {name: prod, context: {cluster: prod, user: me, namespace: ml}}
            """)
        let second = try dir.write(
            "two",
            """
            apiVersion: v1
            kind: Config
            current-context: staging
            clusters:
            - {name: prod, cluster: {server: "https://ignored.example"}}
            - {name: staging, cluster: {server: "https://staging.example:6443"}}
            users:
            - {name: me, user: {token: ignored}}
            contexts:
            - {name: staging, context: {cluster: staging, user: me}}
            """)
        let prod = try KubeConfigLoader.load(environment: ["KUBECONFIG": "\(first):\(dir.file("missing")):\(second)"])
        #expect(prod.server == "https://prod.example:6443")
        #expect(prod.namespace == "ml")
        if case .token(let t) = prod.auth { #expect(t == "one") } else { Issue.record("expected a token") }
        let staging = try KubeConfigLoader.load(.init(context: "staging", namespace: "override"), environment: ["KUBECONFIG": "\(first):\(second)"])
        #expect(staging.server == "https://staging.example:6443")
        #expect(staging.namespace == "override")
        do {
            _ = try KubeConfigLoader.load(.init(context: "nope"), environment: ["KUBECONFIG": first])
            Issue.record("a missing context was accepted")
        } catch let e as KubeError {
            #expect(e.message.contains("context \"nope\" not found (contexts: prod)"))
        }
        let explicit = try KubeConfigLoader.load(.init(kubeconfig: second), environment: ["KUBECONFIG": first, "KUBERNETES_SERVICE_HOST": "10.0.0.1"])
        #expect(explicit.server == "https://staging.example:6443", "--kubeconfig wins over everything")
    }

    @Test func inClusterServiceAccount() async throws {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "sa-token"
        }
        let sa = TemporaryDirectory()
        try sa.write("token", "sa-token")
        try sa.write("ca.crt", fx.emulator.caCertificatePEM!)
        try sa.write("namespace", "sluice-system\n")
        let env = ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": String(fx.emulator.port), "SLUICE_SERVICE_ACCOUNT_DIR": sa.path]
        let config = try KubeConfigLoader.load(environment: env)
        #expect(config.server == "https://127.0.0.1:\(fx.emulator.port)")
        #expect(config.namespace == "sluice-system")
        #expect(config.origin.contains("in-cluster"))
        #expect(try await works(config))
        #expect(throws: KubeError.self) {
            try InClusterConfig.load(environment: ["KUBERNETES_SERVICE_HOST": "1.2.3.4", "SLUICE_SERVICE_ACCOUNT_DIR": "/nonexistent"])
        }
        await fx.stop()
    }
}
