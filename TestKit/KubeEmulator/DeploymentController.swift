import Foundation
import YAML

/// Stands in for kube-controller-manager's Deployment controller: some time after a Deployment
/// changes, its status reports every replica updated and available — unless one of its images
/// carries a tag the emulator was told is broken, in which case it stays unavailable and, after
/// its (scaled) progress deadline, reports ProgressDeadlineExceeded, as a real rollout would.
extension APIServer {
    static let deployments = "deployments.apps"

    func scheduleDeployment(_ namespace: String, _ name: String) {
        scheduler.after(configuration.deploymentReadyDelay) { [self] in reconcileDeployment(namespace, name) }
    }

    func isBroken(_ deployment: Value) -> Bool {
        let containers = deployment[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
        return containers.contains { c in
            guard let image = c["image"]?.stringValue, let tag = Defaulting.imageTag(image) else { return false }
            return failingTags.contains(tag)
        }
    }

    func reconcileDeployment(_ namespace: String, _ name: String) {
        var recheckAfter: Double?
        store.mutate(Self.deployments, namespace: namespace, name: name) { current in
            guard var d = current else { return nil }
            let replicas = d[path: ["spec", "replicas"]]?.intValue ?? 1
            let generation = d.metadata("generation")?.intValue ?? 1
            let broken = isBroken(d) && replicas > 0
            let now = Self.timestamp()
            let previous = d["status"] ?? [:]
            let progressStarted = Self.progressStarted(previous, generation: generation, now: now)
            var status: Value = ["observedGeneration": .int(generation), "replicas": .int(replicas), "updatedReplicas": .int(replicas)]
            var available: Value
            var progressing: Value
            if broken {
                status["unavailableReplicas"] = .int(replicas)
                available = [
                    "type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable", "message": "Deployment does not have minimum availability.",
                ]
                let deadline = Double(d[path: ["spec", "progressDeadlineSeconds"]]?.intValue ?? 600) * configuration.progressDeadlineScale
                let started = (try? Date(progressStarted, strategy: .iso8601)) ?? Date()
                if Date().timeIntervalSince(started) >= deadline {
                    progressing = [
                        "type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                        "message": .string("ReplicaSet \"\(name)\" has timed out progressing."),
                    ]
                } else {
                    progressing = [
                        "type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated", "message": .string("ReplicaSet \"\(name)\" is progressing."),
                    ]
                    recheckAfter = max(0.05, deadline - Date().timeIntervalSince(started))
                }
            } else {
                if replicas > 0 {
                    status["readyReplicas"] = .int(replicas)
                    status["availableReplicas"] = .int(replicas)
                }
                available = ["type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability."]
                progressing = [
                    "type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                    "message": .string("ReplicaSet \"\(name)\" has successfully progressed."),
                ]
            }
            Self.stamp(&available, previous: previous, now: now, at: now)
            Self.stamp(&progressing, previous: previous, now: now, at: progressing["reason"] == "ReplicaSetUpdated" ? progressStarted : now)
            status["conditions"] = [available, progressing]
            if Self.sameStatus(previous, status) { return d }
            d["status"] = status
            return d
        }
        if let recheckAfter { scheduler.after(recheckAfter) { [self] in reconcileDeployment(namespace, name) } }
    }

    /// When this generation began progressing: kept from the status while the generation is the
    /// same, else now.
    static func progressStarted(_ previous: Value, generation: Int64, now: String) -> String {
        if previous["observedGeneration"]?.intValue == generation,
            let t = previous["conditions"]?.arrayValue?.first(where: { $0["type"] == "Progressing" })?["lastTransitionTime"]?.stringValue
        {
            return t
        }
        return now
    }

    /// A condition's times: updated now; its transition kept while status and reason stay.
    static func stamp(_ c: inout Value, previous: Value, now: String, at: String) {
        let old = previous["conditions"]?.arrayValue?.first { $0["type"] == c["type"] }
        let same = old?["status"] == c["status"] && old?["reason"] == c["reason"]
        c["lastUpdateTime"] = .string(now)
        c["lastTransitionTime"] = same ? (old?["lastTransitionTime"] ?? .string(at)) : .string(at)
    }

    /// Equal but for timestamps: no write (and no watch event) when nothing really changed.
    static func sameStatus(_ a: Value, _ b: Value) -> Bool {
        func strip(_ v: Value) -> Value {
            var v = v
            if var conditions = v["conditions"]?.arrayValue {
                for i in conditions.indices {
                    conditions[i]["lastUpdateTime"] = nil
                    conditions[i]["lastTransitionTime"] = nil
                }
                v["conditions"] = .array(conditions)
            }
            return v
        }
        return strip(a) == strip(b)
    }

    /// Re-evaluates every Deployment (after the set of broken tags changes).
    func reconcileAllDeployments() {
        let (items, _) = store.list(Self.deployments, namespace: nil)
        for d in items { reconcileDeployment(d.metadataString("namespace") ?? "", d.metadataString("name") ?? "") }
    }
}
