import Foundation

/// The registry URLs the operator lets pipelines name (`--allowed-registry-url`). A pipeline is
/// synced from git and patched by approvers, so the URL it names is theirs to choose; whatever
/// the controller sends there (a token, the names of versions) goes only where this list says.
///
/// A prefix matches a URL with the same scheme, host and port and a path at or under the
/// prefix's, on a `/` boundary. A URL with user info (`https://mlflow.corp@evil.example/`), a
/// fragment, or that is not http(s) matches nothing. No prefix: no registry at all.
public struct AllowedURLs: Sendable, Equatable {
    public let prefixes: [String]

    public init(_ prefixes: [String]) { self.prefixes = prefixes }

    /// Why `url` may not be used, or nil when it may.
    public func refusal(_ url: String) -> String? {
        guard let target = Parts(url) else { return "\(url) is not an http(s) URL without user info" }
        if prefixes.isEmpty { return "no registry URL is allowed (the operator sets --allowed-registry-url)" }
        for prefix in prefixes {
            guard let allowed = Parts(prefix) else { continue }
            if allowed.origin == target.origin, Self.isUnder(target.path, allowed.path) { return nil }
        }
        return "\(url) is not under an allowed registry URL (\(prefixes.joined(separator: ", ")); the operator sets --allowed-registry-url)"
    }

    static func isUnder(_ path: String, _ prefix: String) -> Bool {
        let base = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        return path == base || path.hasPrefix(base + "/") || base.isEmpty
    }

    public struct Parts {
        var origin: String
        var path: String

        public init?(_ text: String) {
            guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = c.host?.lowercased(), !host.isEmpty, c.user == nil, c.password == nil, c.fragment == nil
            else { return nil }
            let port = c.port ?? (scheme == "https" ? 443 : 80)
            // `..` in a path would climb out of the prefix on the server's side.
            let segments = c.percentEncodedPath.split(separator: "/", omittingEmptySubsequences: false)
            if segments.contains(where: { $0 == ".." || $0 == "." || $0.lowercased().contains("%2e") || $0.lowercased().contains("%2f") }) { return nil }
            origin = "\(scheme)://\(host):\(port)"
            path = c.percentEncodedPath
        }
    }
}
