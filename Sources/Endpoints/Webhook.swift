import Crypto
public import Foundation

/// Verifies git push webhooks, reading no more of a request than it must:
/// - GitHub signs the body with HMAC-SHA256 (`X-Hub-Signature-256: sha256=<hex>`); the delivery
///   id (`X-GitHub-Delivery`) is remembered so the same delivery is taken once.
/// - A sender that can sign a timestamp (`X-Sluice-Signature: t=<unix seconds>,sha256=<hex>` over
///   `"<t>." + body`) is held to a window of `window` seconds either side of now, and each
///   signature is taken once.
/// - GitLab sends the shared secret itself (`X-Gitlab-Token`), checked before the body is read.
/// Comparisons are constant-time. A request without one of these headers is refused before its
/// body is read; a body over `maxBodyBytes` is refused as it arrives.
public struct WebhookVerifier: Sendable {
    let secret: [UInt8]
    public let maxBodyBytes: Int
    public let window: Double
    let seen: WebhookReplayGuard
    let clock: @Sendable () -> Date

    public init(secret: String, maxBodyBytes: Int = 1 << 20, window: Double = 300, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.secret = Array(secret.utf8)
        self.maxBodyBytes = maxBodyBytes
        self.window = window
        self.clock = clock
        seen = WebhookReplayGuard(capacity: 10_000, lifetime: 2 * window + 60)
    }

    public enum Verdict: Equatable, Sendable {
        case github
        case gitlab
        case sluice
        case rejected(String)
    }

    /// What the headers alone say: which scheme the body must then satisfy, or a refusal.
    public enum Precheck: Equatable, Sendable {
        case accepted(Verdict)
        case needsBody(Scheme)
        case rejected(String)
    }

    public enum Scheme: Equatable, Sendable {
        case github(mac: [UInt8], delivery: String?)
        case sluice(mac: [UInt8], timestamp: Int)
    }

    /// `headers` with lowercased names.
    public func precheck(headers: [String: String]) -> Precheck {
        if let signature = headers["x-sluice-signature"] {
            var fields: [String: String] = [:]
            for part in signature.split(separator: ",") {
                let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if kv.count == 2 { fields[kv[0]] = kv[1] }
            }
            guard let t = fields["t"].flatMap(Int.init), let mac = fields["sha256"].flatMap(Self.hex), mac.count == 32 else {
                return .rejected("malformed X-Sluice-Signature")
            }
            let age = clock().timeIntervalSince1970 - Double(t)
            guard abs(age) <= window else { return .rejected("X-Sluice-Signature timestamp is \(Int(age)) s from now, outside ±\(Int(window)) s") }
            return .needsBody(.sluice(mac: mac, timestamp: t))
        }
        if let signature = headers["x-hub-signature-256"] {
            guard signature.hasPrefix("sha256="), let mac = Self.hex(String(signature.dropFirst(7))), mac.count == 32 else {
                return .rejected("malformed X-Hub-Signature-256")
            }
            return .needsBody(.github(mac: mac, delivery: headers["x-github-delivery"]))
        }
        if let token = headers["x-gitlab-token"] {
            return Self.constantTimeEqual(Array(token.utf8), secret) ? .accepted(.gitlab) : .rejected("token mismatch")
        }
        return .rejected("no X-Hub-Signature-256, X-Sluice-Signature or X-Gitlab-Token header")
    }

    /// A body's MAC, fed as it is read.
    public struct BodyCheck {
        let scheme: Scheme
        var mac: HMAC<SHA256>
        public private(set) var bytes = 0
        let limit: Int

        /// False once the body is over the limit: stop reading.
        public mutating func add(_ chunk: some Collection<UInt8>) -> Bool {
            bytes += chunk.count
            guard bytes <= limit else { return false }
            mac.update(data: Array(chunk))
            return true
        }
    }

    public func bodyCheck(_ scheme: Scheme) -> BodyCheck {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: secret))
        if case .sluice(_, let t) = scheme { mac.update(data: Array("\(t).".utf8)) }
        return BodyCheck(scheme: scheme, mac: mac, limit: maxBodyBytes)
    }

    /// The verdict once the whole body went through `check`.
    public func finish(_ check: BodyCheck) -> Verdict {
        guard check.bytes <= maxBodyBytes else { return .rejected("body over \(maxBodyBytes) bytes") }
        let computed = Array(check.mac.finalize())
        switch check.scheme {
        case .github(let mac, let delivery):
            guard Self.constantTimeEqual(computed, mac) else { return .rejected("signature mismatch") }
            if let delivery, !seen.first("github:\(delivery)", now: clock()) { return .rejected("delivery \(delivery) was already taken") }
            return .github
        case .sluice(let mac, _):
            guard Self.constantTimeEqual(computed, mac) else { return .rejected("signature mismatch") }
            if !seen.first("sluice:\(mac.map { String(format: "%02x", $0) }.joined())", now: clock()) { return .rejected("this signature was already taken") }
            return .sluice
        }
    }

    /// The whole check for a body already in memory.
    public func verify(headers: [String: String], body: [UInt8]) -> Verdict {
        switch precheck(headers: headers) {
        case .accepted(let v): return v
        case .rejected(let why): return .rejected(why)
        case .needsBody(let scheme):
            var check = bodyCheck(scheme)
            guard check.add(body) else { return .rejected("body over \(maxBodyBytes) bytes") }
            return finish(check)
        }
    }

    /// How many deliveries are remembered now (bounded by the guard's capacity).
    public var replayGuardSize: Int { seen.count }

    /// What GitHub would send for `body`: for tests and for documentation.
    public func githubSignature(_ body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// `X-Sluice-Signature` for `body` sent at `time`.
    public func sluiceSignature(_ body: [UInt8], at time: Date) -> String {
        let t = Int(time.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(t).".utf8) + body, using: SymmetricKey(data: secret))
        return "t=\(t),sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func hex(_ s: String) -> [UInt8]? {
        guard s.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            guard let b = UInt8(s[i..<j], radix: 16) else { return nil }
            out.append(b)
            i = j
        }
        return out
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
