/// One key of one Secret. The namespace is the referring object's own, never one it names: a
/// pipeline reads its team's Secrets, not another's.
public struct SecretKeyReference: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var key: String

    public init(namespace: String, name: String, key: String) {
        self.namespace = namespace
        self.name = name
        self.key = key
    }
}

extension SecretKeyReference: CustomStringConvertible {
    public var description: String { "Secret \(namespace)/\(name) key \(key)" }
}
