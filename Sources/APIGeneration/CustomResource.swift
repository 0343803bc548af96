public import Schema
public import Values

/// A custom resource kind as its CRD declares it: names, printer columns, and the spec's schema.
public struct CustomResource: Sendable {
    public var kind: String
    public var plural: String
    public var shortName: String
    public var summary: [String]
    public var columns: [Value]
    public var spec: Schema

    /// The CustomResourceDefinition, served and stored as `v1alpha1`, the status a subresource
    /// whose fields the controller reads back itself (`RolloutStatus.read`).
    public var definition: Value {
        let status: Value = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        let schema: Value = ["type": "object", "required": ["spec"], "properties": ["spec": spec.openAPI, "status": status]]
        let version: Value = [
            "name": "v1alpha1", "served": true, "storage": true, "subresources": ["status": .emptyObject],
            "additionalPrinterColumns": .array(columns), "schema": ["openAPIV3Schema": schema],
        ]
        let names: Value = [
            "plural": .string(plural), "singular": .string(kind.lowercased()), "kind": .string(kind), "listKind": .string(kind + "List"),
            "shortNames": [.string(shortName)], "categories": ["sluice"],
        ]
        return [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": ["name": .string("\(plural).sluice.dev"), "labels": ["app.kubernetes.io/name": "sluice", "app.kubernetes.io/component": "crd"]],
            "spec": ["group": "sluice.dev", "scope": "Namespaced", "names": names, "versions": [version]],
        ]
    }

    static func column(_ name: String, _ type: String, _ path: String, _ description: String? = nil, wide: Bool = false) -> Value {
        var c: Value = ["name": .string(name), "type": .string(type), "jsonPath": .string(path)]
        if let description { c["description"] = .string(description) }
        // Shown with `-o wide` only.
        if wide { c["priority"] = 1 }
        return c
    }
}
