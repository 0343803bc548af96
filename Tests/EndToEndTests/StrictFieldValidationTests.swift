import Foundation
import Kube
import Manifests
import TestSupport
import Testing

/// The API server drops a field a custom resource's schema does not declare, and only warns,
/// unless the client asks for strict field validation (kubectl has, by default, since 1.27).
/// Sluice asks for it on every apply: a typo in a CR in git is an error naming the object and
/// the field, and nothing of that commit is applied, instead of an object applied without it.
@Suite(.offThePool, .tags(.endToEnd)) struct StrictFieldValidationTests {
    typealias M = ManifestText

    static let crd = M.crd(kind: "Widget", plural: "widgets", properties: "{size: {type: integer}}")

    static func widget(_ spec: String) -> String {
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: apps}\nspec: \(spec)\n"
    }

    @Test func aFieldTheSchemaDoesNotDeclareIsRefusedNotDropped() async throws {
        let h = try await SyncHarness()
        try h.write("crd.yaml", Self.crd)
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.configMap("a", ["v": "1"]))
        try h.write("w.yaml", Self.widget("{size: 3}"))
        try h.commit("a widget")
        let first = try await h.sluice("sync", ["--once"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

        try h.write("w.yaml", Self.widget("{size: 3, colour: red}"))
        try h.write("a.yaml", M.configMap("a", ["v": "2"]))
        try h.commit("a field the schema does not know, and a ConfigMap change")
        let sync = try await h.sluice("sync", ["--once"])
        let output = sync.stdout + sync.stderr
        #expect(sync.status == 1, "\(output)")
        #expect(output.contains("unknown field \"spec.colour\"") && output.contains("Widget"), "\(output)")
        #expect(try await h.get("ConfigMap", "a")?[path: ["data", "v"]] == "1", "nothing of the commit is applied")
        let live = try await h.client.getIfExists(ObjectReference(apiVersion: "example.com/v1", kind: "Widget", namespace: "apps", name: "w"))
        #expect(live?[path: ["spec", "size"]] == 3 && live?[path: ["spec", "colour"]] == nil)
        await h.stop()
    }

    /// A built-in kind too: a misspelt field deep in a Deployment is refused, named by its path,
    /// by Sluice's apply and by kubectl's (strict by default), as a real API server refuses it.
    @Test func aFieldABuiltInKindDoesNotHaveIsRefusedByItsPath() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("web.yaml", M.deployment("web"))
        try h.commit("web")
        let first = try await h.sluice("sync", ["--once"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

        let typo = M.deployment("web", replicas: 3).replacingOccurrences(of: "        image:", with: "        imagePullPolicyy: Always\n        image:")
        try h.write("web.yaml", typo)
        try h.commit("a misspelt container field")
        let sync = try await h.sluice("sync", ["--once"])
        let output = sync.stdout + sync.stderr
        #expect(sync.status == 1, "\(output)")
        #expect(output.contains("unknown field \"spec.template.spec.containers[0].imagePullPolicyy\""), "\(output)")
        #expect(try await h.get("Deployment", "web", apiVersion: "apps/v1")?[path: ["spec", "replicas"]] == 2, "nothing of the commit is applied")

        let file = h.dir.file("typo.yaml")
        try typo.write(toFile: file, atomically: true, encoding: .utf8)
        let home = h.dir.file("kubectl-home")
        let kubectl = try await run(
            "kubectl", ["--kubeconfig", h.kubeconfig, "apply", "--server-side", "-f", file], environment: ["HOME": home, "KUBECACHEDIR": "\(home)/cache"],
            timeout: 60)
        #expect(kubectl.status != 0 && kubectl.stderr.contains("unknown field \"spec.template.spec.containers[0].imagePullPolicyy\""), "\(kubectl.stderr)")
        await h.stop()
    }
}
