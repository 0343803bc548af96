import Foundation
import ManifestLoading
import Manifests
import Rendering
import Rollout
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
        let at = "GitSource \(namespace)/\(name)"
        func problem(_ field: String, _ why: String) -> Problem {
            Problem(description: "\(at): spec.\(field): \(why)", field: "spec.\(field)", message: why)
        }
        let spec = object["spec"] ?? .emptyObject
        guard spec.objectValue != nil else { throw Problem(description: "\(at): spec must be a mapping") }
        func string(_ field: String) throws -> String? {
            guard let v = spec[field], !v.isNull else { return nil }
            guard let s = v.stringValue else { throw problem(field, "must be a string") }
            return s
        }
        func bool(_ field: String) throws -> Bool? {
            guard let v = spec[field], !v.isNull else { return nil }
            guard let b = v.boolValue else { throw problem(field, "must be true or false") }
            return b
        }
        func secretName(_ value: Value?, _ field: String) throws -> String? {
            guard let value, !value.isNull else { return nil }
            guard let n = value["name"]?.stringValue, RunConfiguration.isDNSLabel(n) || ManifestLoader.isDNSSubdomain(n) else {
                throw problem(field, "must be {name: <a Secret in \(namespace)>}")
            }
            if value["namespace"] != nil { throw problem(field + ".namespace", "a GitSource reads Secrets of its own namespace only") }
            return n
        }
        let tenant = namespace != controllerNamespace
        let fullName = SourceName.of(namespace: namespace, name: name)
        guard fullName.count <= 200 else { throw Problem(description: "\(at): namespace and name together must be at most 200 characters") }

        guard let url = try string("url"), !url.isEmpty else { throw problem("url", "required") }
        if tenant && !Self.isRemote(url) {
            throw problem(
                "url",
                "\(url.debugDescription) is not a remote (https://, ssh://, git:// or user@host:path): a GitSource outside \(controllerNamespace) cannot read the controller's disk"
            )
        }
        var interval = 60.0
        if let text = try string("interval") {
            guard let d = DurationText.parse(text), d >= 1 else { throw problem("interval", "'\(text)' is not a duration of at least 1s") }
            interval = d
        }
        let path = try string("path") ?? ""
        if path.split(separator: "/").contains("..") || path.hasPrefix("/") { throw problem("path", "must be a path inside the repository") }
        let account = try string("serviceAccountName")
        if let account, !RunConfiguration.isDNSLabel(account) && !ManifestLoader.isDNSSubdomain(account) {
            throw problem("serviceAccountName", "\(account.debugDescription) is not a service account name")
        }
        if tenant && account == nil {
            throw problem(
                "serviceAccountName",
                "required outside \(controllerNamespace): the source acts as this account of \(namespace), so its RBAC decides what the source may change")
        }
        var targets: [String] = []
        if let v = spec["targetNamespaces"], !v.isNull {
            guard let list = v.arrayValue?.compactMap(\.stringValue), list.count == v.arrayValue?.count, list.allSatisfy(RunConfiguration.isDNSLabel) else {
                throw problem("targetNamespaces", "must be a list of namespace names")
            }
            targets = list
        }
        if tenant && targets.isEmpty { targets = [namespace] }
        let render: RenderOptions
        do {
            render = try RunConfiguration.render(spec["render"], at: "\(at): spec.render")
        } catch let p as RunConfiguration.Problem {
            throw Problem(description: p.description)
        }
        if tenant {
            if let file = render.helm.valuesFiles.first(where: { $0.hasPrefix("/") }) {
                throw problem(
                    "render.helm.valuesFiles",
                    "\(file.debugDescription) is a file of the controller's pod: a GitSource names values files of its repository only")
            }
            if !render.allowedHosts.isEmpty {
                throw problem("render.allowedHosts", "opening a render's network is the operator's setting (a GitSource in \(controllerNamespace))")
            }
        }
        let verify = spec["verify"]
        var source = RunConfiguration.Source(
            name: fullName, repo: url, ref: try string("ref"), path: path, interval: interval, prune: try bool("prune") ?? true, render: render,
            targetNamespaces: targets, allowClusterScoped: try bool("allowClusterScoped"), adopt: try bool("adopt") ?? false,
            serviceAccount: account.map { "\(namespace)/\($0)" })
        source.verifyAllowedSigners = nil
        return GitSourceObject(
            source: source, secretName: try secretName(spec["secretRef"], "secretRef"),
            verifySecretName: try secretName(verify?["secretRef"], "verify.secretRef"), namespace: namespace)
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
