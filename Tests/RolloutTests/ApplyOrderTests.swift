import Rollout
import Testing
import YAML

/// Traffic moves before pods: a rollback's weights reach the router before the canary shrinks.
@Suite struct ApplyOrderTests {
    static func object(_ kind: String, _ name: String, role: String? = nil) -> Value {
        var o: Value = ["kind": .string(kind), "metadata": ["name": .string(name)]]
        if let role { o.set(.string(role), at: ["metadata", "labels", WorkloadRenderer.roleLabel]) }
        return o
    }

    static func names(_ objects: [Value]) -> [String] { objects.map { $0[path: ["metadata", "name"]]?.stringValue ?? "" } }

    @Test(arguments: [
        (["canary", "stable", "svc", "route"], ["route", "svc", "stable", "canary"]),
        (["stable", "canary"], ["stable", "canary"]),
        (["canary", "svc-v1", "svc-v2", "stable"], ["svc-v1", "svc-v2", "stable", "canary"]),
        ([], []),
    ])
    func trafficFirstThenStableThenCanary(input: [String], expected: [String]) {
        let all: [String: Value] = [
            "route": Self.object("HTTPRoute", "route"), "svc": Self.object("Service", "svc"), "svc-v1": Self.object("Service", "svc-v1"),
            "svc-v2": Self.object("Service", "svc-v2"), "stable": Self.object("Deployment", "stable", role: "stable"),
            "canary": Self.object("Deployment", "canary", role: "canary"),
        ]
        #expect(Self.names(WorkloadRenderer.inApplyOrder(input.map { all[$0]! })) == expected)
    }
}
