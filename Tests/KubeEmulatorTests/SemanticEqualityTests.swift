import Foundation
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

/// A real server compares what it stores by meaning: 1 and 1.0 are the same number, and the order
/// of a mapping's keys is no change. Re-applying an unchanged object, however a client spells
/// its numbers or orders its keys, changes nothing: no new generation, no new resourceVersion.
@Suite(.offThePool) struct SemanticEqualityTests {
    static func crd(maximum: Value, ratio: Value, keysReversed: Bool = false) -> Value {
        var props: [(String, Value)] = [("ratio", ["type": "number", "default": ratio, "minimum": 0.0]), ("count", ["type": "integer", "maximum": maximum])]
        if keysReversed { props.reverse() }
        var properties = Value.emptyObject
        for (k, v) in props { properties[k] = v }
        return [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "gauges.example.com"],
            "spec": [
                "group": "example.com", "scope": "Namespaced", "names": ["kind": "Gauge", "plural": "gauges", "singular": "gauge"],
                "versions": [
                    [
                        "name": "v1", "served": true, "storage": true,
                        "schema": ["openAPIV3Schema": ["type": "object", "properties": ["spec": ["type": "object", "properties": properties]]]],
                    ]
                ],
            ],
        ]
    }

    @Test func numbersAndKeyOrderAreComparedByMeaning() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        let ref = ObjectReference(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", namespace: nil, name: "gauges.example.com")
        // Written as Sluice sends a YAML `1.0` and `0.50` (doubles) ...
        _ = try await client.apply(Self.crd(maximum: .double(1000.0), ratio: .double(0.5)), fieldManager: "sluice")
        try await eventually("the CRD established") { fx.emulator.controllersIdle }
        let before = try await client.get(ref)
        // ... re-applied as kubectl sends the same file (integral floats as integers, keys in another order).
        let dry = try await client.apply(Self.crd(maximum: .int(1000), ratio: .double(0.5), keysReversed: true), fieldManager: "kubectl", dryRun: true)
        #expect(dry[path: ["metadata", "generation"]] == before[path: ["metadata", "generation"]], "no change in spec: no new generation")
        let real = try await client.apply(Self.crd(maximum: .int(1000), ratio: .double(0.5), keysReversed: true), fieldManager: "kubectl")
        #expect(real[path: ["metadata", "generation"]] == 1)
        #expect(real[path: ["metadata", "resourceVersion"]] != nil)
        // Re-applying Sluice's own spelling again changes nothing either.
        let again = try await client.apply(Self.crd(maximum: .double(1000.0), ratio: .double(0.5)), fieldManager: "sluice")
        #expect(again[path: ["metadata", "generation"]] == 1)
        await fx.stop()
    }
}
