import Foundation
import Kube
import Manifests
import Rollout
import TestSupport
import Testing
import YAML

/// Canary behaviours beyond the acceptance scenarios (see AcceptanceTests).
@Suite(.offThePool, .tags(.endToEnd), .serialized) struct CanaryFailureTests {
    @Test func noDataFromPrometheusHoldsTheStepAndARetiredModelTakesItsSeries() async throws {
        let h = try await RolloutHarness()
        try h.commitModel(version: "v1", image: "reg/churn:1.0")
        try h.startController()
        try await h.waitFor("v1 stable") { await h.status().stableVersion == "v1" }
        // An SLO on a metric nobody exports: always no data.
        var md = h.modelDeployment(version: "v2", image: "reg/churn:2.0")
        md = md.replacingOccurrences(of: "model_requests_total", with: "model_requests_that_do_not_exist_total")
        try h.sync.write("models/churn.yaml", md)
        try h.sync.commit("v2 with an SLO that has no data")
        try await h.waitFor("canary started") { await h.status().canaryVersion == "v2" }
        // Real Prometheus answers an empty vector: no data, which holds the step (the hold
        // itself, over many analyses, is RolloutReconcileTests' in-process).
        try await h.waitFor("an analysis with no data") { await h.status().lastAnalysis?.checks.first?.outcome == .noData }
        let s = await h.status()
        #expect(s.phase == .progressing && s.stepWeight == 5 && s.failedVersions.isEmpty && s.message.contains("no data"), "\(s.message)")
        #expect(try await h.metrics().split(separator: "\n").contains { $0.hasPrefix("sluice_canary_phase{") && $0.contains(#"name="churn""#) })

        // The ModelDeployment leaves git mid-canary: it is pruned, what it rendered is removed,
        // and its metric series go with it.
        try h.sync.git.remove("models/churn.yaml")
        try h.sync.commit("churn retired")
        try await h.waitFor("churn's Deployments removed") {
            let (v1, v2) = (await h.deployment("v1"), await h.deployment("v2"))
            return v1 == nil && v2 == nil
        }
        try await h.waitFor("churn's series gone from /metrics") {
            ((try? await h.metrics()) ?? #"name="churn""#).split(separator: "\n").allSatisfy { $0.hasPrefix("#") || !$0.contains(#"name="churn""#) }
        }
        await h.stop()
    }

    @Test func aRollbackCommitsARevertToGit() async throws {
        let h = try await RolloutHarness()
        try await h.stableThenCanary(image: "reg/churn:2.0-bad", extra: "  rollback: {revertCommit: true}")
        try await h.waitFor("rollback") { await h.status().phase == .rolledBack }
        try await h.waitFor("revert pushed", timeout: 30) {
            (try? h.sync.git.git(["--git-dir", h.sync.git.bare, "log", "-1", "--format=%s", "main"])) == "Revert churn to model version v1"
        }
        let file = try h.sync.git.git(["--git-dir", h.sync.git.bare, "show", "main:models/churn.yaml"])
        #expect(file.contains("version: \"v1\"") && file.contains("image: \"reg/churn:1.0\""))
        #expect(file.contains("revertCommit: true"), "the rest of the file is untouched")
        let body = try h.sync.git.git(["--git-dir", h.sync.git.bare, "log", "-1", "--format=%b", "main"])
        #expect(body.contains("rolled back canary v2") && body.contains("error-rate"))
        // The sync picks the revert up: git and cluster agree, the rollout is stable on v1.
        try await h.waitFor("stable again on v1") {
            let s = await h.status()
            return s.phase == .succeeded && s.stableVersion == "v1"
        }
        await h.stop()
    }
}
