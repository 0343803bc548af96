import Foundation
public import Kube
public import Manifests
import YAML

/// Writes Kubernetes Events on the objects Sluice acts on, so `kubectl describe` tells the story.
/// An Event that cannot be written never fails a reconcile.
public struct EventRecorder: Sendable {
    let client: any KubeAPI
    let component: String

    public init(client: any KubeAPI, component: String = "sluice") {
        self.client = client
        self.component = component
    }

    public enum Kind: String, Sendable {
        case normal = "Normal"
        case warning = "Warning"
    }

    /// Best effort: an Event that cannot be written is dropped. Safe because an Event is never
    /// read back to decide anything: the status and history carry the same facts, the Event only
    /// tells them in `kubectl describe`.
    public func post(_ object: ObjectReference, uid: String?, kind: Kind, reason: String, message: String) async {
        try? await record(object, uid: uid, kind: kind, reason: reason, message: message)
    }

    public func record(_ object: ObjectReference, uid: String?, kind: Kind, reason: String, message: String) async throws {
        let now = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
        let ns = object.namespace ?? "default"
        var involved: Value = ["apiVersion": .string(object.apiVersion), "kind": .string(object.kind), "name": .string(object.name), "namespace": .string(ns)]
        if let uid { involved["uid"] = .string(uid) }
        let suffix = String(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))
        let event: Value = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string("\(object.name).\(suffix)"), "namespace": .string(ns), "labels": ["app.kubernetes.io/managed-by": "sluice"]],
            "involvedObject": involved, "reason": .string(reason), "message": .string(String(message.prefix(1024))), "type": .string(kind.rawValue),
            "source": ["component": .string(component)], "reportingComponent": .string(component),
            "reportingInstance": .string(ProcessInfo.processInfo.hostName),
            "firstTimestamp": .string(now), "lastTimestamp": .string(now), "count": 1,
        ]
        _ = try await client.create(event, fieldManager: component)
    }
}
