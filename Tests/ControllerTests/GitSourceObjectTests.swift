import ControllerProcess
import Testing
import YAML

/// A GitSource object read under the tenancy rules: outside the controller's namespace it acts
/// as an account of its own namespace, writes there only by default, reads no file of the pod.
@Suite struct GitSourceObjectTests {
    static func object(namespace: String = "team-a", _ spec: String) throws -> Value {
        let yaml = "apiVersion: sluice.dev/v1alpha1\nkind: GitSource\nmetadata: {name: models, namespace: \(namespace)}\nspec:\n" + spec
        return try YAML.documents(in: yaml)[0].root.value
    }

    func parse(namespace: String = "team-a", _ spec: String) throws -> GitSourceObject {
        try GitSourceObject.parse(try Self.object(namespace: namespace, spec), controllerNamespace: "sluice-system")
    }

    func problem(namespace: String = "team-a", _ spec: String) -> String {
        do {
            _ = try parse(namespace: namespace, spec)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func aTenantsSourceActsAsItsOwnAccountInItsOwnNamespace() throws {
        let s = try parse(
            "  url: https://git.example/team-a/models.git\n  serviceAccountName: deployer\n  path: prod\n  interval: 2m\n  secretRef: {name: git}\n")
        #expect(s.source.name == "team-a.models")
        #expect(s.source.serviceAccount == "team-a/deployer")
        #expect(s.source.targetNamespaces == ["team-a"], "by default a tenant writes in its own namespace only")
        #expect(s.source.interval == 120 && s.source.path == "prod" && s.source.prune)
        #expect(s.secretName == "git")
    }

    @Test(arguments: [
        ("  url: https://git.example/a.git\n", "spec.serviceAccountName: required outside sluice-system"),
        ("  url: file:///var/lib/sluice\n  serviceAccountName: d\n", "spec.url: \"file:///var/lib/sluice\" is not a remote"),
        ("  url: /etc\n  serviceAccountName: d\n", "spec.url: \"/etc\" is not a remote"),
        (
            "  url: https://git.example/a.git\n  serviceAccountName: d\n  secretRef: {name: git, namespace: sluice-system}\n",
            "spec.secretRef.namespace: a GitSource reads Secrets of its own namespace only"
        ),
        (
            "  url: https://git.example/a.git\n  serviceAccountName: d\n  render: {mode: helm, helm: {valuesFiles: [/var/run/secrets/kubernetes.io/serviceaccount/token]}}\n",
            "spec.render.helm.valuesFiles: \"/var/run/secrets/kubernetes.io/serviceaccount/token\" is a file of the controller's pod"
        ),
        (
            "  url: https://git.example/a.git\n  serviceAccountName: d\n  render: {mode: helm, allowedHosts: [169.254.169.254]}\n",
            "spec.render.allowedHosts: opening a render's network is the operator's setting"
        ),
        ("  url: https://git.example/a.git\n  serviceAccountName: d\n  path: ../../other\n", "spec.path: must be a path inside the repository"),
        ("  url: https://git.example/a.git\n  serviceAccountName: d\n  interval: soon\n", "spec.interval: must be a duration such as 30s, 2m or 1h"),
        ("  url: https://git.example/a.git\n  serviceAccountName: \"Not/A/Name\"\n", "spec.serviceAccountName: \"Not/A/Name\" is not a service account name"),
        ("  ref: main\n", "spec.url: required"),
        // A misspelt key is not ignored: `prun: false` ignored would prune.
        ("  url: https://git.example/a.git\n  serviceAccountName: d\n  prun: false\n", "spec.prun: unknown field; did you mean prune?"),
        ("  url: https://git.example/a.git\n  serviceAccountName: d\n  prune: \"no\"\n", "spec.prune: must be true or false, not a string"),
        (
            "  url: https://git.example/a.git\n  serviceAccountName: d\n  targetNamespaces: [Kube-System]\n",
            "spec.targetNamespaces: must be a list of namespace names"
        ),
    ])
    func refusedWithTheFieldNamed(spec: String, expected: String) {
        let text = problem(spec)
        #expect(text.hasPrefix("GitSource team-a/models: "), "\(text)")
        #expect(text.contains(expected), "\(text)")
    }

    @Test func theOperatorsSourcesMayUseTheControllersRightsAndItsDisk() throws {
        let s = try parse(namespace: "sluice-system", "  url: /srv/git/platform.git\n  render: {mode: helm, allowedHosts: [charts.example]}\n")
        #expect(s.source.serviceAccount == nil && s.source.targetNamespaces.isEmpty)
        #expect(s.source.repo == "/srv/git/platform.git")
    }

    @Test func scpLikeAndSSHRemotesAreRemotes() throws {
        for url in ["git@github.com:team-a/models.git", "ssh://git@git.example/a.git", "git://127.0.0.1:9418/a.git"] {
            #expect(try parse("  url: \(url)\n  serviceAccountName: d\n").source.repo == url)
        }
    }
}
