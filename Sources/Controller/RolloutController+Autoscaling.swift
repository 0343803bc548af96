import Foundation
import Kube
import Logging
import Manifests
import Rollout
import YAML

/// An autoscaled ModelDeployment: each version's HorizontalPodAutoscaler, read at every look and
/// applied with the rest, and Deployments whose `replicas` Sluice never writes once created.
extension RolloutController {
    static let hpaVersion = "autoscaling/v2"
    static let hpaKind = "HorizontalPodAutoscaler"
    /// Sets an autoscaled Deployment's replicas once, at creation, and keeps co-owning them so
    /// that the rollout's own applies (which leave the field out) do not remove them before the
    /// HPA first writes them. Server-side apply removes a field its last applier drops.
    static let initialReplicasManager = "sluice-rollout-initial-replicas"

    /// The autoscalers could not be read: nothing is scaled, moved or judged until they can.
    struct ScaleUnreadable: Error, CustomStringConvertible {
        var reason: String
        var description: String { "the HorizontalPodAutoscalers cannot be read (\(reason)); the rollout holds until they can" }
    }

    /// Whether this look needs the versions' sizes: autoscaled, or was (its HPAs to remove).
    static func readsScale(_ spec: ModelDeploymentSpec, _ status: RolloutStatus) -> Bool {
        spec.autoscaling != nil || status.scaling != nil || status.handover != nil
    }

    /// The ModelDeployment's HPAs by name. A failed list throws `ScaleUnreadable`: an HPA that
    /// is there but unread is never taken for none.
    func autoscalers(_ ns: String, _ name: String) async throws -> [String: Value] {
        let selector = ListOptions(labelSelector: "\(WorkloadRenderer.modelLabel)=\(name)")
        do {
            let items = try await client.listAll(apiVersion: Self.hpaVersion, kind: Self.hpaKind, namespace: ns, options: selector).items
            return Dictionary(items.compactMap { o in o[path: ["metadata", "name"]]?.stringValue.map { ($0, o) } }, uniquingKeysWith: { a, _ in a })
        } catch {
            throw ScaleUnreadable(reason: "\(error)")
        }
    }

    /// Each running version's replicas and ready pods, with its HPA's bounds and counts.
    func observeScale(_ ns: String, _ name: String, _ status: RolloutStatus, hpas: [String: Value]) async throws -> ScaleObservation {
        func scale(_ version: String?) async throws -> VersionScale? {
            guard let version else { return nil }
            let ref = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: ns, name: WorkloadRenderer.deploymentName(name, version))
            guard let d = try await client.getIfExists(ref) else { return nil }
            let hpa = hpas[WorkloadRenderer.autoscalerName(name, version)]
            func int(_ v: Value?, _ path: [String]) -> Int? { v?[path: path]?.intValue.map { Int($0) } }
            return VersionScale(
                version: version, replicas: int(d, ["spec", "replicas"]) ?? 1, ready: int(d, ["status", "readyReplicas"]) ?? 0,
                minReplicas: int(hpa, ["spec", "minReplicas"]), maxReplicas: int(hpa, ["spec", "maxReplicas"]),
                currentReplicas: int(hpa, ["status", "currentReplicas"]), desiredReplicas: int(hpa, ["status", "desiredReplicas"]))
        }
        let previous = status.handover.flatMap { $0.retired ? nil : $0.from }
        return ScaleObservation(
            stable: try await scale(status.stable?.version), canary: try await scale(status.canary?.version), previous: try await scale(previous))
    }

    /// Applies a Deployment a scaler sizes (rendered without `replicas`): created (or restarted
    /// from zero) at the size
    /// its HPA starts from; and if this manager still owns the field (the spec was fixed-size
    /// before, or a pass stopped between the two applies of a creation), co-owned first, so
    /// leaving it out keeps the scaler's value.
    func applyScaled(_ deployment: Value, start: Int) async throws {
        let ref = try KubeClient.reference(of: deployment)
        let live = try await client.getIfExists(ref)
        // At zero (a canary that was back at no traffic) an HPA does not scale at all, so the
        // Deployment starts again as if new.
        if live == nil || live?[path: ["spec", "replicas"]]?.intValue == 0 {
            var created = deployment
            created.set(.int(Int64(start)), at: ["spec", "replicas"])
            _ = try await client.apply(created, fieldManager: Self.fieldManager)
            try await coOwnReplicas(ref, start)
            return
        }
        if let live, Self.ownsReplicas(live), let replicas = live[path: ["spec", "replicas"]]?.intValue {
            try await coOwnReplicas(ref, Int(replicas))
        }
        _ = try await client.apply(deployment, fieldManager: Self.fieldManager)
    }

    /// Not forced: if a scaler changed the count since it was read, this conflicts and the
    /// pass is tried again, rather than writing an old count over the scaler's.
    func coOwnReplicas(_ ref: ObjectReference, _ replicas: Int) async throws {
        let body: Value = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(ref.name), "namespace": .string(ref.namespace ?? "")],
            "spec": ["replicas": .int(Int64(replicas))],
        ]
        _ = try await client.apply(body, fieldManager: Self.initialReplicasManager, force: false, dryRun: false, subresource: nil)
    }

    /// Whether the rollout's own apply owns `spec.replicas` (from managedFields).
    static func ownsReplicas(_ d: Value) -> Bool {
        (d[path: ["metadata", "managedFields"]]?.arrayValue ?? []).contains {
            $0["manager"]?.stringValue == fieldManager && $0["operation"]?.stringValue == "Apply" && $0["subresource"] == nil
                && $0[path: ["fieldsV1", "f:spec", "f:replicas"]] != nil
        }
    }

    /// The size a rendered, autoscaled Deployment starts at: its HPA's minimum (the external
    /// scaler's case: `minReplicas`).
    static func startSize(of deployment: Value, in objects: [Value], spec: ModelDeploymentSpec) -> Int {
        let name = deployment[path: ["metadata", "name"]]?.stringValue
        let hpa = objects.first { $0["kind"]?.stringValue == hpaKind && $0[path: ["spec", "scaleTargetRef", "name"]]?.stringValue == name }
        return hpa?[path: ["spec", "minReplicas"]]?.intValue.map { Int($0) } ?? spec.autoscaling?.minReplicas ?? 1
    }

    /// HPAs of this ModelDeployment that nothing rendered wants any more (a canary back at no
    /// traffic, autoscaling switched off), but the one of a version still handing over.
    func removeStaleAutoscalers(_ hpas: [String: Value], rendered: [Value], keeping handover: Handover?, namespace ns: String) async throws {
        let wanted = Set(rendered.filter { $0["kind"]?.stringValue == Self.hpaKind }.compactMap { $0[path: ["metadata", "name"]]?.stringValue })
        for (hpaName, hpa) in hpas.sorted(by: { $0.key < $1.key }) where !wanted.contains(hpaName) {
            if let from = handover?.from, !(handover?.retired ?? true), hpa[path: ["metadata", "labels", WorkloadRenderer.versionLabel]]?.stringValue == from {
                continue
            }
            _ = try await client.delete(ObjectReference(apiVersion: Self.hpaVersion, kind: Self.hpaKind, namespace: ns, name: hpaName))
        }
    }

    /// The step holds: the status says why (once), and nothing that runs changes.
    func holdScaleUnreadable(_ ref: ObjectReference, _ object: Value, _ stored: RolloutStatus, _ error: ScaleUnreadable, log: Logger) async throws {
        guard stored.message != error.description else { return }
        var status = stored
        status.message = error.description
        log.error("cannot read the HorizontalPodAutoscalers; holding", metadata: ["error": "\(error.reason)"])
        try await writeStatus(ref, status, generation: Self.generation(of: object), previous: object)
        await events.post(ref, uid: object[path: ["metadata", "uid"]]?.stringValue, kind: .warning, reason: "ScaleUnreadable", message: error.description)
    }
}
