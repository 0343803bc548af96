import Foundation
import YAML

/// Stands in for kube-controller-manager's HorizontalPodAutoscaler controller: every
/// `autoscalerSyncPeriod` (and soon after an HPA or a load changes) each `autoscaling/v2` HPA
/// targeting a Deployment is decided by `AutoscalerAlgorithm`; a new size is written through
/// the Deployment's `scale` subresource as `kube-controller-manager` (so managedFields show who
/// owns `spec.replicas`), and the HPA's status through its `status` subresource.
extension APIServer {
    static let autoscalers = "horizontalpodautoscalers.autoscaling"
    static let autoscalerManager = "kube-controller-manager"

    func scheduleAutoscaler(_ ns: String, _ name: String) {
        scheduler.after(0.02) { [self] in syncAutoscaler(ns, name) }
        if !scheduler.manual, autoscalerState.startTicking() { scheduleAutoscalerTick() }
    }

    /// The periodic resync, while any HPA exists.
    func scheduleAutoscalerTick() {
        scheduler.after(configuration.autoscalerSyncPeriod) { [self] in
            let (items, _) = store.list(Self.autoscalers, namespace: nil)
            guard !items.isEmpty else { return autoscalerState.stopTicking() }
            for hpa in items { syncAutoscaler(hpa.metadataString("namespace") ?? "", hpa.metadataString("name") ?? "") }
            scheduleAutoscalerTick()
        }
    }

    /// The HPAs whose target is this Deployment, synced soon (its load changed).
    func syncAutoscalers(targeting deployment: String, in ns: String) {
        let (items, _) = store.list(Self.autoscalers, namespace: ns)
        for hpa in items where hpa[path: ["spec", "scaleTargetRef", "name"]]?.stringValue == deployment {
            scheduleAutoscaler(ns, hpa.metadataString("name") ?? "")
        }
    }

    func syncAutoscaler(_ ns: String, _ name: String) {
        guard let hpa = store.get(Self.autoscalers, namespace: ns, name: name) else { return autoscalerState.forget(ns, name) }
        let target = hpa[path: ["spec", "scaleTargetRef"]] ?? .emptyObject
        guard target["kind"]?.stringValue == "Deployment", let targetName = target["name"]?.stringValue,
            let deployment = store.get(Self.deployments, namespace: ns, name: targetName)
        else {
            let message = "the HPA controller was unable to get the target's current scale: deployments.apps \"\(target["name"]?.stringValue ?? "")\" not found"
            return writeAutoscalerStatus(ns, name, hpa, current: 0, desired: 0, metrics: [], conditions: [("AbleToScale", "False", "FailedGetScale", message)])
        }
        let output = AutoscalerAlgorithm.decide(autoscalerInput(ns, name, hpa, deployment, targetName))
        let current = Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1)
        if let r = output.recommendation {
            autoscalerState.record(ns, name, r, at: Date(), keeping: max(window(hpa, "scaleUp", 0), window(hpa, "scaleDown", 300)))
        }
        var scaled = false
        if output.desired != current { scaled = scale(ns, targetName, to: output.desired) }
        let status = Int(deployment[path: ["status", "replicas"]]?.intValue ?? 0)
        writeAutoscalerStatus(
            ns, name, hpa, current: status, desired: output.desired, metrics: output.currentMetrics, conditions: output.conditions, scaled: scaled)
    }

    func autoscalerInput(_ ns: String, _ name: String, _ hpa: Value, _ deployment: Value, _ targetName: String) -> AutoscalerAlgorithm.Input {
        AutoscalerAlgorithm.Input(
            current: Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1), ready: Int(deployment[path: ["status", "readyReplicas"]]?.intValue ?? 0),
            minReplicas: Int(hpa[path: ["spec", "minReplicas"]]?.intValue ?? 1), maxReplicas: Int(hpa[path: ["spec", "maxReplicas"]]?.intValue ?? 1),
            metrics: hpa[path: ["spec", "metrics"]]?.arrayValue ?? [], load: autoscalerState.load(ns, targetName), history: autoscalerState.history(ns, name),
            scaleUpWindow: window(hpa, "scaleUp", 0), scaleDownWindow: window(hpa, "scaleDown", 300), now: Date())
    }

    /// A stabilisation window in seconds, scaled as the emulator's other deadlines are.
    func window(_ hpa: Value, _ direction: String, _ fallback: Double) -> Double {
        (hpa[path: ["spec", "behavior", direction, "stabilizationWindowSeconds"]]?.doubleValue ?? fallback) * configuration.autoscalerTimeScale
    }

    /// Writes the Deployment's scale as the HPA controller does; false if it could not.
    func scale(_ ns: String, _ deployment: String, to replicas: Int) -> Bool {
        guard let type = registry.find(apiVersion: "apps/v1", kind: "Deployment"), let object = store.get(Self.deployments, namespace: ns, name: deployment)
        else {
            return false
        }
        let request = internalRequest(
            method: "PATCH", path: "/apis/apps/v1/namespaces/\(ns)/deployments/\(deployment)/scale", ["spec": ["replicas": .int(Int64(replicas))]])
        return (try? scale(type, ns, deployment, object, request)) != nil
    }

    func writeAutoscalerStatus(
        _ ns: String, _ name: String, _ hpa: Value, current: Int, desired: Int, metrics: [Value],
        conditions: [(type: String, status: String, reason: String, message: String)],
        scaled: Bool = false
    ) {
        guard let type = registry.find(apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler") else { return }
        let now = Self.timestamp()
        let previous = hpa["status"] ?? .emptyObject
        var status: Value = ["currentReplicas": .int(Int64(current)), "desiredReplicas": .int(Int64(desired))]
        if let g = hpa.metadata("generation") { status["observedGeneration"] = g }
        if !metrics.isEmpty { status["currentMetrics"] = .array(metrics) }
        status["lastScaleTime"] = scaled ? .string(now) : (previous["lastScaleTime"] ?? .null)
        status["conditions"] = .array(
            conditions.map { c in
                var v: Value = ["type": .string(c.type), "status": .string(c.status), "reason": .string(c.reason), "message": .string(c.message)]
                let old = previous["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == c.type }
                v["lastTransitionTime"] = old?["status"]?.stringValue == c.status ? (old?["lastTransitionTime"] ?? .string(now)) : .string(now)
                return v
            })
        if status["lastScaleTime"] == .null { status["lastScaleTime"] = nil }
        guard status != previous else { return }
        let request = internalRequest(
            method: "PATCH", path: "/apis/autoscaling/v2/namespaces/\(ns)/horizontalpodautoscalers/\(name)/status", ["status": status])
        _ = try? patch(type, namespace: ns, name: name, subresource: "status", request)
    }

    /// A write by one of the emulator's own controllers, through the same handlers as a client's.
    func internalRequest(method: String, path: String, _ body: Value) -> APIRequest {
        let query = "fieldManager=\(Self.autoscalerManager)"
        return APIRequest(
            method: method, path: path, rawQuery: query, query: APIRequest.parseQuery(query), contentType: "application/merge-patch+json",
            accept: "application/json",
            authorization: nil, userAgent: "kube-controller-manager/v1.33.5", body: (try? JSON.bytes(body)) ?? [], user: .admin)
    }
}

extension APIServer {
    /// The load on a Deployment's pods, which its HPAs' Resource metrics read.
    func setLoad(_ ns: String, _ deployment: String, resource: String, pods: Double?) {
        autoscalerState.setLoad(ns, deployment, resource: resource, pods: pods)
        syncAutoscalers(targeting: deployment, in: ns)
    }
}
