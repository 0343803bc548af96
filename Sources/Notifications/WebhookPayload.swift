import Crypto
public import Foundation
import Values

/// The generic webhook: a versioned JSON body, signed as GitHub signs its webhooks — HMAC-SHA256
/// of the exact body bytes with the channel's secret, hex, in `X-Sluice-Signature-256:
/// sha256=<hex>` — with the event's id in `X-Sluice-Delivery` (the same on a retry, so a
/// receiver can drop duplicates) and its kind in `X-Sluice-Event`.
public enum WebhookPayload {
    public static let apiVersion = "notifications.sluice.dev/v1"

    public static func body(_ n: NotificationEvent) -> [UInt8] {
        var v: Value = [
            "apiVersion": .string(apiVersion), "id": .string(n.id), "event": .string(n.kind.rawValue),
            "severity": .string(n.kind.isWarning ? "warning" : "info"), "time": .string(n.time.formatted(.iso8601)),
            "object": ["kind": .string(n.objectKind), "namespace": .string(n.namespace), "name": .string(n.name)],
            "message": .string(n.message),
        ]
        if let version = n.version { v["version"] = .string(version) }
        if let e = n.evidence {
            var evidence: Value = ["slo": .string(e.slo)]
            for (key, x) in [("estimate", e.estimate), ("lower", e.lower), ("upper", e.upper), ("threshold", e.threshold), ("samples", e.samples)] {
                if let x, x.isFinite { evidence[key] = .double(x) }
            }
            v["evidence"] = evidence
        }
        // Every number is finite (checked above), the one thing JSON cannot hold.
        return (try? JSON.bytes(v)) ?? []
    }

    public static func signature(_ body: [UInt8], secret: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    public static func headers(_ n: NotificationEvent, body: [UInt8], secret: [UInt8]?) -> [(name: String, value: String)] {
        var h: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("X-Sluice-Event", n.kind.rawValue), ("X-Sluice-Delivery", n.id),
        ]
        if let secret { h.append(("X-Sluice-Signature-256", signature(body, secret: secret))) }
        return h
    }
}
