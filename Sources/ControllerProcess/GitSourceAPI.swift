public import Schema
import Values

/// The GitSource kind's spec, written once: `GitSourceObject.parse` checks and defaults an
/// object with it, and the CRD (`manifests/crd-gitsource.yaml`) is generated from it. What a
/// schema cannot say — the tenancy rules of a GitSource outside the controller's namespace — is
/// in `GitSourceObject`.
public enum GitSourceAPI {
    public static let spec = Schema(
        .object([
            Field(
                "url", name("The repository: https://, ssh://, git:// or user@host:path (a local path only in the controller's namespace)."),
                required: true),
            Field("ref", name("Branch, tag or commit.", defaultText: "the remote's default branch")),
            Field(
                "path",
                Schema(.string(minLength: 0, values: nil), "Directory or file within the repository.", defaultText: "the whole tree")),
            Field("interval", Schema(.duration(minimum: 1, keywords: []), "How often the remote is polled (at least 1s).", default: "1m")),
            Field("prune", Schema(.boolean, "Delete objects that left git.", default: true)),
            Field(
                "serviceAccountName",
                name(
                    "A service account of this namespace the source applies, diffs and prunes as. Required outside the controller's namespace."
                )),
            Field(
                "targetNamespaces",
                Schema(
                    .list(name(""), minItems: 0),
                    "The namespaces the source may write in; outside the controller's namespace the default is this namespace only.")),
            Field("allowClusterScoped", Schema(.boolean, "Cluster-scoped kinds are refused when targetNamespaces is set, unless this is true.")),
            Field("adopt", Schema(.boolean, "Take over live objects no Sluice source marks.", default: false)),
            Field(
                "secretRef",
                secretRef("A Secret of this namespace with token, or username and password, or identity (an SSH private key) and known_hosts.")),
            Field(
                "verify",
                Schema(
                    .object([Field("secretRef", secretRef("The Secret of this namespace holding the keys."), required: true)]),
                    "Apply only commits signed by a key of this Secret: allowed_signers (OpenSSH) and/or keyring (OpenPGP).")),
            Field("render", Schema(.any, "auto, plain, kustomize or helm, or a map (mode, helm, kustomize, timeout); docs/sync.md.")),
        ]))

    static func name(_ description: String, defaultText: String? = nil) -> Schema {
        Schema(.string(minLength: 1, values: nil), description, defaultText: defaultText)
    }

    static func secretRef(_ description: String) -> Schema {
        Schema(.object([Field("name", name("The Secret's name."), required: true)]), description)
    }
}
