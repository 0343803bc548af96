import Foundation
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

func deployment(_ name: String = "web", image: String = "nginx:1.27", replicas: Int64? = 2, extra: [String: Value] = [:]) -> Value {
    var container: Value = ["name": "web", "image": .string(image)]
    for (k, v) in extra { container[k] = v }
    var spec: Value = [
        "selector": ["matchLabels": ["app": .string(name)]],
        "template": ["metadata": ["labels": ["app": .string(name)]], "spec": ["containers": [container]]],
    ]
    if let replicas { spec["replicas"] = .int(replicas) }
    return ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name), "namespace": "default"], "spec": spec]
}

let webRef = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web")

@Suite(.offThePool) struct ServerSideApplyTests {
    func managers(_ object: Value) -> [String] {
        (object[path: ["metadata", "managedFields"]]?.arrayValue ?? []).compactMap { e in
            e["manager"]?.stringValue.map { "\($0)/\(e["operation"]?.stringValue ?? "")" }
        }.sorted()
    }

    @Test func droppingAFieldRemovesItWhenOnlyThisManagerOwnsIt() async throws {
        // The simulated Deployment controller writes status; these tests read-modify-write.
        let fx = try await EmulatorFixture { $0.deploymentReadyDelay = 600 }
        let client = try fx.client()
        var config = deployment()
        config.set(["team": "ml", "tier": "serving"], at: ["metadata", "labels"])
        _ = try await client.apply(config, fieldManager: "sluice")
        config.set(["team": "ml"], at: ["metadata", "labels"])
        let after = try await client.apply(config, fieldManager: "sluice")
        #expect(after[path: ["metadata", "labels"]] == ["team": "ml"])
        // Dropping replicas removes it; the default comes back.
        let noReplicas = try await client.apply(deployment(replicas: nil), fieldManager: "sluice")
        #expect(noReplicas[path: ["spec", "replicas"]] == 1)
        await fx.stop()
    }

    @Test func fieldsAnotherManagerSetSurvive() async throws {
        // The simulated Deployment controller writes status; these tests read-modify-write.
        let fx = try await EmulatorFixture { $0.deploymentReadyDelay = 600 }
        let client = try fx.client()
        _ = try await client.apply(deployment(), fieldManager: "sluice")
        _ = try await client.mergePatch(webRef, ["metadata": ["annotations": ["owner": "sre"]]], fieldManager: "kubectl-annotate")
        let reapplied = try await client.apply(deployment(), fieldManager: "sluice")
        #expect(reapplied[path: ["metadata", "annotations", "owner"]] == "sre")
        #expect(managers(reapplied) == ["kubectl-annotate/Update", "sluice/Apply"])
        await fx.stop()
    }

    @Test func conflictsNeedForce() async throws {
        // The simulated Deployment controller writes status; these tests read-modify-write.
        let fx = try await EmulatorFixture { $0.deploymentReadyDelay = 600 }
        let client = try fx.client()
        _ = try await client.apply(deployment(replicas: 2), fieldManager: "sluice")
        _ = try await client.apply(deployment(replicas: 5), fieldManager: "hpa", force: true)
        do {
            _ = try await client.apply(deployment(replicas: 3), fieldManager: "sluice", force: false)
            Issue.record("conflicting apply accepted")
        } catch let e as KubeError {
            #expect(e.isConflict)
            #expect(e.message.contains(".spec.replicas"))
            #expect(e.causes.contains { $0.field == ".spec.replicas" })
        }
        // The same value is shared ownership, not a conflict.
        _ = try await client.apply(deployment(replicas: 5), fieldManager: "sluice", force: false)
        let forced = try await client.apply(deployment(replicas: 3), fieldManager: "sluice", force: true)
        #expect(forced[path: ["spec", "replicas"]] == 3)
        // hpa lost the field: dropping it from hpa's config no longer touches it.
        let hpaOwns = (forced[path: ["metadata", "managedFields"]]?.arrayValue ?? []).first { $0["manager"] == "hpa" }
        #expect(hpaOwns?[path: ["fieldsV1", "f:spec", "f:replicas"]] == nil)
        await fx.stop()
    }

    @Test func keyedListsMergeByKey() async throws {
        // The simulated Deployment controller writes status; these tests read-modify-write.
        let fx = try await EmulatorFixture { $0.deploymentReadyDelay = 600 }
        let client = try fx.client()
        _ = try await client.apply(deployment(extra: ["env": [["name": "A", "value": "1"]]]), fieldManager: "sluice")
        // Another manager adds an env var to the same container.
        var patch = try await client.get(webRef)
        var containers = patch[path: ["spec", "template", "spec", "containers"]]!.arrayValue!
        containers[0]["env"] = [["name": "A", "value": "1"], ["name": "B", "value": "2"]]
        patch.set(.array(containers), at: ["spec", "template", "spec", "containers"])
        _ = try await client.update(patch, fieldManager: "operator")
        // Re-applying sluice's config (only A) keeps B, owned by the operator.
        let after = try await client.apply(deployment(extra: ["env": [["name": "A", "value": "9"]]]), fieldManager: "sluice")
        let env = after[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["env"]
        #expect(env == [["name": "A", "value": "9"], ["name": "B", "value": "2"]])
        let fields = after[path: ["metadata", "managedFields"]]?.arrayValue?.first { $0["manager"] == "sluice" }?["fieldsV1"]
        #expect(fields?[path: ["f:spec", "f:template", "f:spec", "f:containers", #"k:{"name":"web"}"#, "f:env", #"k:{"name":"A"}"#, "."]] != nil)
        await fx.stop()
    }

    @Test func dryRunRunsTheWholePath() async throws {
        // The simulated Deployment controller writes status; these tests read-modify-write.
        let fx = try await EmulatorFixture { $0.deploymentReadyDelay = 600 }
        let client = try fx.client()
        let rv = fx.emulator.resourceVersion
        let dry = try await client.apply(deployment(), fieldManager: "sluice", dryRun: true)
        #expect(dry[path: ["spec", "strategy", "type"]] == "RollingUpdate", "defaulted")
        #expect(dry[path: ["metadata", "managedFields"]] != nil)
        #expect(fx.emulator.resourceVersion == rv, "nothing stored, no version used")
        await #expect { try await client.apply(deployment(image: ""), fieldManager: "sluice", dryRun: true) } throws: { ($0 as? KubeError)?.isInvalid == true }
        await fx.stop()
    }
}

@Suite(.offThePool) struct EmulatorSemanticsTests {
    @Test func deploymentDefaultsMatchARealServer() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        let d = try await client.apply(deployment(image: "registry/model:latest", extra: ["ports": [["containerPort": 8080]]]), fieldManager: "t")
        let spec = d["spec"]!
        #expect(spec["revisionHistoryLimit"] == 10)
        #expect(spec["progressDeadlineSeconds"] == 600)
        #expect(spec["strategy"] == ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "25%", "maxSurge": "25%"]])
        let pod = spec[path: ["template", "spec"]]!
        #expect(pod["restartPolicy"] == "Always")
        #expect(pod["dnsPolicy"] == "ClusterFirst")
        #expect(pod["schedulerName"] == "default-scheduler")
        #expect(pod["terminationGracePeriodSeconds"] == 30)
        #expect(pod["securityContext"] == [:])
        let c = pod["containers"]!.arrayValue![0]
        #expect(c["imagePullPolicy"] == "Always", ":latest pulls always")
        #expect(c["terminationMessagePath"] == "/dev/termination-log")
        #expect(c["terminationMessagePolicy"] == "File")
        #expect(c[path: ["ports"]]?.arrayValue?.first?["protocol"] == "TCP")
        #expect(spec[path: ["template", "metadata", "creationTimestamp"]] == .null)
        let pinned = try await client.apply(deployment("pinned", image: "registry/model:2.3.1"), fieldManager: "t")
        #expect(pinned[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["imagePullPolicy"] == "IfNotPresent")
        await fx.stop()
    }

    @Test func serviceDefaultsAndAllocatedClusterIP() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        let svc: Value = ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"], "spec": ["selector": ["app": "web"], "ports": [["port": 80]]]]
        let s = try await client.apply(svc, fieldManager: "t")
        let ip = try #require(s[path: ["spec", "clusterIP"]]?.stringValue)
        #expect(ip.hasPrefix("10.96."))
        #expect(s[path: ["spec", "clusterIPs"]] == [.string(ip)])
        #expect(s[path: ["spec", "type"]] == "ClusterIP")
        #expect(s[path: ["spec", "sessionAffinity"]] == "None")
        #expect(s[path: ["spec", "ipFamilies"]] == ["IPv4"])
        #expect(s[path: ["spec", "ipFamilyPolicy"]] == "SingleStack")
        #expect(s[path: ["spec", "internalTrafficPolicy"]] == "Cluster")
        #expect(s[path: ["spec", "ports"]] == [["port": 80, "protocol": "TCP", "targetPort": 80]])
        let again = try await client.apply(svc, fieldManager: "t")
        #expect(again[path: ["spec", "clusterIP"]] == .string(ip), "the address is stable across applies")
        await fx.stop()
    }

    @Test func generationTracksSpecOnly() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        let first = try await client.apply(deployment(), fieldManager: "t")
        #expect(first[path: ["metadata", "generation"]] == 1)
        var labelled = deployment()
        labelled.set(["x": "y"], at: ["metadata", "labels"])
        #expect(try await client.apply(labelled, fieldManager: "t")[path: ["metadata", "generation"]] == 1)
        #expect(try await client.apply(deployment(replicas: 4), fieldManager: "t")[path: ["metadata", "generation"]] == 2)
        let cm = try await client.create(configMap("no-generation"))
        #expect(cm[path: ["metadata", "generation"]] == nil)
        await fx.stop()
    }

    @Test func invalidObjectsAre422() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        let cases: [(Value, String)] = [
            (["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"], "data": ["n": 1]], "data.n"),
            (["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "UPPER"]], "metadata.name"),
            (deployment(image: ""), "spec.template.spec.containers[0].image"),
        ]
        for (object, field) in cases {
            do {
                _ = try await client.apply(object, fieldManager: "t")
                Issue.record("accepted an object invalid at \(field)")
            } catch let e as KubeError {
                #expect(e.code == 422)
                #expect(e.causes.contains { $0.field == field }, "\(e.causes)")
            }
        }
        var mismatch = deployment()
        mismatch.set(["app": "other"], at: ["spec", "template", "metadata", "labels"])
        await #expect { try await client.apply(mismatch, fieldManager: "t") } throws: { ($0 as? KubeError)?.code == 422 }
        await #expect { try await client.create(configMap("x", namespace: "missing-ns")) } throws: { ($0 as? KubeError)?.isNotFound == true }
        await fx.stop()
    }

    @Test func deploymentStatusIsSimulated() async throws {
        let fx = try await EmulatorFixture {
            $0.progressDeadlineScale = 0.001
            $0.failingImageTags = ["broken"]
        }
        let client = try fx.client()
        _ = try await client.apply(deployment(replicas: 3), fieldManager: "t")
        var status = Value.null
        try await eventually("three replicas available") {
            status = try await client.get(webRef)["status"] ?? .null
            return status["availableReplicas"] == 3
        }
        #expect(status["readyReplicas"] == 3)
        #expect(status["updatedReplicas"] == 3)
        #expect(status["observedGeneration"] == 1)
        #expect(status["conditions"]?.arrayValue?.contains { $0["type"] == "Available" && $0["status"] == "True" } == true)

        _ = try await client.apply(deployment("bad", image: "model:broken"), fieldManager: "t")
        let bad = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "bad")
        try await eventually("the broken Deployment exceeds its progress deadline") {
            let s = try await client.get(bad)["status"]
            return s?["conditions"]?.arrayValue?.first { $0["type"] == "Progressing" }?["reason"] == "ProgressDeadlineExceeded"
        }
        #expect(try await client.get(bad)[path: ["status", "availableReplicas"]] == nil)
        // Healing the tag makes it available.
        fx.emulator.healImageTag("broken")
        try await eventually("the Deployment available") { try await client.get(bad)[path: ["status", "availableReplicas"]] == 2 }
        await fx.stop()
    }
}

func configMap(_ name: String, namespace: String = "default") -> Value {
    ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(namespace)]]
}
