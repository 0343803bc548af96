import ChildProcess
import Foundation
import YAML

/// Produces the Authorization header for requests, caching what is expensive to get: a token
/// file is re-read when it changes (service-account tokens rotate), an exec plugin's credential
/// is reused until shortly before it expires or the server rejects it.
actor Authenticator {
    let auth: ClusterConfig.Auth
    private var fileToken: (token: String, modified: Date, checked: Date)?
    private var execToken: (token: String, expires: Date?)?
    /// The plugin run in progress: requests that need a credential meanwhile wait for it rather
    /// than start the plugin again.
    private var execRun: Task<(token: String, expires: Date?), any Error>?

    init(_ auth: ClusterConfig.Auth) { self.auth = auth }

    func header() async throws -> String? {
        switch auth {
        case .none: return nil
        case .token(let t): return "Bearer \(t)"
        case .basic(let u, let p): return "Basic " + Data("\(u):\(p)".utf8).base64EncodedString()
        case .tokenFile(let path): return "Bearer \(try tokenFromFile(path))"
        case .exec(let e): return "Bearer \(try await tokenFromExec(e))"
        }
    }

    /// The server said 401: forget cached credentials so the next request fetches fresh ones.
    func invalidate() {
        fileToken = nil
        execToken = nil
    }

    private func tokenFromFile(_ path: String) throws -> String {
        let now = Date()
        if let cached = fileToken, now.timeIntervalSince(cached.checked) < 1 { return cached.token }
        // A file whose date cannot be read is read again (distantPast never matches a cached date).
        let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date.distantPast
        if let cached = fileToken, cached.modified == modified {
            fileToken?.checked = now
            return cached.token
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeError(reason: .credentials, message: "token file \(path) cannot be read")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw KubeError(reason: .credentials, message: "token file \(path) is empty") }
        fileToken = (token, modified, now)
        return token
    }

    private func tokenFromExec(_ e: ClusterConfig.ExecConfig) async throws -> String {
        if let cached = execToken, cached.expires.map({ $0.timeIntervalSinceNow > 10 }) ?? true { return cached.token }
        let run = execRun ?? Task { try await Self.runPlugin(e) }
        execRun = run
        defer { if execRun == run { execRun = nil } }
        let credential = try await run.value
        execToken = credential
        return credential.token
    }

    /// Runs the plugin (on a thread of its own: plugins may take seconds, and may hang until the
    /// 30 s timeout) and reads the ExecCredential it prints.
    private static func runPlugin(_ e: ClusterConfig.ExecConfig) async throws -> (token: String, expires: Date?) {
        var env = ChildProcess.currentEnvironment()
        for (k, v) in e.env { env[k] = v }
        env["KUBERNETES_EXEC_INFO"] = #"{"apiVersion":"\#(e.apiVersion)","kind":"ExecCredential","spec":{"interactive":false}}"#
        let result: CompletedProcess
        do {
            result = try await ChildProcess.run(e.command, e.args, environment: env, directory: e.directory, timeout: 30)
        } catch {
            throw KubeError(reason: .credentials, message: "exec credential plugin \(e.command): \(error)")
        }
        guard result.status == 0, !result.timedOut else {
            let detail = result.stderrText.split(separator: "\n").prefix(3).joined(separator: "; ")
            throw KubeError(
                reason: .credentials, message: "exec credential plugin \(e.command) failed (exit \(result.status))\(detail.isEmpty ? "" : ": \(detail)")")
        }
        guard let credential = try? JSON.parse(result.stdout), credential["kind"] == "ExecCredential" else {
            throw KubeError(reason: .credentials, message: "exec credential plugin \(e.command) did not print an ExecCredential")
        }
        guard let token = credential[path: ["status", "token"]]?.stringValue, !token.isEmpty else {
            throw KubeError(
                reason: .credentials,
                message: "exec credential plugin \(e.command) returned no token (client-certificate credentials from plugins are not supported)")
        }
        var expires: Date?
        if let text = credential[path: ["status", "expirationTimestamp"]]?.stringValue {
            // A timestamp that does not parse is the plugin's error, not "never expires".
            guard let date = try? Date(text, strategy: .iso8601) else {
                throw KubeError(
                    reason: .credentials, message: "exec credential plugin \(e.command): status.expirationTimestamp '\(text)' is not an RFC 3339 time")
            }
            expires = date
        }
        return (token, expires)
    }
}

/// A token bucket: `qps` requests per second on average, bursts of up to `burst`.
actor RateLimiter {
    let qps: Double
    let burst: Double
    private var tokens: Double
    private var last = ContinuousClock.now

    init(qps: Double, burst: Int) {
        self.qps = qps
        self.burst = Double(max(1, burst))
        tokens = Double(max(1, burst))
    }

    func acquire() async {
        guard qps > 0 else { return }
        while true {
            let now = ContinuousClock.now
            tokens = min(burst, tokens + Double((now - last) / .seconds(1)) * qps)
            last = now
            if tokens >= 1 {
                tokens -= 1
                return
            }
            try? await Task.sleep(for: .seconds((1 - tokens) / qps))
        }
    }
}
