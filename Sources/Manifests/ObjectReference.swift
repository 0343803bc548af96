/// Who an object is, as the API server sees it: group, kind, namespace and name. The version is
/// not part of identity (apps/v1 and apps/v1beta1 Deployments named `web` are the same object).
public struct ObjectReference: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var apiVersion: String
    public var kind: String
    public var namespace: String?
    public var name: String

    public init(apiVersion: String, kind: String, namespace: String?, name: String) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.name = name
    }

    /// `apps` for `apps/v1`, the empty string for the core group (`v1`).
    public var group: String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }

    public var version: String {
        guard let slash = apiVersion.firstIndex(of: "/") else { return apiVersion }
        return String(apiVersion[apiVersion.index(after: slash)...])
    }

    /// Identity without the version.
    public var key: Key { Key(group: group, kind: kind, namespace: namespace ?? "", name: name) }

    public struct Key: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
        public var group: String
        public var kind: String
        public var namespace: String
        public var name: String

        public static func < (a: Key, b: Key) -> Bool {
            (a.group, a.kind, a.namespace, a.name) < (b.group, b.kind, b.namespace, b.name)
        }

        public var description: String {
            let gk = group.isEmpty ? kind : "\(kind).\(group)"
            return namespace.isEmpty ? "\(gk)/\(name)" : "\(gk) \(namespace)/\(name)"
        }
    }

    public static func < (a: ObjectReference, b: ObjectReference) -> Bool { a.key < b.key }

    /// `Deployment ml/churn`, `Namespace/ml`: how objects are named in messages and diffs.
    public var description: String {
        if let namespace { return "\(kind) \(namespace)/\(name)" }
        return "\(kind)/\(name)"
    }
}
