import Foundation
import Synchronization
import YAML

/// What a handler answers: a JSON value, or a stream of newline-delimited JSON (watch).
enum APIResponse: Sendable {
    case json(status: Int, Value, headers: [String: String] = [:])
    case stream(AsyncStream<[UInt8]>)
}

/// The emulated API server: routing, authentication, fault injection and the request log, in
/// front of the object handlers. Everything a test can observe about a request passes here.
final class APIServer: Sendable {
    let configuration: EmulatorConfiguration
    let store: Store
    let registry = Registry()
    let faults = Faults()
    let clusterIPs = Counter(start: 10)
    let failingTags: LockedSet
    let autoscalerState = AutoscalerState()
    let started = Date()
    let scheduler: Scheduler
    /// Service-account tokens the emulator issued (token → account); requests carrying one are
    /// authorized by RBAC, as a pod's are.
    let serviceAccountTokens = LockedDictionary<String, UserInfo>()

    init(configuration: EmulatorConfiguration) {
        self.configuration = configuration
        scheduler = Scheduler(manual: configuration.manualControllers)
        store = Store(historyLimit: configuration.watchHistory)
        failingTags = LockedSet(configuration.failingImageTags)
        for ns in configuration.initialNamespaces {
            var obj: Value = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]]
            Defaulting.namespace(&obj)
            obj.setMetadata("uid", .string(UUID().uuidString.lowercased()))
            obj.setMetadata("creationTimestamp", .string(Self.timestamp()))
            store.mutate("namespaces", namespace: "", name: ns) { _ in obj }
        }
        for (resource, object) in BootstrapPolicy.objects {
            var obj = object
            obj.setMetadata("uid", .string(UUID().uuidString.lowercased()))
            obj.setMetadata("creationTimestamp", .string(Self.timestamp()))
            store.mutate(resource, namespace: "", name: obj[path: ["metadata", "name"]]?.stringValue ?? "") { _ in obj }
        }
    }

    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }

    /// The user a request authenticates as, or nil (401). The configured token, basic auth and
    /// client certificates are the cluster admin's; issued service-account tokens are not.
    func authenticate(_ request: APIRequest) -> UserInfo? {
        if let header = request.authorization, header.hasPrefix("Bearer "), let account = serviceAccountTokens[String(header.dropFirst(7))] {
            return account
        }
        if configuration.requireClientCertificate { return .admin }  // the TLS handshake already checked it
        guard configuration.token != nil || configuration.basicAuth != nil else { return .admin }
        guard let header = request.authorization else { return nil }
        if let token = configuration.token, header == "Bearer \(token)" { return .admin }
        if let basic = configuration.basicAuth {
            let expected = "Basic " + Base64.encode(Array("\(basic.user):\(basic.password)".utf8))
            if header == expected { return .admin }
        }
        return nil
    }

    func handle(_ incoming: APIRequest) async -> APIResponse {
        var request = incoming
        let start = Date()
        var record = RequestRecord(
            time: start.timeIntervalSince1970, method: request.method, path: request.path, query: request.rawQuery, verb: "unknown",
            userAgent: request.userAgent, dryRun: request.dryRun, status: 0, injected: false)
        let response: APIResponse
        do {
            let route = try Route.parse(request.segments, registry: registry)
            describe(route, request, into: &record)
            if case .health = route {
                response = .json(status: 200, "ok")
            } else {
                guard let authenticated = authenticate(request) else { throw APIError.unauthorized }
                let user = try impersonated(authenticated, request)
                request.user = user
                if case .resource(let type, let ns, let name, let sub) = route {
                    let access = AccessRequest(
                        verb: record.verb == "apply" ? "patch" : record.verb, group: type.group, resource: type.plural, subresource: sub,
                        namespace: ns, name: name)
                    guard RBACAuthorizer(store: store).allows(user, access) else { throw RBACAuthorizer.forbidden(user, access) }
                }
                if case .admin(let rest) = route {
                    guard user == .admin else { throw APIError(code: 403, reason: "Forbidden", message: "the emulator's admin API is for the cluster admin") }
                    response = try adminHandle(rest, request)
                } else {
                    let decision = faults.decide(verb: record.verb, resource: record.resource, userAgent: record.userAgent ?? "")
                    if decision.delay > 0 { try? await Task.sleep(for: .seconds(decision.delay)) }
                    if let status = decision.status {
                        record.injected = true
                        throw status == 429 ? APIError.tooManyRequests(retryAfter: faults.current.retryAfterSeconds) : APIError.injected(status)
                    }
                    response = try await dispatch(route, request)
                }
            }
        } catch let e as APIError {
            var headers: [String: String] = [:]
            if let r = e.retryAfter { headers["Retry-After"] = String(r) }
            response = .json(status: e.code, e.status, headers: headers)
        } catch {
            response = .json(status: 500, APIError(code: 500, reason: "InternalError", message: "\(error)").status)
        }
        switch response {
        case .json(let status, _, _): record.status = status
        case .stream: record.status = 200
        }
        faults.record(record)
        return response
    }

    /// The user a request acts as: `Impersonate-User`/`Impersonate-Group`, when the
    /// authenticated user may impersonate (RBAC verb `impersonate` on users and groups).
    func impersonated(_ user: UserInfo, _ request: APIRequest) throws -> UserInfo {
        guard let name = request.impersonateUser, !name.isEmpty else { return user }
        // As a real server does: a service account is impersonated through `serviceaccounts` in
        // its namespace, anyone else through `users`; every extra group through `groups`.
        let parts = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let access =
            parts.count == 4 && parts[0] == "system" && parts[1] == "serviceaccount"
            ? AccessRequest(verb: "impersonate", group: "", resource: "serviceaccounts", subresource: nil, namespace: parts[2], name: parts[3])
            : AccessRequest(verb: "impersonate", group: "", resource: "users", subresource: nil, namespace: nil, name: name)
        let authorizer = RBACAuthorizer(store: store)
        guard authorizer.allows(user, access) else {
            let scope = access.namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
            throw APIError(
                code: 403, reason: "Forbidden",
                message:
                    "\(access.resource) \"\(access.name ?? name)\" is forbidden: User \"\(user.name)\" cannot impersonate resource \"\(access.resource)\" in API group \"\" \(scope)"
            )
        }
        for group in request.impersonateGroups
        where !authorizer.allows(user, AccessRequest(verb: "impersonate", group: "", resource: "groups", subresource: nil, namespace: nil, name: group)) {
            throw APIError(
                code: 403, reason: "Forbidden",
                message: "groups \"\(group)\" is forbidden: User \"\(user.name)\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope"
            )
        }
        var groups = request.impersonateGroups
        if name.hasPrefix("system:serviceaccount:") {
            let parts = name.split(separator: ":")
            if parts.count == 4 { groups += ["system:serviceaccounts", "system:serviceaccounts:\(parts[2])"] }
        }
        return UserInfo(name: name, groups: groups + ["system:authenticated"])
    }

    func describe(_ route: Route, _ request: APIRequest, into record: inout RequestRecord) {
        switch route {
        case .resource(let type, let ns, let name, let sub):
            record.resource = type.plural
            record.namespace = ns
            record.name = name
            record.subresource = sub
            record.verb = verb(for: request, hasName: name != nil)
            if ["create", "update", "patch", "apply", "delete"].contains(record.verb) { record.fieldManager = request.fieldManager }
        case .openAPI, .openAPIRoot, .openAPIv2: record.verb = "openapi"
        case .admin: record.verb = "admin"
        case .health: record.verb = "health"
        default: record.verb = "discovery"
        }
    }

    func verb(for request: APIRequest, hasName: Bool) -> String {
        switch request.method {
        case "GET": return request.flag("watch") ? "watch" : hasName ? "get" : "list"
        case "POST": return "create"
        case "PUT": return "update"
        case "PATCH": return request.contentType.hasPrefix("application/apply-patch") ? "apply" : "patch"
        case "DELETE": return hasName ? "delete" : "deletecollection"
        default: return request.method.lowercased()
        }
    }

    func dispatch(_ route: Route, _ request: APIRequest) async throws -> APIResponse {
        switch route {
        case .version: return .json(status: 200, versionInfo)
        case .apiVersions: return .json(status: 200, apiVersions)
        case .apiGroupList: return .json(status: 200, apiGroupList)
        case .apiGroup(let g): return .json(status: 200, try apiGroup(g))
        case .resourceList(let g, let v): return .json(status: 200, resourceList(group: g, version: v))
        case .openAPIRoot: return .json(status: 200, OpenAPI.root(registry: registry))
        case .openAPI(let path): return .json(status: 200, try OpenAPI.document(path, registry: registry))
        case .openAPIv2: throw APIError.pathNotFound("/openapi/v2")
        case .resource(let type, let ns, let name, let sub):
            return try await resource(type, namespace: ns, name: name, subresource: sub, request)
        case .admin, .health:
            throw APIError.pathNotFound(request.path)
        }
    }

    func resource(_ type: ResourceType, namespace: String?, name: String?, subresource: String?, _ request: APIRequest) async throws -> APIResponse {
        if let subresource, subresource != "status", let name {
            return try self.subresource(type, namespace: namespace, name: name, subresource, request)
        }
        if Reviews.kinds.contains(type.kind), request.method == "POST" { return try review(type, namespace: namespace, request) }
        switch (request.method, name) {
        case ("GET", nil):
            if request.flag("watch") { return try watch(type, namespace: namespace, request) }
            return try list(type, namespace: namespace, request)
        case ("GET", let name?):
            if request.flag("watch") { return try watch(type, namespace: namespace, request, name: name) }
            return try get(type, namespace: namespace, name: name, request)
        case ("POST", nil):
            return try create(type, namespace: namespace, request)
        case ("PUT", let name?):
            return try update(type, namespace: namespace, name: name, subresource: subresource, request)
        case ("PATCH", let name?):
            return try patch(type, namespace: namespace, name: name, subresource: subresource, request)
        case ("DELETE", let name?):
            return try delete(type, namespace: namespace, name: name, request)
        case ("DELETE", nil):
            return try deleteCollection(type, namespace: namespace, request)
        default:
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }
}

/// A counter behind a lock (Service cluster IPs).
final class Counter: Sendable {
    private let value: Mutex<Int>
    init(start: Int) { value = Mutex(start) }
    func next() -> Int {
        value.withLock {
            $0 += 1
            return $0
        }
    }
}

/// A dictionary behind a lock.
final class LockedDictionary<Key: Hashable & Sendable, Element: Sendable>: Sendable {
    private let values = Mutex<[Key: Element]>([:])
    subscript(key: Key) -> Element? {
        get { values.withLock { $0[key] } }
        set { values.withLock { $0[key] = newValue } }
    }
}

/// A set of strings behind a lock (failing image tags).
final class LockedSet: Sendable {
    private let values: Mutex<Set<String>>
    init(_ values: Set<String>) { self.values = Mutex(values) }
    func insert(_ v: String) { values.withLock { _ = $0.insert(v) } }
    func remove(_ v: String) { values.withLock { _ = $0.remove(v) } }
    func contains(_ v: String) -> Bool { values.withLock { $0.contains(v) } }
    var all: Set<String> { values.withLock { $0 } }
}

/// Runs delayed work (simulated controllers) and cancels all of it when the emulator stops.
final class Scheduler: Sendable {
    private struct State {
        var tasks: [UUID: Task<Void, Never>] = [:]
        var pending: [@Sendable () -> Void] = []
        var stopped = false
    }

    private let state = Mutex(State())
    /// Work waits for `runPending()` instead of its delay.
    let manual: Bool

    init(manual: Bool = false) { self.manual = manual }

    func after(_ seconds: Double, _ body: @escaping @Sendable () -> Void) {
        if manual {
            state.withLock { if !$0.stopped { $0.pending.append(body) } }
            return
        }
        let id = UUID()
        // Created under the lock, so the task is registered before it can remove itself.
        state.withLock {
            guard !$0.stopped else { return }
            $0.tasks[id] = Task {
                try? await Task.sleep(for: .seconds(seconds))
                if !Task.isCancelled { body() }
                _ = self.state.withLock { $0.tasks.removeValue(forKey: id) }
            }
        }
    }

    /// Nothing waits, delayed or manual. Work that schedules more does so before it counts as
    /// done, so a chain is never seen idle halfway.
    var idle: Bool { state.withLock { $0.tasks.isEmpty && $0.pending.isEmpty } }

    /// Runs the work waiting now (not what it schedules in turn); returns how much ran.
    @discardableResult
    func runPending() -> Int {
        let due = state.withLock { s in
            defer { s.pending.removeAll() }
            return s.pending
        }
        for body in due { body() }
        return due.count
    }

    func stopAll() {
        let all = state.withLock { s -> [Task<Void, Never>] in
            s.stopped = true
            s.pending.removeAll()
            return Array(s.tasks.values)
        }
        all.forEach { $0.cancel() }
    }
}
