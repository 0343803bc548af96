import ManifestLoading
import Rendering
import Schema
import Values

extension GitSourceObject {
    /// One GitSource's spec read under the tenancy rules: what `GitSourceAPI` cannot say.
    struct Reading {
        let at: String
        let namespace: String
        let controllerNamespace: String
        /// Outside the controller's namespace: a tenant, held to its namespace's rights.
        var tenant: Bool { namespace != controllerNamespace }

        func problem(_ field: String, _ why: String) -> Problem {
            Problem(description: "\(at): spec.\(field): \(why)", field: "spec.\(field)", message: why)
        }

        /// The spec checked against `GitSourceAPI` and defaulted from it.
        func checked(_ spec: Value) throws -> Value {
            guard spec.objectValue != nil else { throw Problem(description: "\(at): spec must be a mapping") }
            let secretRefs = [["secretRef"], ["verify", "secretRef"]]
            // Said before the schema's "unknown field", which would not say why.
            for ref in secretRefs where spec[path: ref + ["namespace"]] != nil {
                throw problem(FieldPath.text(ref + ["namespace"]), "a GitSource reads Secrets of its own namespace only")
            }
            if let first = GitSourceAPI.spec.check(spec, at: []).first { throw problem(first.field, first.message) }
            for ref in secretRefs {
                if let n = spec[path: ref + ["name"]]?.stringValue, !Self.isName(n) {
                    throw problem(FieldPath.text(ref + ["name"]), "\(n.debugDescription) is not a Secret name")
                }
            }
            return GitSourceAPI.spec.defaulted(spec) ?? spec
        }

        func url(_ url: String) throws -> String {
            if tenant && !GitSourceObject.isRemote(url) {
                throw problem(
                    "url",
                    "\(url.debugDescription) is not a remote (https://, ssh://, git:// or user@host:path): a GitSource outside \(controllerNamespace) cannot read the controller's disk"
                )
            }
            return url
        }

        func path(_ value: Value?) throws -> String {
            let path = value?.stringValue ?? ""
            if path.split(separator: "/").contains("..") || path.hasPrefix("/") { throw problem("path", "must be a path inside the repository") }
            return path
        }

        func account(_ account: String?) throws -> String? {
            if let account, !Self.isName(account) {
                throw problem("serviceAccountName", "\(account.debugDescription) is not a service account name")
            }
            if tenant && account == nil {
                throw problem(
                    "serviceAccountName",
                    "required outside \(controllerNamespace): the source acts as this account of \(namespace), so its RBAC decides what the source may change")
            }
            return account
        }

        func targets(_ value: Value?) throws -> [String] {
            let list = value?.arrayValue?.compactMap(\.stringValue) ?? []
            guard list.allSatisfy(RunConfiguration.isDNSLabel) else { throw problem("targetNamespaces", "must be a list of namespace names") }
            return tenant && list.isEmpty ? [namespace] : list
        }

        func render(_ value: Value?) throws -> RenderOptions {
            let render: RenderOptions
            do {
                render = try RunConfiguration.render(value, at: "\(at): spec.render")
            } catch let p as RunConfiguration.Problem {
                throw Problem(description: p.description)
            }
            guard tenant else { return render }
            if let file = render.helm.valuesFiles.first(where: { $0.hasPrefix("/") }) {
                throw problem(
                    "render.helm.valuesFiles",
                    "\(file.debugDescription) is a file of the controller's pod: a GitSource names values files of its repository only")
            }
            if !render.allowedHosts.isEmpty {
                throw problem("render.allowedHosts", "opening a render's network is the operator's setting (a GitSource in \(controllerNamespace))")
            }
            return render
        }

        static func isName(_ s: String) -> Bool { RunConfiguration.isDNSLabel(s) || ManifestLoader.isDNSSubdomain(s) }
    }
}
