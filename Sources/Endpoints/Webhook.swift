import Crypto
import Foundation

/// Verifies git push webhooks. GitHub signs the body with HMAC-SHA256 (`X-Hub-Signature-256:
/// sha256=<hex>`); GitLab sends the shared secret itself (`X-Gitlab-Token`). Both comparisons are
/// constant-time.
public struct WebhookVerifier: Sendable {
    let secret: [UInt8]

    public init(secret: String) { self.secret = Array(secret.utf8) }

    public enum Verdict: Equatable, Sendable {
        case github
        case gitlab
        case rejected(String)
    }

    /// `headers` with lowercased names.
    public func verify(headers: [String: String], body: [UInt8]) -> Verdict {
        if let signature = headers["x-hub-signature-256"] {
            guard signature.hasPrefix("sha256="), let mac = Self.hex(String(signature.dropFirst(7))) else {
                return .rejected("malformed X-Hub-Signature-256")
            }
            let key = SymmetricKey(data: secret)
            return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key) ? .github : .rejected("signature mismatch")
        }
        if let token = headers["x-gitlab-token"] {
            return Self.constantTimeEqual(Array(token.utf8), secret) ? .gitlab : .rejected("token mismatch")
        }
        return .rejected("no X-Hub-Signature-256 or X-Gitlab-Token header")
    }

    /// What GitHub would send for `body`: for tests and for documentation.
    public func githubSignature(_ body: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
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
