public import Foundation
public import Notifications
public import Sync

/// Turns sources' passes into `SyncFailed` notifications: one when a source starts failing (or
/// its failure changes), none for each further failed poll, and none once it syncs again.
public actor SourceFailureWatch {
    let hub: NotificationHub
    var failing: [String: String] = [:]

    public init(hub: NotificationHub) { self.hub = hub }

    /// `objectKind` and `namespace`: the GitSource object's, or for a source of the settings
    /// file, `Source` and the controller's namespace (whose channels hear about it).
    public func observed(_ name: String, objectKind: String, namespace: String, status: SourceStatus, now: Date = Date()) async {
        guard status.sync == .failed else {
            failing[name] = nil
            return
        }
        let why = status.message ?? status.errors.first ?? "sync failed"
        guard failing[name] != why else { return }
        failing[name] = why
        let event = NotificationEvent(
            id: "\(namespace)/\(name)/SyncFailed/\(Int(now.timeIntervalSince1970))", kind: .syncFailed, objectKind: objectKind, namespace: namespace,
            name: name, version: status.commit.map { String($0.prefix(12)) }, message: why, time: now)
        await hub.publish(event, labels: [:])
    }
}
