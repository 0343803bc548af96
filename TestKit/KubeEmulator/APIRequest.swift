import Foundation
import YAML

/// A request as the emulator's handlers see it: method, decoded path and query, the headers
/// that matter, and the body.
struct APIRequest: Sendable {
    var method: String
    var path: String
    var rawQuery: String
    var query: [String: String]
    var contentType: String
    var accept: String
    var authorization: String?
    var userAgent: String
    var body: [UInt8]
    /// Who sent it, once authenticated.
    var user: UserInfo? = nil
    /// `kubectl --as` / `--as-group`: whom the sender acts as (if it may impersonate).
    var impersonateUser: String? = nil
    var impersonateGroups: [String] = []

    static func parseQuery(_ raw: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in raw.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            out[key] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }

    static func decode(_ s: Substring) -> String {
        String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
    }

    var segments: [String] { path.split(separator: "/").map(String.init) }

    var dryRun: Bool { query["dryRun"] == "All" }

    func flag(_ name: String) -> Bool {
        guard let v = query[name] else { return false }
        // What Go's strconv.ParseBool takes as true (the Python client sends `watch=True`).
        return ["", "1", "t", "T", "true", "TRUE", "True"].contains(v)
    }

    /// The request body as a value: JSON, or YAML for apply patches and YAML uploads.
    func bodyValue() throws -> Value {
        guard !body.isEmpty else { throw APIError.badRequest("the request body is empty") }
        // Typed clients (kubectl create, run, expose) send built-in kinds as protobuf.
        if contentType.hasPrefix("application/vnd.kubernetes.protobuf") {
            do {
                return try ProtobufDecoder.decodeBody(body)
            } catch {
                throw APIError(code: 415, reason: "UnsupportedMediaType", message: "the protobuf body could not be decoded: \(error)")
            }
        }
        let first = body.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        do {
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return try JSON.parse(body) }
            return try YAML.parse(String(decoding: body, as: UTF8.self))
        } catch let e as YAMLError {
            throw APIError.badRequest("error decoding request body: \(e.message) at line \(e.mark.line)")
        }
    }

    /// The field manager a write is recorded under: the query parameter, else what Kubernetes
    /// derives from the user agent (`kubectl-client-side-apply`, `kubectl-edit`...).
    var fieldManager: String {
        if let m = query["fieldManager"], !m.isEmpty { return m }
        let agent = userAgent.split(separator: " ").first.map(String.init) ?? "unknown"
        let program = agent.split(separator: "/").first.map(String.init) ?? agent
        return program.isEmpty ? "unknown" : String(program.prefix(128))
    }

    var wantsTable: Bool { accept.contains("as=Table") }

    /// The namespace in the URL (`/api/v1/namespaces/NS/...`), if any.
    var namespace: String? {
        let s = segments
        guard let i = s.firstIndex(of: "namespaces"), i + 2 < s.count, s[0] == "api" || s[0] == "apis" else { return nil }
        return s[i + 1]
    }
}

/// Where a request path points.
enum Route {
    case version
    case apiVersions
    case apiGroupList
    case apiGroup(String)
    case resourceList(group: String, version: String)
    case openAPIRoot
    case openAPI(String)
    case openAPIv2
    case resource(type: ResourceType, namespace: String?, name: String?, subresource: String?)
    case admin([String])
    case health

    static func parse(_ segments: [String], registry: Registry) throws -> Route {
        guard let first = segments.first else { throw APIError.pathNotFound("/") }
        switch first {
        case "version": return .version
        case "healthz", "readyz", "livez": return .health
        case "_emulator": return .admin(Array(segments.dropFirst()))
        case "openapi":
            if segments.count >= 2, segments[1] == "v2" { return .openAPIv2 }
            if segments.count == 2, segments[1] == "v3" { return .openAPIRoot }
            if segments.count > 2, segments[1] == "v3" { return .openAPI(segments.dropFirst(2).joined(separator: "/")) }
        case "api":
            if segments.count == 1 { return .apiVersions }
            guard segments[1] == "v1" else { throw APIError.pathNotFound(segments.joined(separator: "/")) }
            return try resource(group: "", version: "v1", rest: Array(segments.dropFirst(2)), registry: registry)
        case "apis":
            if segments.count == 1 { return .apiGroupList }
            if segments.count == 2 { return .apiGroup(segments[1]) }
            return try resource(group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)), registry: registry)
        default:
            break
        }
        throw APIError.pathNotFound("/" + segments.joined(separator: "/"))
    }

    static func resource(group: String, version: String, rest: [String], registry: Registry) throws -> Route {
        if rest.isEmpty {
            guard registry.all.contains(where: { $0.group == group && $0.version == version }) else {
                throw APIError.pathNotFound("/apis/\(group)/\(version)")
            }
            return .resourceList(group: group, version: version)
        }
        var namespace: String?
        var plural: String
        var tail: ArraySlice<String>
        if rest[0] == "namespaces", rest.count >= 3, !["status", "finalize"].contains(rest[2]) {
            namespace = rest[1]
            plural = rest[2]
            tail = rest.dropFirst(3)
        } else {
            plural = rest[0]
            tail = rest.dropFirst(1)
        }
        guard let type = registry.find(group: group, version: version, plural: plural) else {
            throw APIError.pathNotFound("/" + (group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)") + "/" + rest.joined(separator: "/"))
        }
        if namespace != nil, !type.namespaced { throw APIError.pathNotFound(rest.joined(separator: "/")) }
        let name = tail.first
        let subresource = tail.dropFirst().first
        if let subresource, !type.subresources.contains(subresource) { throw APIError.pathNotFound("\(type.plural)/\(subresource)") }
        return .resource(type: type, namespace: namespace, name: name, subresource: subresource)
    }
}
