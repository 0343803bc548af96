import Kube
import Manifests
import Sync
import TestSupport
import Testing
import YAML

@testable import Controller

/// The drift filter the source controller hands its informers: it decides, per event, whether an
/// object moved away from what was applied, and keeps only its reference.
@Suite(.offThePool) struct AppliedObjectsTests {
    let ref = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "settings")
    let service = ObjectReference(apiVersion: "v1", kind: "Service", namespace: "apps", name: "api")

    func configMap(_ value: String, resourceVersion: String) -> Value {
        [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": [
                "name": "settings", "namespace": "apps", "resourceVersion": .string(resourceVersion), "uid": "u-1", "managedFields": [["manager": "sluice"]],
            ],
            "data": ["mode": .string(value)],
        ]
    }

    func serviceObject(clusterIP: String, port: Int) -> Value {
        [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "api", "namespace": "apps", "resourceVersion": "7"],
            "spec": ["clusterIP": .string(clusterIP), "clusterIPs": [.string(clusterIP)], "ports": [["port": .int(Int64(port))]]],
        ]
    }

    /// A plan item as the syncer finishes it: fingerprinted.
    func item(_ ref: ObjectReference, _ action: PlanItem.Action, merged: Value? = nil) -> PlanItem {
        var item = PlanItem(ref: ref, action: action, merged: merged)
        item.fingerprint = merged.map(Fingerprint.init)
        return item
    }

    func applied() -> AppliedObjects {
        let applied = AppliedObjects()
        let desiredService: Value = [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "api", "namespace": "apps"], "spec": ["ports": [["port": 80]]],
        ]
        applied.replaceManifests([Manifest(object: desiredService, source: ObjectSource(file: "svc.yaml", document: 0, line: 1))])
        applied.remember(
            Plan(
                source: "s",
                items: [
                    item(ref, .create, merged: Normalize.forDiff(configMap("fast", resourceVersion: "1"))),
                    // The dry run's answer carries a cluster IP the real create will not get.
                    item(service, .update, merged: Normalize.stripAllocated(Normalize.forDiff(serviceObject(clusterIP: "10.0.0.9", port: 80)), desired: nil)),
                ]))
        return applied
    }

    @Test func theEchoOfAnApplyIsDropped() {
        let applied = applied()
        #expect(applied.drift(.added(configMap("fast", resourceVersion: "2"))) == nil)
        #expect(applied.drift(.updated(old: configMap("fast", resourceVersion: "2"), new: configMap("fast", resourceVersion: "3"))) == nil)
        // The allocated cluster IP differs from the dry run's, and is not drift.
        #expect(applied.drift(.added(serviceObject(clusterIP: "10.0.0.44", port: 80))) == nil)
    }

    @Test func driftKeepsOnlyTheReference() throws {
        let applied = applied()
        let changed = try #require(applied.drift(.updated(old: configMap("fast", resourceVersion: "2"), new: configMap("slow", resourceVersion: "3"))))
        guard case .updated(_, let new) = changed else {
            Issue.record("kind of event changed: \(changed)")
            return
        }
        #expect(new == ["metadata": ["name": "settings", "namespace": "apps"], "apiVersion": "v1", "kind": "ConfigMap"])
        #expect(try KubeClient.reference(of: new).key == ref.key)
        #expect(applied.drift(.added(serviceObject(clusterIP: "10.0.0.44", port: 81))) != nil)
        let deleted = try #require(applied.drift(.deleted(configMap("fast", resourceVersion: "4"))))
        guard case .deleted(let object) = deleted else {
            Issue.record("kind of event changed: \(deleted)")
            return
        }
        #expect(object["data"] == nil && object[path: ["metadata", "name"]] == "settings")
    }

    @Test func objectsThisSourceDidNotApplyAreNotItsDrift() {
        let applied = applied()
        var other = configMap("slow", resourceVersion: "9")
        other.set("someone-elses", at: ["metadata", "name"])
        #expect(applied.drift(.added(other)) == nil)
        #expect(applied.drift(.deleted(other)) == nil)
        applied.remember(Plan(source: "s", items: [item(ref, .prune)]))
        #expect(applied.drift(.deleted(configMap("fast", resourceVersion: "4"))) == nil, "a pruned object is forgotten")
    }

    @Test func healingRereadsTheFilesThatDefineTheObjects() {
        let applied = applied()
        #expect(applied.files(of: [service.key]) == ["svc.yaml"])
        #expect(applied.files(of: [ref.key, service.key]) == ["svc.yaml"], "the ConfigMap's manifest was not recorded")
        applied.replaceManifests([])
        #expect(applied.files(of: [service.key]).isEmpty, "a newer commit no longer defines it")
        #expect(applied.drift(.deleted(serviceObject(clusterIP: "10.0.0.44", port: 80))) != nil, "what was applied is still watched until pruned")
    }

    @Test func aClusterIPTheManifestSetsIsCompared() {
        let applied = AppliedObjects()
        let desired: Value = [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "api", "namespace": "apps"],
            "spec": ["clusterIP": "10.0.0.9", "ports": [["port": 80]]],
        ]
        applied.replaceManifests([Manifest(object: desired, source: ObjectSource(file: "svc.yaml", document: 0, line: 1))])
        applied.remember(Plan(source: "s", items: [item(service, .create, merged: Normalize.forDiff(serviceObject(clusterIP: "10.0.0.9", port: 80)))]))
        #expect(applied.drift(.added(serviceObject(clusterIP: "10.0.0.9", port: 80))) == nil)
        #expect(applied.drift(.added(serviceObject(clusterIP: "10.0.0.44", port: 80))) != nil)
    }

    @Test func manyObjectsAreFoundAndOthersAreNot() {
        let applied = AppliedObjects()
        let refs = (0..<2_000).map {
            ObjectReference(apiVersion: "v1", kind: $0 % 2 == 0 ? "ConfigMap" : "Secret", namespace: "ns-\($0 % 7)", name: "obj-\($0)")
        }
        let manifests = refs.enumerated().map { i, r in
            Manifest(
                object: ["apiVersion": "v1", "kind": .string(r.kind), "metadata": ["name": .string(r.name), "namespace": .string(r.namespace ?? "")]],
                source: ObjectSource(file: "f\(i % 50).yaml", document: 0, line: 1))
        }
        applied.replaceManifests(manifests)
        // Fingerprints for every other object, in a shuffled order.
        var rng = SeededRandom(seed: 3)
        let planned = refs.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).shuffled(using: &rng)
        applied.remember(
            Plan(source: "s", items: planned.map { item($0, .create, merged: ["kind": .string($0.kind), "metadata": ["name": .string($0.name)]]) }))
        for (i, r) in refs.enumerated() {
            #expect(applied.files(of: [r.key]) == ["f\(i % 50).yaml"])
            let deleted = InformerEvent.deleted([
                "apiVersion": "v1", "kind": .string(r.kind), "metadata": ["name": .string(r.name), "namespace": .string(r.namespace ?? "")],
            ])
            #expect((applied.drift(deleted) != nil) == (i % 2 == 0), "\(r)")
        }
        #expect(applied.files(of: [ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "ns-0", name: "obj-x").key]).isEmpty)
    }
}
