import DesiredState
import Foundation
import Git
import Rendering
import TestSupport
import Testing

/// A render tool runs with the tree and nothing else of the pod: even with Kustomize's load
/// restrictor relaxed by the operator, a kustomization cannot read a file of the machine (the
/// controller's service-account token) into an object its writer can then read in the cluster.
@Suite(.offThePool) struct RenderSandboxTests {
    static let tools = Tools(
        helm: ["\(SluiceBinary.repositoryRoot)/.build/tools/helm"], kustomize: ["\(SluiceBinary.repositoryRoot)/.build/tools/kubectl", "kustomize"])

    @Test func aRelaxedLoadRestrictorReadsNothingOutsideTheTree() async throws {
        let pod = TemporaryDirectory(prefix: "sluice-pod")
        let token = try pod.write("serviceaccount/token", "eyJhbGciOi-the-controllers-token")
        let git = try GitFixture()
        try git.write(
            "app/kustomization.yaml",
            "configMapGenerator:\n- name: stolen\n  files: [\(token)]\n  options: {disableNameSuffixHash: true}\n")
        try git.commit("read the token")
        var render = RenderOptions(mode: .kustomize)
        render.kustomize.loadRestrictor = "LoadRestrictionsNone"
        let source = GitSource(
            spec: GitSourceSpec(url: git.bare, path: "app"), cacheDirectory: pod.file("cache"), render: render, tools: Self.tools,
            renderDirectory: pod.file("render"))
        let snap = try await source.snapshot()
        let leaked = snap.manifests.manifests.contains { "\($0.object)".contains("the-controllers-token") }
        #expect(!leaked, "the render read a file of the pod: \(snap.manifests.manifests.map { "\($0.object)" })")
        #expect(!snap.manifests.errors.isEmpty, "the render must fail, not apply an empty set")
        let said = snap.manifests.errors.map { "\($0)" }.joined()
        #expect(said.contains("no such file") || said.contains("needs the render sandbox"), "\(said)")
    }

    @Test func theStatusSaysHowARenderWasIsolated() async throws {
        let git = try GitFixture()
        try git.write("app/kustomization.yaml", "resources: [cm.yaml]\n")
        try git.write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")
        try git.commit("one")
        let dir = TemporaryDirectory(prefix: "sluice-sandbox")
        let source = GitSource(
            spec: GitSourceSpec(url: git.bare, path: "app"), cacheDirectory: dir.file("cache"), render: RenderOptions(mode: .kustomize), tools: Self.tools)
        let snap = try await source.snapshot()
        #expect(snap.manifests.errors.isEmpty, "\(snap.manifests.errors)")
        let isolation = try #require(snap.manifests.renderIsolation)
        // Where bubblewrap can run (scripts/setup installs it) the mounts are the tree's only.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/bwrap") {
            #expect(isolation.hasPrefix("sandboxed: own mounts"), "\(isolation)")
        } else {
            #expect(isolation.contains("bubblewrap"), "\(isolation)")
        }
    }
}
