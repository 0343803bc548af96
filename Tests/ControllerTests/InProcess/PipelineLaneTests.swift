import Controller
import DesiredState
import Foundation
import Git
import Kube
import Manifests
import Promotion
import Sync
import TestSupport
import Testing
import YAML

/// A pipeline promotes only into objects its own source applied, through that source, on
/// branches of its own: which source and file is read from the inventories and the source's
/// commit, never from annotations a patch could change.
@Suite(.offThePool) struct PipelineLaneTests {
    static let staging = ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "ModelDeployment", namespace: "ml-staging", name: "churn")

    /// The attack: team A's pipeline naming team B's ModelDeployment (here: one the pipeline's
    /// source did not apply), even with that object's annotations pointing at team A's source.
    @Test func aPipelineCannotPromoteIntoAnotherSourcesObject() async throws {
        let f = try await PromotionFixture(pipeline: PromotionFixture.pipeline(approval: "none"))
        f.registry.add("6")
        f.registry.add("7")
        try await f.registry.setAlias("candidate", version: "7")
        // staging belongs to no source of the pipeline's: team B applied it.
        try await f.recordInventory([PromotionFixture.ref])
        try await f.cluster.client.apply(try Inventory(source: "team-b", objects: [Self.staging]).configMap(namespace: "sluice-system"), fieldManager: "sluice")
        try await f.rollout("staging", phase: .succeeded, stable: "6", promotedAt: f.clock.now)
        try await f.rollout("production", phase: .succeeded, stable: "6", promotedAt: f.clock.now)
        let before = try f.git.head()
        try await f.reconcile()
        #expect(try f.git.git(["ls-remote", f.git.bare, "refs/heads/main"]).hasPrefix(before), "nothing committed")
        #expect(try f.file("staging").contains("version: \"6\""))
        let failed = try await f.status().history.last { $0.event == "PromotionFailed" }
        #expect(failed?.message.contains("in no inventory of this controller's sources") == true, "\(String(describing: failed))")

        // In the inventory of another source of this controller: refused, naming both.
        let other = try await f.ownershipRefusal(target: Self.staging, ownedBy: "team-b")
        #expect(other.contains("comes from source team-b, not from the pipeline's source envs"), "\(other)")
    }

    @Test func aReviewBranchLivesUnderSluiceAndIsNeverForced() async throws {
        for bad in ["main", "release/2026", "sluice/", "sluice/../main", "sluice/x\ny"] {
            let yaml = PromotionFixture.pipeline(extra: "  reviewBranch: \"\(bad.replacingOccurrences(of: "\n", with: "\\n"))\"")
            guard case .failure(let errors) = PipelineSpec.parse(try YAML.documents(in: yaml)[0].root.value) else {
                Issue.record("reviewBranch \(bad) accepted")
                continue
            }
            #expect(errors.description.contains("spec.reviewBranch"), "\(errors)")
        }
        // A branch that exists and does not lead to the new commit is refused by the remote.
        let git = try GitFixture()
        try git.write("envs/prod.yaml", "version: 6\n")
        try git.commit("six")
        try git.git(["checkout", "-q", "-b", "sluice/promote-prod-7"])
        try git.write("other.txt", "a person's work\n")
        let theirs = try git.commit("someone's branch", branch: "sluice/promote-prod-7")
        let source = GitSource(spec: GitSourceSpec(url: git.bare, ref: "main"), cacheDirectory: TemporaryDirectory(prefix: "c").path)
        await #expect(throws: (any Error).self) {
            try await source.commitEdit(path: "envs/prod.yaml", message: "Promote 7", pushTo: "sluice/promote-prod-7") { _ in "version: 7\n" }
        }
        #expect(try git.git(["ls-remote", git.bare, "refs/heads/sluice/promote-prod-7"]).hasPrefix(theirs))
    }

    @Test(arguments: [
        (".", "envs/prod.yaml", "envs/prod.yaml"), ("", "envs/prod.yaml", "envs/prod.yaml"), ("./envs", "envs/prod.yaml", "envs/prod.yaml"),
        ("envs", "prod.yaml", "envs/prod.yaml"), ("envs/prod.yaml", "envs/prod.yaml", "envs/prod.yaml"), ("envs/", "./envs/prod.yaml", "envs/prod.yaml"),
    ])
    func aFilesPathIsFromTheRepositorysRoot(_ sourcePath: String, _ file: String, _ expected: String) {
        #expect(GitSource.repositoryPath(file, under: sourcePath) == expected)
    }

    /// The bug: a source synced as `--path .` could not commit (`./envs/...` is no tree entry).
    @Test func aWholeRepositorySourceCommits() async throws {
        let git = try GitFixture()
        try git.write("envs/prod.yaml", "version: 6\n")
        try git.commit("six")
        let source = GitSource(spec: GitSourceSpec(url: git.bare, path: "."), cacheDirectory: TemporaryDirectory(prefix: "c").path)
        let commit = try await source.commitEdit(path: "envs/prod.yaml", message: "seven") { _ in "version: 7\n" }
        #expect(commit != nil)
        try git.git(["pull", "-q", "origin", "main"])
        #expect(try String(contentsOfFile: "\(git.work)/envs/prod.yaml", encoding: .utf8) == "version: 7\n")
    }
}

extension PromotionFixture {
    /// What the committer says when `target` is in `source`'s inventory and the pipeline in envs'.
    func ownershipRefusal(target: ObjectReference, ownedBy source: String) async throws -> String {
        let other = GitSource(spec: GitSourceSpec(url: git.bare), cacheDirectory: cache.path)
        let envs = GitSource(spec: GitSourceSpec(url: git.bare), cacheDirectory: cache.path)
        try await recordInventory([Self.ref])
        try await cluster.client.apply(try Inventory(source: source, objects: [target]).configMap(namespace: "sluice-system"), fieldManager: "sluice")
        let committer = GitPromotionCommitter(
            ownership: SourceOwnership(client: cluster.client, inventoryNamespace: "sluice-system", sources: ["envs": envs, source: other]))
        do {
            _ = try await committer.commit(
                pipeline: Self.ref, target: target, object: .null, fields: .init(version: "7", image: "registry.example.com/ml/churn:7", uri: nil),
                message: "x",
                pushTo: nil)
            return "committed"
        } catch {
            return "\(error)"
        }
    }
}
