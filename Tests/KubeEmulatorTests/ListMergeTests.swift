import Foundation
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

/// Server-side apply of list changes, per merge strategy, against what a real API server does:
/// map-lists merge item by item on their keys (key fields the server defaults, such as a port's
/// protocol, count as set), set-lists merge by value, atomic lists are replaced whole and owned
/// by their last applier.
@Suite(.offThePool) struct ListMergeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        /// The object applied first by manager "a" (a Service, a Deployment or a custom resource).
        var first: Value
        /// Applied next, by `secondManager`.
        var second: Value
        var secondManager = "a"
        /// The list after both, at `path`, keeping only `fields` of each item.
        var path: [String]
        var fields: [String]
        var expected: Value
        var testDescription: String { name }
    }

    static func service(_ ports: Value) -> Value {
        ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "svc", "namespace": "default"], "spec": ["selector": ["app": "x"], "ports": ports]]
    }

    static func deploymentWith(_ container: Value, tolerations: Value? = nil) -> Value {
        var pod: Value = ["containers": [container]]
        if let tolerations { pod["tolerations"] = tolerations }
        return [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "default"],
            "spec": ["selector": ["matchLabels": ["app": "web"]], "template": ["metadata": ["labels": ["app": "web"]], "spec": pod]],
        ]
    }

    static func widget(_ items: Value, finalizers: Value? = nil, ports: Value? = nil) -> Value {
        var metadata: Value = ["name": "w", "namespace": "default"]
        if let finalizers { metadata["finalizers"] = finalizers }
        var spec: Value = ["items": items, "tags": ["a"]]
        if let ports { spec["ports"] = ports }
        return ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": metadata, "spec": spec]
    }

    static let ports = ["spec", "ports"]
    static let env = ["spec", "template", "spec", "containers", "0", "env"]
    static let containerPorts = ["spec", "template", "spec", "containers", "0", "ports"]
    static let tolerations = ["spec", "template", "spec", "tolerations"]

    static let cases: [Case] = [
        // Map-list keyed by port and protocol; protocol is defaulted before the merge.
        Case(
            name: "service port changed (80 → 81) replaces the entry", first: service([["port": 80]]), second: service([["port": 81]]), path: ports,
            fields: ["port", "protocol", "targetPort"], expected: [["port": 81, "protocol": "TCP", "targetPort": 81]]),
        Case(
            name: "service port added", first: service([["port": 80]]), second: service([["port": 80], ["name": "m", "port": 9090]]), path: ports,
            fields: ["port", "protocol"], expected: [["port": 80, "protocol": "TCP"], ["port": 9090, "protocol": "TCP"]]),
        Case(
            name: "same port, other protocol is another entry", first: service([["name": "a", "port": 53]]),
            second: service([["name": "a", "port": 53], ["name": "b", "port": 53, "protocol": "UDP"]]), path: ports, fields: ["port", "protocol"],
            expected: [["port": 53, "protocol": "TCP"], ["port": 53, "protocol": "UDP"]]),
        Case(
            name: "service port removed", first: service([["name": "a", "port": 80], ["name": "b", "port": 81]]), second: service([["name": "a", "port": 80]]),
            path: ports, fields: ["port"], expected: [["port": 80]]),
        Case(
            name: "a second manager's port survives the first one's apply", first: service([["name": "a", "port": 80]]),
            second: service([["name": "b", "port": 81]]), secondManager: "b", path: ports, fields: ["port"], expected: [["port": 80], ["port": 81]]),
        // Map-list keyed by name.
        Case(
            name: "env var value changed in place",
            first: deploymentWith(["name": "c", "image": "i", "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]]]),
            second: deploymentWith(["name": "c", "image": "i", "env": [["name": "A", "value": "9"], ["name": "B", "value": "2"]]]), path: env,
            fields: ["name", "value"], expected: [["name": "A", "value": "9"], ["name": "B", "value": "2"]]),
        Case(
            name: "env vars reordered keep applied order",
            first: deploymentWith(["name": "c", "image": "i", "env": [["name": "A", "value": "1"], ["name": "B", "value": "2"]]]),
            second: deploymentWith(["name": "c", "image": "i", "env": [["name": "B", "value": "2"], ["name": "A", "value": "1"]]]), path: env, fields: ["name"],
            expected: [["name": "B"], ["name": "A"]]),
        Case(
            name: "env var key changed (A → C)", first: deploymentWith(["name": "c", "image": "i", "env": [["name": "A", "value": "1"]]]),
            second: deploymentWith(["name": "c", "image": "i", "env": [["name": "C", "value": "1"]]]), path: env, fields: ["name", "value"],
            expected: [["name": "C", "value": "1"]]),
        Case(
            name: "container port keyed by containerPort and protocol", first: deploymentWith(["name": "c", "image": "i", "ports": [["containerPort": 8080]]]),
            second: deploymentWith(["name": "c", "image": "i", "ports": [["containerPort": 8081]]]), path: containerPorts,
            fields: ["containerPort", "protocol"], expected: [["containerPort": 8081, "protocol": "TCP"]]),
        // Atomic list: replaced whole, by whoever applied it last.
        Case(
            name: "tolerations are atomic",
            first: deploymentWith(["name": "c", "image": "i"], tolerations: [["key": "a", "operator": "Exists"], ["key": "b", "operator": "Exists"]]),
            second: deploymentWith(["name": "c", "image": "i"], tolerations: [["key": "b", "operator": "Exists"]]), path: tolerations, fields: ["key"],
            expected: [["key": "b"]]),
        Case(
            name: "an atomic list applied by a second manager replaces the first's",
            first: deploymentWith(["name": "c", "image": "i"], tolerations: [["key": "a", "operator": "Exists"]]),
            second: deploymentWith(["name": "c", "image": "i"], tolerations: [["key": "b", "operator": "Exists"]]), secondManager: "b", path: tolerations,
            fields: ["key"], expected: [["key": "b"]]),
        // Custom resources: the CRD schema's x-kubernetes-list-type.
        Case(
            name: "CRD map-list merges by its keys", first: widget([["id": "x", "n": 1], ["id": "y", "n": 2]]), second: widget([["id": "y", "n": 3]]),
            secondManager: "b", path: ["spec", "items"], fields: ["id", "n"], expected: [["id": "x", "n": 1], ["id": "y", "n": 3]]),
        Case(
            name: "CRD map-list key defaulted by the schema: a re-apply adds no entry", first: widget([], ports: [["port": 80, "path": "/a"]]),
            second: widget([], ports: [["port": 80, "path": "/b"]]), path: ["spec", "ports"], fields: ["port", "protocol", "path"],
            expected: [["port": 80, "protocol": "TCP", "path": "/b"]]),
        Case(
            name: "CRD set-list merges by value", first: widget([], finalizers: ["a/one"]), second: widget([], finalizers: ["b/two"]), secondManager: "b",
            path: ["metadata", "finalizers"], fields: [], expected: ["a/one", "b/two"]),
    ]

    static let crd: Value = [
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "widgets.example.com"],
        "spec": [
            "group": "example.com", "scope": "Namespaced", "names": ["kind": "Widget", "plural": "widgets", "singular": "widget"],
            "versions": [
                [
                    "name": "v1", "served": true, "storage": true,
                    "schema": [
                        "openAPIV3Schema": [
                            "type": "object",
                            "properties": [
                                "spec": [
                                    "type": "object",
                                    "properties": [
                                        "items": [
                                            "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["id"],
                                            "items": ["type": "object", "properties": ["id": ["type": "string"], "n": ["type": "integer"]]],
                                        ],
                                        "tags": ["type": "array", "x-kubernetes-list-type": "set", "items": ["type": "string"]],
                                        "ports": [
                                            "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["port", "protocol"],
                                            "items": [
                                                "type": "object", "required": ["port"],
                                                "properties": [
                                                    "port": ["type": "integer"], "protocol": ["type": "string", "default": "TCP"], "path": ["type": "string"],
                                                ],
                                            ],
                                        ],
                                    ],
                                ]
                            ],
                        ]
                    ],
                ]
            ],
        ],
    ]

    func project(_ list: Value?, fields: [String]) -> Value {
        guard let items = list?.arrayValue else { return .null }
        if fields.isEmpty { return .array(items) }
        return .array(
            items.map { item in
                var o = Value.emptyObject
                for f in fields where item[f] != nil { o[f] = item[f] }
                return o
            })
    }

    @Test(arguments: cases)
    func listChanges(_ c: Case) async throws {
        let fx = try await EmulatorFixture { $0.deploymentReadyDelay = 600 }
        let client = try fx.client()
        if c.first["kind"] == "Widget" {
            _ = try await client.apply(Self.crd, fieldManager: "setup")
            try await Self.waitForKind(client, apiVersion: "example.com/v1", kind: "Widget")
        }
        _ = try await client.apply(c.first, fieldManager: "a")
        let after = try await client.apply(c.second, fieldManager: c.secondManager)
        var list: Value? = after
        for p in c.path { list = Int(p).map { list?.arrayValue?[$0] } ?? list?[p] }
        #expect(project(list, fields: c.fields) == c.expected, "\(String(describing: list))")
        await fx.stop()
    }

    static func waitForKind(_ client: KubeClient, apiVersion: String, kind: String) async throws {
        try await eventually("\(kind) served", timeout: 5, every: .milliseconds(50)) {
            try? await client.discovery.refresh(apiVersion)
            return (try? await client.locate(apiVersion: apiVersion, kind: kind, namespace: "default")) != nil
        }
    }
}
