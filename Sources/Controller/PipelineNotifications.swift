import Foundation
import Notifications
import Promotion

/// What a ModelPipeline's pass tells people: the records it added to the pipeline's history
/// (a promotion committed or sent for review, an environment waiting for an approval) and the
/// registry becoming unreachable. Ids come from the records, so a repeat is the same notification.
enum PipelineNotifications {
    static func events(before: PipelineStatus, after: PipelineStatus, namespace: String, name: String, now: Date) -> [NotificationEvent] {
        let added = after.history.filter { !before.history.contains($0) }
        var out = added.compactMap { record -> NotificationEvent? in
            let kind: NotificationEvent.Kind
            switch record.event {
            case "Promoted", "ReviewRequested": kind = .promotionCommitted
            case "Held" where record.message.hasPrefix("\(Gate.approval.rawValue):"): kind = .waitingForApproval
            default: return nil
            }
            let id = "\(namespace)/\(name)/\(record.environment)/\(record.version)/\(record.event)/\(Int(record.time.timeIntervalSince1970))"
            let message = "\(record.environment): \(record.message)" + (record.commit.map { " (commit \($0.prefix(12)))" } ?? "")
            return NotificationEvent(
                id: id, kind: kind, objectKind: "ModelPipeline", namespace: namespace, name: name, version: record.version, message: message, time: record.time,
                thread: "ModelPipeline/\(namespace)/\(name)/\(record.version)")
        }
        if let registry = after.registry, !registry.reachable, before.registry?.reachable != false {
            out.append(
                NotificationEvent(
                    id: "\(namespace)/\(name)/registry/\(Int(now.timeIntervalSince1970))", kind: .registryUnreachable, objectKind: "ModelPipeline",
                    namespace: namespace, name: name, message: registry.message, time: now))
        }
        return out
    }
}
