import Foundation
import Kube
import Manifests
import Rollout
import TestSupport
import Testing
import TrafficSimulator
import YAML

/// What every acceptance scenario must leave true, whatever went wrong on the way: no object in
/// git is missing from the cluster, nothing Sluice does not own was deleted, and no traffic goes
/// to a version that failed its analysis.
struct Invariants {
    /// Objects created by someone else (as `kubectl create` would: no Sluice labels), by uid.
    private(set) var unowned: [ObjectReference: String] = [:]

    /// Creates objects Sluice must never touch, beside the ones it manages. Call once the
    /// namespace exists.
    mutating func seedUnowned(_ h: SyncHarness, namespace: String = "ml") async throws {
        let objects: [Value] = [
            ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "team-notes", "namespace": .string(namespace)], "data": ["owner": "data-science"]],
            [
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": ["name": "legacy-scorer", "namespace": .string(namespace), "labels": ["app": "legacy-scorer"]],
                "spec": [
                    "replicas": 1, "selector": ["matchLabels": ["app": "legacy-scorer"]],
                    "template": ["metadata": ["labels": ["app": "legacy-scorer"]], "spec": ["containers": [["name": "scorer", "image": "reg/legacy:1"]]]],
                ],
            ],
        ]
        for o in objects {
            let created = try await h.client.create(o)
            unowned[try KubeClient.reference(of: created)] = created[path: ["metadata", "uid"]]?.stringValue ?? ""
        }
    }

    /// Checks all three invariants. `ref` is the commit the cluster should reflect (the last good
    /// one when a later commit is broken).
    func check(_ h: SyncHarness, ref: String = "main", traffic: TrafficSimulator? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        // 1. Nothing lost: `sluice diff` (as a user runs it) finds nothing to create or update, and
        //    every object git names is in the cluster.
        let diff = try await h.sluice("diff", ["--ref", ref])
        #expect(diff.status == 0, "git and the cluster differ at \(ref):\n\(diff.stdout)\(diff.stderr)", sourceLocation: sourceLocation)
        let rendered = try await SluiceBinary.run(["render", "--repo", h.daemon.url, "--ref", ref, "--cache-dir", h.dir.file("render-cache"), "-o", "json"])
        #expect(rendered.status == 0, "\(rendered.stderr)", sourceLocation: sourceLocation)
        let items = try JSON.parse(rendered.stdout)["items"]?.arrayValue ?? []
        #expect(!items.isEmpty, sourceLocation: sourceLocation)
        for item in items {
            let ref = try KubeClient.reference(of: item)
            #expect(try await h.client.getIfExists(ref) != nil, "\(ref) is in git but not in the cluster", sourceLocation: sourceLocation)
        }

        // 2. Nothing unowned deleted (or replaced: same uid).
        for (ref, uid) in unowned {
            let live = try await h.client.getIfExists(ref)
            #expect(
                live?[path: ["metadata", "uid"]]?.stringValue == uid, "\(ref), which Sluice does not own, was deleted or replaced",
                sourceLocation: sourceLocation)
        }

        // 3. No traffic to a failed version: each ModelDeployment's failed versions have no
        //    ready pods, and (when traffic is simulated) serve no requests.
        let models = try await h.client.listAll(apiVersion: "sluice.dev/v1alpha1", kind: "ModelDeployment", namespace: nil).items
        for md in models {
            let name = md[path: ["metadata", "name"]]?.stringValue ?? ""
            let namespace = md[path: ["metadata", "namespace"]]?.stringValue ?? ""
            let status = try RolloutStatus.read(md["status"], of: "\(namespace)/\(name)")
            #expect(status.stableVersion != nil, "\(namespace)/\(name) has a stable version", sourceLocation: sourceLocation)
            if let stable = status.stableVersion {
                let d = try await h.client.getIfExists(
                    ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: namespace, name: WorkloadRenderer.deploymentName(name, stable)))
                #expect(
                    (d?[path: ["status", "readyReplicas"]]?.intValue ?? 0) > 0, "the stable version \(stable) of \(namespace)/\(name) serves",
                    sourceLocation: sourceLocation)
            }
            // A version held after an inconclusive canary takes no traffic either.
            let held = status.inconclusive.flatMap { $0.holding ? FailedVersion(version: $0.version, reason: $0.reason, time: $0.time) : nil }
            for failed in status.failedVersions + (held.map { [$0] } ?? []) where failed.version != status.stableVersion {
                let d = try await h.client.getIfExists(
                    ObjectReference(
                        apiVersion: "apps/v1", kind: "Deployment", namespace: namespace, name: WorkloadRenderer.deploymentName(name, failed.version)))
                #expect(
                    (d?[path: ["spec", "replicas"]]?.intValue ?? 0) == 0, "failed version \(failed.version) of \(namespace)/\(name) still has replicas",
                    sourceLocation: sourceLocation)
                if let traffic {
                    let model = md[path: ["spec", "model", "name"]]?.stringValue ?? name
                    // Pods stop receiving requests a moment after they are gone (readiness, then
                    // the router's refresh): the routing drops the version, then nothing at all.
                    try await eventually(
                        "the traffic's routing drops \(failed.version) of \(namespace)/\(name)", timeout: 5, every: .milliseconds(100),
                        sourceLocation: sourceLocation
                    ) {
                        !traffic.routing.contains(where: { $0.model == model && $0.version == failed.version })
                    }
                    guard let stable = status.stableVersion else { continue }
                    let served = try await traffic.requests(model: model, of: failed.version, whileServing: stable)
                    #expect(
                        served == 0,
                        "failed version \(failed.version) of \(namespace)/\(name) served \(served) requests; routing \(traffic.routing), its Deployment \(String(describing: d?["status"]))",
                        sourceLocation: sourceLocation)
                }
            }
        }
    }
}

extension TrafficSimulator {
    /// Requests `version` serves while `other` serves about two seconds of the model's traffic
    /// (the simulator re-reads routing from the cluster every half second): a window measured
    /// in requests, which a loaded machine slows down with everything else, not in seconds.
    /// Fails the test when `other` serves nothing.
    func requests(model: String, of version: String, whileServing other: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let before = served(model: model, version: version)
        let otherBefore = served(model: model, version: other)
        let window = max(20, Int(2 * requestsPerSecond))
        try await eventually("\(other) of \(model) serves \(window) requests", timeout: 30, every: .milliseconds(100), sourceLocation: sourceLocation) {
            served(model: model, version: other) >= otherBefore + window
        }
        return served(model: model, version: version) - before
    }
}
