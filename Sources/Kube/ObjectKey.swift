public import Manifests
public import YAML

/// A namespaced object's queue key, `namespace/name`, and back.
public enum ObjectKey {
    public static func of(_ object: Value) -> String {
        "\(object[path: ["metadata", "namespace"]]?.stringValue ?? "")/\(object[path: ["metadata", "name"]]?.stringValue ?? "")"
    }

    public static func reference(_ key: String, apiVersion: String, kind: String) -> ObjectReference {
        let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
        return ObjectReference(apiVersion: apiVersion, kind: kind, namespace: parts.first ?? "", name: parts.count > 1 ? parts[1] : "")
    }
}
