public import Foundation
public import Values

/// A status condition, as Kubernetes objects carry them.
public struct Condition: Sendable, Equatable {
    public var type: String
    /// "True" or "False".
    public var status: String
    public var reason: String
    public var message: String
    public var observedGeneration: Int?

    public init(type: String, status: Bool, reason: String, message: String, observedGeneration: Int? = nil) {
        self.type = type
        self.status = status ? "True" : "False"
        self.reason = reason
        self.message = message
        self.observedGeneration = observedGeneration
    }
}

/// The conditions a ModelDeployment's status carries. Pure.
public enum Conditions {
    public static let statusUnreadable = "StatusUnreadable"

    /// `Ready` (the version git names runs and is stable) and `Progressing` (a canary is under
    /// way), from the rollout's status.
    public static func rollout(_ s: RolloutStatus, generation: Int) -> [Condition] {
        // A canary that ended without a verdict is held like a rolled-back one, but says so: its
        // version did not fail.
        let reason = s.phase == .rolledBack && s.inconclusive?.holding == true ? "Inconclusive" : s.phase.rawValue
        return [
            Condition(type: "Ready", status: s.phase == .succeeded, reason: reason, message: s.message, observedGeneration: generation),
            Condition(type: "Progressing", status: s.phase == .progressing || s.phase == .paused, reason: reason, message: s.message),
        ]
    }

    /// The conditions as status JSON. A condition keeps the `lastTransitionTime` it had while its
    /// status does not change (the Kubernetes convention: the time says when it became true or
    /// false, not when it was last written).
    public static func value(_ conditions: [Condition], previous: [Value], now: Date) -> [Value] {
        conditions.map { c in
            let before = previous.first { $0["type"]?.stringValue == c.type }
            let since = before?["status"]?.stringValue == c.status ? before?["lastTransitionTime"]?.stringValue : nil
            var v: Value = [
                "type": .string(c.type), "status": .string(c.status), "reason": .string(c.reason), "message": .string(c.message),
                "lastTransitionTime": .string(since ?? timestamp(now)),
            ]
            if let g = c.observedGeneration { v["observedGeneration"] = .int(Int64(g)) }
            return v
        }
    }

    /// The conditions to write when the status cannot be read: those already there that look
    /// like conditions, with `StatusUnreadable` set to True. The status itself is left as it is.
    public static func unreadable(_ error: StoredStateError, previous: Value?, now: Date) -> [Value] {
        let existing = (previous?.arrayValue ?? []).filter { $0["type"]?.stringValue != nil && $0["type"]?.stringValue != statusUnreadable }
        let condition = Condition(
            type: statusUnreadable, status: true, reason: "DecodeFailed",
            message: "\(error.description); nothing that runs is changed until the status is fixed or removed (then it is rebuilt from the cluster)")
        return existing + value([condition], previous: previous?.arrayValue ?? [], now: now)
    }

    static func timestamp(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false)) }
}
