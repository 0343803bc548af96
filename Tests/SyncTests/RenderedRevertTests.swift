import DesiredState
import Foundation
import Git
import Rendering
import Rollout
import Sync
import TestSupport
import Testing

/// `rollback.revertCommit` for a ModelDeployment rendered by Kustomize or Helm: the one file of
/// the source that sets the failed version is edited, the edit checked by rendering it; anything
/// ambiguous is refused and git is left alone.
@Suite(.offThePool) struct RenderedRevertTests {
    let cache = TemporaryDirectory(prefix: "sluice-revert")
    static let tools = Tools(
        helm: ["\(SluiceBinary.repositoryRoot)/.build/tools/helm"], kustomize: ["\(SluiceBinary.repositoryRoot)/.build/tools/kubectl", "kustomize"])
    static let failed = ModelVersionFields(version: "v2", image: "reg/churn:2", uri: "s3://m/v2")
    static let stable = ModelVersionFields(version: "v1", image: "reg/churn:1", uri: "s3://m/v1")

    static let model = """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelDeployment
        metadata: {name: churn}
        spec:
          model: {version: v1, image: "reg/churn:1", uri: "s3://m/v1"}
        """

    func overlay(_ patch: String, extra: [(String, String)] = []) throws -> (GitFixture, GitSource) {
        let git = try GitFixture()
        try git.write("base/kustomization.yaml", "resources: [churn.yaml]\n")
        try git.write("base/churn.yaml", Self.model)
        try git.write("overlays/prod/kustomization.yaml", "namespace: prod\nresources: [../../base]\n" + patch)
        for (p, t) in extra { try git.write(p, t) }
        try git.commit("v2 to prod")
        return (git, GitSource(spec: GitSourceSpec(url: git.bare, path: "overlays/prod"), cacheDirectory: cache.path, tools: Self.tools))
    }

    static let patch = """
        patches:
        - target: {kind: ModelDeployment, name: churn}
          patch: |-
            - {op: replace, path: /spec/model/version, value: v2}
            - {op: replace, path: /spec/model/image, value: "reg/churn:2"}
            - {op: replace, path: /spec/model/uri, value: "s3://m/v2"}

        """

    func revert(_ source: GitSource) async -> String {
        do {
            _ = try await source.revertRendered(kind: "ModelDeployment", name: "churn", failed: Self.failed, stable: Self.stable, message: "Revert churn")
            return "reverted"
        } catch {
            return "\(error)"
        }
    }

    @Test func theOverlayThatSetsTheVersionIsEdited() async throws {
        let (git, source) = try overlay(Self.patch)
        #expect(await revert(source) == "reverted")
        _ = try git.git(["pull", "-q", "origin", "main"])
        let edited = try String(contentsOfFile: "\(git.work)/overlays/prod/kustomization.yaml", encoding: .utf8)
        #expect(edited.contains("value: v1") && edited.contains("reg/churn:1") && edited.contains("s3://m/v1") && !edited.contains("v2"), "\(edited)")
        #expect(try String(contentsOfFile: "\(git.work)/base/churn.yaml", encoding: .utf8) == Self.model, "the shared base is not touched")
        let rendered = try await source.snapshot()
        #expect(rendered.manifests.manifests.first?.object[path: ["spec", "model", "version"]] == "v1")
        #expect(try git.git(["log", "-1", "--format=%s"]) == "Revert churn")
    }

    @Test func aVersionOnlyTheBaseSetsIsRefused() async throws {
        let (git, source) = try overlay("")
        try git.write("base/churn.yaml", Self.model.replacingOccurrences(of: "version: v1", with: "version: v2"))
        try git.commit("v2 in the base")
        let before = try git.head()
        #expect(await revert(source).contains("no file of overlays/prod"))
        _ = try git.git(["pull", "-q", "origin", "main"])
        #expect(try git.head() == before, "git is left as it is")
    }

    @Test func aVersionSetInTwoFilesIsRefused() async throws {
        let (git, source) = try overlay(
            Self.patch + "configMapGenerator:\n- {name: notes, files: [notes.yaml]}\n", extra: [("overlays/prod/notes.yaml", "rolled: v2\n")])
        let answer = await revert(source)
        _ = git
        #expect(answer.contains("2 files"), "\(answer)")
    }

    @Test func anEditThatWouldChangeAnotherObjectIsRefused() async throws {
        let (git, source) = try overlay(Self.patch + "configMapGenerator:\n- {name: notes, literals: [RELEASE=v2]}\n")
        let answer = await revert(source)
        _ = git
        #expect(answer.contains("would change other objects too"), "\(answer)")
    }

    @Test func theValuesFileThatSetsTheVersionIsEdited() async throws {
        let git = try GitFixture()
        try git.write("chart/Chart.yaml", "apiVersion: v2\nname: churn\nversion: 0.1.0\n")
        try git.write("chart/values.yaml", "version: v1\nimage: \"reg/churn:1\"\n")
        try git.write("chart/values-prod.yaml", "version: v2\nimage: \"reg/churn:2\"\n")
        try git.write(
            "chart/templates/md.yaml",
            "apiVersion: sluice.dev/v1alpha1\nkind: ModelDeployment\nmetadata: {name: churn}\nspec:\n  model: {version: {{ .Values.version }}, image: {{ .Values.image | quote }}}\n"
        )
        try git.commit("v2 to prod")
        var render = RenderOptions(mode: .helm)
        render.helm.valuesFiles = ["values-prod.yaml"]
        let source = GitSource(spec: GitSourceSpec(url: git.bare, path: "chart"), cacheDirectory: cache.path, render: render, tools: Self.tools)
        #expect(await revert(source) == "reverted")
        _ = try git.git(["pull", "-q", "origin", "main"])
        #expect(try String(contentsOfFile: "\(git.work)/chart/values-prod.yaml", encoding: .utf8) == "version: v1\nimage: \"reg/churn:1\"\n")
        #expect(try String(contentsOfFile: "\(git.work)/chart/values.yaml", encoding: .utf8) == "version: v1\nimage: \"reg/churn:1\"\n")
    }
}
