public import Manifests
public import YAML

/// One call through `KubeAPI`, as a wrapper sees it: what a test asserts ("the controller
/// applied the HTTPRoute, then the canary Deployment, then the status") and what a fault
/// rule matches.
public struct KubeCall: Sendable, CustomStringConvertible {
    public enum Verb: String, Sendable {
        case get, list, watch, create, apply, patch, delete
    }

    public var verb: Verb
    public var apiVersion: String
    public var kind: String
    public var namespace: String?
    public var name: String?
    public var subresource: String?
    public var dryRun: Bool
    /// What was sent: the object created or applied, or the patch.
    public var body: Value?

    public init(
        verb: Verb, apiVersion: String, kind: String, namespace: String?, name: String?, subresource: String? = nil, dryRun: Bool = false,
        body: Value? = nil
    ) {
        self.verb = verb
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.subresource = subresource
        self.dryRun = dryRun
        self.body = body
    }

    init(_ verb: Verb, _ ref: ObjectReference, subresource: String? = nil, dryRun: Bool = false, body: Value? = nil) {
        self.init(
            verb: verb, apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace, name: ref.name, subresource: subresource, dryRun: dryRun,
            body: body)
    }

    /// Changes the cluster (a dry run does not).
    public var isWrite: Bool { !dryRun && [.create, .apply, .patch, .delete].contains(verb) }

    /// `apply ModelDeployment ml/churn/status`: verb, kind and where, without the body.
    public var description: String {
        var target = namespace.map { "\($0)/" } ?? ""
        target += name ?? "*"
        if let subresource { target += "/\(subresource)" }
        return "\(verb.rawValue)\(dryRun ? " (dry run)" : "") \(kind) \(target)"
    }
}
