import Foundation
import YAML

/// A kind the cluster serves, as discovery describes it.
public struct APIResource: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    /// The plural name used in URLs (`deployments`).
    public var name: String
    public var namespaced: Bool
    public var verbs: [String]
    public var subresources: [String]

    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// `/api/v1` or `/apis/apps/v1`.
    public var basePath: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }

    public func path(namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var p = basePath
        if namespaced, let namespace { p += "/namespaces/\(Self.escape(namespace))" }
        p += "/\(self.name)"
        if let name { p += "/\(Self.escape(name))" }
        if let subresource { p += "/\(subresource)" }
        return p
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? s
    }
}

/// Which kinds the cluster serves, cached per group-version and refreshed on a miss, so a CRD
/// applied a moment ago becomes usable without a restart.
public actor Discovery {
    let transport: Transport
    private var byGroupVersion: [String: [APIResource]] = [:]
    private var lastMiss: [String: ContinuousClock.Instant] = [:]
    /// Discovery requests made (tests check the cache works).
    public private(set) var fetches = 0

    init(transport: Transport) { self.transport = transport }

    public func resource(apiVersion: String, kind: String) async throws -> APIResource {
        if let hit = byGroupVersion[apiVersion]?.first(where: { $0.kind == kind }) { return hit }
        // A miss: refetch this group-version once (at most once a second per kind, so a typo in
        // a manifest cannot hammer the server).
        let key = "\(apiVersion)/\(kind)"
        if let last = lastMiss[key], ContinuousClock.now - last < .seconds(1), byGroupVersion[apiVersion] != nil {
            throw unknown(apiVersion, kind)
        }
        lastMiss[key] = ContinuousClock.now
        try await refresh(apiVersion)
        if let hit = byGroupVersion[apiVersion]?.first(where: { $0.kind == kind }) { return hit }
        throw unknown(apiVersion, kind)
    }

    func unknown(_ apiVersion: String, _ kind: String) -> KubeError {
        KubeError(
            reason: .unknownKind, code: 404, message: "the server does not serve kind \(kind) in \(apiVersion) (is its CustomResourceDefinition installed?)")
    }

    public func refresh(_ apiVersion: String) async throws {
        fetches += 1
        let path = apiVersion.contains("/") ? "/apis/\(apiVersion)" : "/api/\(apiVersion)"
        let list: Value
        do {
            list = try await transport.getJSON(path)
        } catch let e as KubeError where e.isNotFound {
            byGroupVersion[apiVersion] = []
            return
        }
        let (group, version) =
            apiVersion.contains("/")
            ? (String(apiVersion.prefix { $0 != "/" }), String(apiVersion.drop { $0 != "/" }.dropFirst()))
            : ("", apiVersion)
        var resources: [APIResource] = []
        var subresources: [String: [String]] = [:]
        for r in list["resources"]?.arrayValue ?? [] {
            guard let name = r["name"]?.stringValue else { continue }
            if let slash = name.firstIndex(of: "/") {
                subresources[String(name[..<slash]), default: []].append(String(name[name.index(after: slash)...]))
                continue
            }
            resources.append(
                APIResource(
                    group: group, version: version, kind: r["kind"]?.stringValue ?? "", name: name, namespaced: r["namespaced"] == .bool(true),
                    verbs: r["verbs"]?.arrayValue?.compactMap(\.stringValue) ?? [], subresources: []))
        }
        for i in resources.indices { resources[i].subresources = subresources[resources[i].name] ?? [] }
        byGroupVersion[apiVersion] = resources
    }

    /// Every group-version the server lists, fetched fresh.
    public func allResources() async throws -> [APIResource] {
        var versions = ["v1"]
        let groups = try await transport.getJSON("/apis")
        for g in groups["groups"]?.arrayValue ?? [] {
            for v in g["versions"]?.arrayValue ?? [] { if let gv = v["groupVersion"]?.stringValue { versions.append(gv) } }
        }
        var out: [APIResource] = []
        for gv in versions {
            try await refresh(gv)
            out += byGroupVersion[gv] ?? []
        }
        return out
    }
}
