import Foundation
import ManifestLoading
import Manifests
import Rendering
import Rollout
import Schema
import Sync
public import YAML

/// A GitSource object read into the settings of one source, with the tenancy rules that make
/// creating a GitSource no more powerful than what its namespace may already do.
///
/// Outside the controller's own namespace (where only the operator creates GitSources) a
/// GitSource must name a `serviceAccountName` of its namespace, which the source then acts as;
/// it writes only in its own namespace unless it lists others (the account's RBAC still
/// decides); its URL must be a remote (no `file://` or path: the controller's disk is not a
/// tenant's to read); and it may not name values files of the pod or open the render's
/// network. Credentials and verification keys come from Secrets in its own namespace.
public struct GitSourceObject: Sendable, Equatable {
    public var source: RunConfiguration.Source
    /// The Secret (in the object's namespace) holding `token`, or `username` and `password`, or
    /// `identity` (an SSH private key) with `known_hosts`.
    public var secretName: String?
    /// The Secret holding `allowed_signers` (OpenSSH) and/or `keyring` (OpenPGP, binary).
    public var verifySecretName: String?
    public var namespace: String

    public struct Problem: Error, Sendable, CustomStringConvertible, Equatable {
        public var description: String
        /// The field at fault (`spec.url`) and what is wrong with it, when one field is.
        public var field: String?
        public var message: String?

        init(description: String, field: String? = nil, message: String? = nil) {
            self.description = description
            self.field = field
            self.message = message
        }
    }

    public static func parse(_ object: Value, controllerNamespace: String) throws -> GitSourceObject {
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? ""
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let reading = Reading(at: "GitSource \(namespace)/\(name)", namespace: namespace, controllerNamespace: controllerNamespace)
        let spec = try reading.checked(object["spec"] ?? .emptyObject)
        let fullName = SourceName.of(namespace: namespace, name: name)
        guard fullName.count <= 200 else { throw Problem(description: "\(reading.at): namespace and name together must be at most 200 characters") }
        let url = try reading.url(spec["url"]?.stringValue ?? "")
        let account = try reading.account(spec["serviceAccountName"]?.stringValue)
        var source = RunConfiguration.Source(
            name: fullName, repo: url, ref: spec["ref"]?.stringValue, path: try reading.path(spec["path"]),
            interval: spec["interval"].flatMap(Schema.seconds) ?? 60, prune: spec["prune"]?.boolValue ?? true, render: try reading.render(spec["render"]),
            targetNamespaces: try reading.targets(spec["targetNamespaces"]), allowClusterScoped: spec["allowClusterScoped"]?.boolValue,
            adopt: spec["adopt"]?.boolValue ?? false, serviceAccount: account.map { "\(namespace)/\($0)" })
        source.verifyAllowedSigners = nil
        return GitSourceObject(
            source: source, secretName: spec[path: ["secretRef", "name"]]?.stringValue,
            verifySecretName: spec[path: ["verify", "secretRef", "name"]]?.stringValue, namespace: namespace)
    }

    /// A URL that names a remote host, not this machine's disk.
    static func isRemote(_ url: String) -> Bool {
        let lower = url.lowercased()
        if ["https://", "http://", "ssh://", "git://"].contains(where: lower.hasPrefix) { return true }
        // scp-like: user@host:path
        guard !url.contains("://"), let at = url.firstIndex(of: "@"), let colon = url[at...].firstIndex(of: ":") else { return false }
        return !url[url.index(after: at)..<colon].isEmpty && !url.hasPrefix("/")
    }
}
