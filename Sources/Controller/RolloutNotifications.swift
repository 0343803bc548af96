import Foundation
import Notifications
import Rollout

/// What a rollout's decision tells people: its events as notifications, with the evidence of
/// the SLO a rollback rests on. Each has the id of the history entry it comes from
/// (`namespace/name/version/event/time`), so one re-announced after a restart is the same
/// notification, which queues and webhook receivers drop.
enum RolloutNotifications {
    static let kinds: [String: NotificationEvent.Kind] = [
        "CanaryStarted": .canaryStarted, "StepAdvanced": .stepAdvanced, "Paused": .paused, "Promoted": .promoted, "RolledBack": .rolledBack,
        "Inconclusive": .inconclusive,
    ]
    /// Re-announced after a restart when this recent: the endings someone must hear about.
    static let replayed: Set<NotificationEvent.Kind> = [.rolledBack, .inconclusive]
    static let replayWindow = 3600.0

    static func events(_ decision: Decision, namespace: String, name: String, now: Date) -> [NotificationEvent] {
        decision.events.compactMap { e in
            guard let kind = kinds[e.reason] else { return nil }
            let version =
                decision.status.history.last { $0.time == now && $0.event == e.reason }?.version ?? decision.status.canaryVersion
                ?? decision.status.failedVersions.last?.version ?? decision.status.stableVersion
            return event(kind, namespace: namespace, name: name, version: version, message: e.message, time: now, status: decision.status)
        }
    }

    /// Rollbacks and inconclusive endings of the last hour, from the status's history.
    static func recent(_ status: RolloutStatus, namespace: String, name: String, now: Date) -> [NotificationEvent] {
        status.history.compactMap { h in
            guard let kind = kinds[h.event], replayed.contains(kind), now.timeIntervalSince(h.time) < replayWindow else { return nil }
            return event(kind, namespace: namespace, name: name, version: h.version, message: h.message, time: h.time, status: status)
        }
    }

    static func event(
        _ kind: NotificationEvent.Kind, namespace: String, name: String, version: String?, message: String, time: Date, status: RolloutStatus
    ) -> NotificationEvent {
        let id = "\(namespace)/\(name)/\(version ?? "")/\(kind.rawValue)/\(Int(time.timeIntervalSince1970))"
        var evidence: NotificationEvent.Evidence?
        if kind == .rolledBack, let failed = status.failedVersions.last(where: { $0.version == version }), let slo = failed.slo {
            let check = status.lastAnalysis?.checks.first { $0.slo == slo }
            evidence = .init(
                slo: slo, estimate: check?.evidence?.estimate ?? failed.value, lower: check?.evidence?.lower, upper: check?.evidence?.upper,
                threshold: failed.threshold, samples: check?.evidence?.samples)
        }
        return NotificationEvent(
            id: id, kind: kind, objectKind: "ModelDeployment", namespace: namespace, name: name, version: version, message: message, time: time,
            evidence: evidence, thread: "ModelDeployment/\(namespace)/\(name)/\(version ?? "")")
    }
}
