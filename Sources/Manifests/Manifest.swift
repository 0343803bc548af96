public import Values

/// One desired object read from git: its body as the API will receive it, and where it came from.
public struct Manifest: Sendable {
    public var object: Value
    public var source: ObjectSource
    /// The parsed node, kept so that later checks (a ModelDeployment's spec, say) can point at
    /// the line of a bad field.
    public var node: Node?

    public init(object: Value, source: ObjectSource, node: Node? = nil) {
        self.object = object
        self.source = source
        self.node = node
    }

    public var apiVersion: String { object["apiVersion"]?.stringValue ?? "" }
    public var kind: String { object["kind"]?.stringValue ?? "" }
    public var name: String { object[path: ["metadata", "name"]]?.stringValue ?? "" }
    public var namespace: String? { object[path: ["metadata", "namespace"]]?.stringValue }

    public var reference: ObjectReference {
        ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
    }

    public var labels: [String: String] { Self.stringMap(object[path: ["metadata", "labels"]]) }
    public var annotations: [String: String] { Self.stringMap(object[path: ["metadata", "annotations"]]) }

    static func stringMap(_ v: Value?) -> [String: String] {
        guard let o = v?.objectValue else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in o { if let s = v.stringValue { out[k] = s } }
        return out
    }

    /// The line of a field, for error messages (falls back to the object's first line).
    public func line(of path: [String]) -> Int {
        guard let node else { return source.line }
        let mark = node.mark(at: path)
        return mark.line > 0 ? mark.line : source.line
    }
}
