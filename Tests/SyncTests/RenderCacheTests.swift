import DesiredState
import Foundation
import Git
import Rendering
import Sync
import TestSupport
import Testing

/// A rendered source renders once per commit: a poll that finds the same commit (and drift
/// healing, which re-reads the "files" of drifted objects) takes the render from the cache.
@Suite(.offThePool) struct RenderCacheTests {
    @Test func aCommitIsRenderedOnce() async throws {
        let tools = "\(SluiceBinary.repositoryRoot)/.build/tools"
        let git = try GitFixture()
        try git.write("app/kustomization.yaml", "resources: [cm.yaml]\nnamePrefix: prod-\n")
        try git.write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: batch}\n")
        try git.commit("one")
        let cache = TemporaryDirectory(prefix: "sluice-render-cache")
        let source = GitSource(
            spec: GitSourceSpec(url: git.bare, path: "app"), cacheDirectory: cache.path, render: RenderOptions(mode: .auto),
            tools: Tools(helm: nil, kustomize: ["\(tools)/kubectl", "kustomize"]))
        let first = try await source.snapshot()
        #expect(first.manifests.errors.isEmpty, "\(first.manifests.errors)")
        #expect(first.manifests.manifests.map(\.name) == ["prod-settings"])
        let again = try await source.snapshot()
        _ = try await source.load(again.commit.id, files: ["app (rendered by kustomize)"])
        #expect(again.commit.id == first.commit.id)
        #expect(await source.renderCount == 1)

        try git.write("app/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: online}\n")
        try git.commit("two")
        let next = try await source.snapshot()
        #expect(next.manifests.manifests.first?.object[path: ["data", "mode"]] == "online")
        #expect(await source.renderCount == 2)
    }
}
