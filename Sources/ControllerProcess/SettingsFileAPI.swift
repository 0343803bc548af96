import Schema
import Values

/// The settings file's shape (`sluice run --config`): every top-level key a setting (as its flag
/// in camelCase), and the `sources` list. Checked before a value is read, so a misspelt key or a
/// value of the wrong type stops the process naming its field (`prune: "no"` read as absent
/// would have pruned; `targetNamespace` ignored would have left a source unrestricted).
enum SettingsFileAPI {
    static let file = Schema(
        .object(
            RunConfiguration.keys.map { Field(RunConfiguration.camel($0), Schema(.any)) } + [Field("sources", Schema(.list(source, minItems: 0)))]))

    static let source = Schema(
        .object([
            Field("name", text("The source's name (default: from the repository and path).")),
            Field("repo", text("The git repository."), required: true),
            Field("ref", text("Branch, tag or commit.")),
            Field("path", Schema(.string(minLength: 0, values: nil), "Directory within the repository.")),
            Field("interval", Schema(.duration(minimum: 1, keywords: []), "Git poll interval.")),
            Field("prune", Schema(.boolean, "Delete objects that left git.")),
            Field("gitTokenFile", text("")), Field("gitTokenEnv", text("")), Field("gitUsername", text("")), Field("gitPasswordFile", text("")),
            Field("sshKey", text("")), Field("sshKnownHosts", text("")), Field("gitCaFile", text("")),
            // A mode's name or a mapping: `RunConfiguration.render` checks the mapping with `render`.
            Field("render", Schema(.any)),
            Field("verify", Schema(.object([Field("sshAllowedSigners", text("")), Field("gpgKeyring", text(""))]))),
            Field("targetNamespaces", Schema(.list(text(""), minItems: 0))),
            Field("allowClusterScoped", Schema(.boolean)),
            Field("adopt", Schema(.boolean)),
            Field("serviceAccount", text("")),
        ]))

    /// A source's `render` when it is a mapping.
    static let render = Schema(
        .object([
            Field("mode", Schema(.string(minLength: 1, values: ["auto", "plain", "kustomize", "helm"]))),
            Field(
                "helm",
                Schema(
                    .object([
                        Field("releaseName", text("")), Field("namespace", text("")), Field("valuesFiles", Schema(.list(text(""), minItems: 0))),
                        Field("set", Schema(.list(text(""), minItems: 0))), Field("includeCRDs", Schema(.boolean)), Field("kubeVersion", text("")),
                        Field("apiVersions", Schema(.list(text(""), minItems: 0))),
                    ]))),
            Field("kustomize", Schema(.object([Field("enableHelm", Schema(.boolean)), Field("loadRestrictor", text(""))]))),
            Field("timeout", Schema(.duration(minimum: 0.001, keywords: []))),
            Field("allowedHosts", Schema(.list(text(""), minItems: 0))),
        ]))

    static func text(_ description: String) -> Schema { Schema(.string(minLength: 1, values: nil), description) }
}
