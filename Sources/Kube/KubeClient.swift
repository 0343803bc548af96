import Foundation
public import HTTP
public import Logging
public import Manifests
public import YAML

/// Options for list calls.
public struct ListOptions: Sendable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Page size; `listAll` follows `continue` tokens.
    public var limit: Int?
    public var continueToken: String?
    public var resourceVersion: String?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil, resourceVersion: String? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
    }

    var query: [(String, String)] {
        var q: [(String, String)] = []
        if let labelSelector { q.append(("labelSelector", labelSelector)) }
        if let fieldSelector { q.append(("fieldSelector", fieldSelector)) }
        if let limit { q.append(("limit", String(limit))) }
        if let continueToken { q.append(("continue", continueToken)) }
        if let resourceVersion { q.append(("resourceVersion", resourceVersion)) }
        return q
    }
}

/// One page of a list.
public struct ObjectList: Sendable {
    public var items: [Value]
    public var resourceVersion: String
    public var continueToken: String?
}

public enum PropagationPolicy: String, Sendable {
    case foreground = "Foreground"
    case background = "Background"
    case orphan = "Orphan"
}

/// A generic Kubernetes client: any kind, addressed by apiVersion and kind, over libcurl.
public final class KubeClient: Sendable {
    public let config: ClusterConfig
    public let discovery: Discovery
    let transport: Transport

    public convenience init(
        config: ClusterConfig, retry: RetryPolicy = .init(), maxConnections: Int = 16, observer: RequestObserver? = nil,
        userAgent: String = "sluice/0.2", logger: Logger = Logger(label: "sluice.kube")
    ) {
        let http = HTTPClient(
            tls: config.tls, maxConnectionsPerHost: maxConnections, userAgent: userAgent,
            verbose: ProcessInfo.processInfo.environment["SLUICE_CURL_VERBOSE"] != nil)
        self.init(config: config, exchange: http, retry: retry, observer: observer, logger: logger)
    }

    /// A client whose requests go to `exchange` instead of libcurl (an in-process server).
    public init(
        config: ClusterConfig, exchange http: any HTTPExchange, retry: RetryPolicy = .init(), observer: RequestObserver? = nil,
        logger: Logger = Logger(label: "sluice.kube")
    ) {
        self.config = config
        transport = Transport(
            config: config, http: http, auth: Authenticator(config.auth), limiter: RateLimiter(qps: config.qps, burst: config.burst),
            retry: retry, observer: observer, logger: logger)
        discovery = Discovery(transport: transport)
    }

    public var defaultNamespace: String { config.namespace }

    // MARK: addressing

    /// The resource for a kind, and the namespace an object of it lives in (the client's
    /// default for namespaced kinds without one; none for cluster-scoped kinds).
    public func locate(apiVersion: String, kind: String, namespace: String?) async throws -> (APIResource, String?) {
        let r = try await discovery.resource(apiVersion: apiVersion, kind: kind)
        return (r, r.namespaced ? (namespace ?? defaultNamespace) : nil)
    }

    func describe(_ method: String, _ r: APIResource, _ ns: String?, _ name: String?) -> String {
        var s = "\(method) \(r.apiVersion) \(r.kind)"
        if let name { s += " " + (ns.map { "\($0)/" } ?? "") + name } else if let ns { s += " in \(ns)" }
        return s
    }

    public static func reference(of object: Value) throws -> ObjectReference {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue,
            let name = object[path: ["metadata", "name"]]?.stringValue
        else {
            throw KubeError(reason: .badRequest, message: "an object needs apiVersion, kind and metadata.name")
        }
        return ObjectReference(apiVersion: apiVersion, kind: kind, namespace: object[path: ["metadata", "namespace"]]?.stringValue, name: name)
    }

    static func writeQuery(dryRun: Bool, fieldManager: String?) -> [(String, String)] {
        var q: [(String, String)] = []
        if dryRun { q.append(("dryRun", "All")) }
        if let fieldManager { q.append(("fieldManager", fieldManager)) }
        return q
    }

    // MARK: verbs

    public func get(_ ref: ObjectReference, subresource: String? = nil) async throws -> Value {
        let (r, ns) = try await locate(apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace)
        let op = describe("GET", r, ns, ref.name)
        let resp = try await transport.send(
            verb: "get", method: "GET", path: r.path(namespace: ns, name: ref.name, subresource: subresource), idempotent: true, operation: op)
        return try resp.json(op)
    }

    /// One page, not yet decoded: `ListPage.decode` hands over one object at a time, so a caller
    /// that keeps only part of each object never holds the whole page as values.
    public func listPage(apiVersion: String, kind: String, namespace: String?, options: ListOptions = .init()) async throws -> ListPage {
        let r = try await discovery.resource(apiVersion: apiVersion, kind: kind)
        let ns = r.namespaced ? namespace : nil
        let op = describe("LIST", r, ns, nil)
        let resp = try await transport.send(verb: "list", method: "GET", path: r.path(namespace: ns), query: options.query, idempotent: true, operation: op)
        return ListPage(response: resp, operation: op)
    }

    public func create(_ object: Value, dryRun: Bool = false, fieldManager: String? = nil) async throws -> Value {
        let ref = try Self.reference(of: object)
        let (r, ns) = try await locate(apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace)
        let op = describe("POST", r, ns, ref.name)
        let resp = try await transport.send(
            verb: "create", method: "POST", path: r.path(namespace: ns), query: Self.writeQuery(dryRun: dryRun, fieldManager: fieldManager),
            body: try JSON.bytes(object), contentType: "application/json", idempotent: false, operation: op)
        return try resp.json(op)
    }

    /// Asks a review kind (SelfSubjectReview, SelfSubjectAccessReview, TokenReview): created
    /// without a name, stored nowhere, answered in its status.
    public func review(_ object: Value) async throws -> Value {
        guard let apiVersion = object["apiVersion"]?.stringValue, let kind = object["kind"]?.stringValue else {
            throw KubeError(reason: .invalid, message: "a review needs apiVersion and kind")
        }
        let (r, ns) = try await locate(apiVersion: apiVersion, kind: kind, namespace: object[path: ["metadata", "namespace"]]?.stringValue)
        let op = describe("POST", r, ns, "")
        let resp = try await transport.send(
            verb: "create", method: "POST", path: r.path(namespace: ns), query: [], body: try JSON.bytes(object), contentType: "application/json",
            idempotent: true, operation: op)
        return try resp.json(op)
    }

    /// Replaces an object. With `metadata.resourceVersion` set, a stale write fails with a
    /// `.conflict` error instead of overwriting someone else's change.
    public func update(_ object: Value, subresource: String? = nil, dryRun: Bool = false, fieldManager: String? = nil) async throws -> Value {
        let ref = try Self.reference(of: object)
        let (r, ns) = try await locate(apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace)
        let op = describe("PUT", r, ns, ref.name)
        let resp = try await transport.send(
            verb: "update", method: "PUT", path: r.path(namespace: ns, name: ref.name, subresource: subresource),
            query: Self.writeQuery(dryRun: dryRun, fieldManager: fieldManager), body: try JSON.bytes(object), contentType: "application/json",
            idempotent: true, operation: op)
        return try resp.json(op)
    }

    /// Server-side apply. Controllers force: they own what they apply. Field validation is
    /// strict, as kubectl's is by default: a field the server does not know (a typo in git) is
    /// an error naming it, not a field the server drops with a warning nobody reads.
    public func apply(_ object: Value, fieldManager: String, force: Bool = true, dryRun: Bool = false, subresource: String? = nil) async throws -> Value {
        let ref = try Self.reference(of: object)
        let (r, ns) = try await locate(apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace)
        var body = object
        if let ns, object[path: ["metadata", "namespace"]] == nil { body.set(.string(ns), at: ["metadata", "namespace"]) }
        var query = Self.writeQuery(dryRun: dryRun, fieldManager: fieldManager)
        if force { query.append(("force", "true")) }
        query.append(("fieldValidation", "Strict"))
        let op = describe(dryRun ? "APPLY (dry run)" : "APPLY", r, ns, ref.name)
        let resp = try await transport.send(
            verb: "apply", method: "PATCH", path: r.path(namespace: ns, name: ref.name, subresource: subresource), query: query,
            body: try JSON.bytes(body), contentType: "application/apply-patch+yaml", idempotent: true, operation: op)
        return try resp.json(op)
    }

    /// RFC 7386 JSON merge patch.
    public func mergePatch(_ ref: ObjectReference, _ patch: Value, subresource: String? = nil, dryRun: Bool = false, fieldManager: String? = nil) async throws
        -> Value
    {
        let (r, ns) = try await locate(apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace)
        let op = describe("PATCH", r, ns, ref.name)
        let resp = try await transport.send(
            verb: "patch", method: "PATCH", path: r.path(namespace: ns, name: ref.name, subresource: subresource),
            query: Self.writeQuery(dryRun: dryRun, fieldManager: fieldManager), body: try JSON.bytes(patch),
            contentType: "application/merge-patch+json", idempotent: true, operation: op)
        return try resp.json(op)
    }

    /// Patches the status subresource.
    public func patchStatus(_ ref: ObjectReference, _ status: Value, dryRun: Bool = false, fieldManager: String? = nil) async throws -> Value {
        try await mergePatch(ref, ["status": status], subresource: "status", dryRun: dryRun, fieldManager: fieldManager)
    }

    /// Deletes an object. Returns false when it was already gone.
    @discardableResult
    public func delete(_ ref: ObjectReference, propagation: PropagationPolicy? = .background, dryRun: Bool = false, preconditionUID: String? = nil) async throws
        -> Bool
    {
        let (r, ns) = try await locate(apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace)
        var options: Value = ["kind": "DeleteOptions", "apiVersion": "v1"]
        if let propagation { options["propagationPolicy"] = .string(propagation.rawValue) }
        if let preconditionUID { options["preconditions"] = ["uid": .string(preconditionUID)] }
        let op = describe("DELETE", r, ns, ref.name)
        do {
            _ = try await transport.send(
                verb: "delete", method: "DELETE", path: r.path(namespace: ns, name: ref.name), query: Self.writeQuery(dryRun: dryRun, fieldManager: nil),
                body: try JSON.bytes(options), contentType: "application/json", idempotent: true, operation: op)
            return true
        } catch let e as KubeError where e.isNotFound {
            return false
        }
    }

    /// GET of any path (discovery, /version).
    public func getJSON(_ path: String) async throws -> Value { try await transport.getJSON(path) }

    /// Closes connections.
    public func shutdown() { transport.http.shutdown() }
}

extension KubeClient {
    /// The bearer token this client sends, for a service that asks the API server who holds it
    /// (TokenReview): nil when the credentials are a client certificate or a password.
    public func bearerToken() async throws -> String? {
        guard let header = try await transport.auth.header(), header.hasPrefix("Bearer ") else { return nil }
        return String(header.dropFirst(7))
    }
}
