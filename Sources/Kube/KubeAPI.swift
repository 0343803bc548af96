public import Manifests
public import YAML

/// The verbs Sluice's controllers use, and nothing else: the seam between a reconciler and the
/// cluster. `KubeClient` is the real one; tests wrap one in `InterceptedKubeAPI` to record
/// every call and inject faults ("the third status write fails with 409").
///
/// Requirements take every argument so a wrapper sees the whole call; the extension below
/// gives callers the short forms.
public protocol KubeAPI: Sendable {
    func get(_ ref: ObjectReference, subresource: String?) async throws -> Value
    /// One page of a list, not yet decoded (see `ListPage`).
    func listPage(apiVersion: String, kind: String, namespace: String?, options: ListOptions) async throws -> ListPage
    func watch(apiVersion: String, kind: String, namespace: String?, options: WatchOptions) async throws -> AsyncThrowingStream<WatchEvent, any Error>
    func create(_ object: Value, dryRun: Bool, fieldManager: String?) async throws -> Value
    func apply(_ object: Value, fieldManager: String, force: Bool, dryRun: Bool, subresource: String?) async throws -> Value
    func mergePatch(_ ref: ObjectReference, _ patch: Value, subresource: String?, dryRun: Bool, fieldManager: String?) async throws -> Value
    /// False when the object was already gone.
    func delete(_ ref: ObjectReference, propagation: PropagationPolicy?, dryRun: Bool, preconditionUID: String?) async throws -> Bool

    /// Discovery: the resource for a kind, and the namespace an object of it lives in (the
    /// default for a namespaced kind without one; none for a cluster-scoped kind).
    func locate(apiVersion: String, kind: String, namespace: String?) async throws -> (APIResource, String?)
    /// Forgets what discovery knows of a group-version (a CRD just made its kinds servable).
    func refreshDiscovery(_ apiVersion: String) async throws
    /// Where objects without a namespace go.
    var defaultNamespace: String { get }
}

extension KubeAPI {
    /// Like `get`, but nil for an object that does not exist.
    public func getIfExists(_ ref: ObjectReference) async throws -> Value? {
        do {
            return try await get(ref, subresource: nil)
        } catch let e as KubeError where e.isNotFound {
            return nil
        }
    }

    /// One page, decoded. `namespace` nil lists every namespace (or the cluster-scoped kind).
    public func list(apiVersion: String, kind: String, namespace: String?, options: ListOptions = .init()) async throws -> ObjectList {
        let page = try await listPage(apiVersion: apiVersion, kind: kind, namespace: namespace, options: options)
        var items: [Value] = []
        let (resourceVersion, continueToken) = try page.decode { items.append($0) }
        return ObjectList(items: items, resourceVersion: resourceVersion, continueToken: continueToken)
    }

    /// Every page, following `continue` tokens.
    public func listAll(apiVersion: String, kind: String, namespace: String?, options: ListOptions = .init()) async throws -> ObjectList {
        var options = options
        var all: [Value] = []
        while true {
            let page = try await list(apiVersion: apiVersion, kind: kind, namespace: namespace, options: options)
            all += page.items
            guard let next = page.continueToken else { return ObjectList(items: all, resourceVersion: page.resourceVersion, continueToken: nil) }
            options.continueToken = next
        }
    }

    /// Server-side apply as a controller does it: forced, for real.
    public func apply(_ object: Value, fieldManager: String, subresource: String? = nil) async throws -> Value {
        try await apply(object, fieldManager: fieldManager, force: true, dryRun: false, subresource: subresource)
    }

    public func mergePatch(_ ref: ObjectReference, _ patch: Value, subresource: String? = nil, fieldManager: String?) async throws -> Value {
        try await mergePatch(ref, patch, subresource: subresource, dryRun: false, fieldManager: fieldManager)
    }

    /// Deletes in the background (dependents after the owner), as `kubectl delete` does.
    @discardableResult
    public func delete(_ ref: ObjectReference) async throws -> Bool {
        try await delete(ref, propagation: .background, dryRun: false, preconditionUID: nil)
    }

    public func create(_ object: Value, fieldManager: String?) async throws -> Value {
        try await create(object, dryRun: false, fieldManager: fieldManager)
    }
}

extension KubeClient: KubeAPI {
    public func refreshDiscovery(_ apiVersion: String) async throws { try await discovery.refresh(apiVersion) }
}
