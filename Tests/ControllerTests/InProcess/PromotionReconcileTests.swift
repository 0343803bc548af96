import Controller
import Foundation
import Kube
import Promotion
import Rollout
import TestSupport
import Testing
import YAML

/// The promotion controller in process: each pass is called by the test, git is a real
/// repository, and the assertions are on the commits it made, the registry's aliases and tags
/// and the pipeline's status.
@Suite(.offThePool) struct PromotionReconcileTests {
    @Test func aRegisteredVersionGoesToStagingThenSoaksWaitsForApprovalAndGoesToProduction() async throws {
        let f = try await PromotionFixture()
        let t0 = f.clock.now
        f.registry.add("6")
        f.registry.add("7")
        try await f.registry.setAlias("candidate", version: "7")
        try await f.rollout("staging", phase: .succeeded, stable: "6", promotedAt: t0)
        try await f.rollout("production", phase: .succeeded, stable: "6", promotedAt: t0)

        try await f.reconcile()
        let staging = try f.file("staging")
        #expect(
            staging.contains("version: \"7\"") && staging.contains("image: \"registry.example.com/ml/churn:7\"") && staging.contains("uri: \"models:/churn/7\"")
        )
        #expect(staging.hasPrefix("# churn in staging"), "the rest of the file is untouched")
        #expect(try f.lastCommitMessage().hasPrefix("Promote churn 7 to staging (from registry)"))
        #expect(try f.file("production").contains("version: \"6\""), "one environment per pass, and production has nothing proven to take")
        #expect(f.registry.writes == ["alias candidate=7", "alias staging=6", "alias production=6"], "the aliases say what runs stable")
        var status = try await f.status()
        #expect(status.history.contains { $0.event == "Promoted" && $0.environment == "staging" && $0.version == "7" && $0.commit?.count == 40 })

        // The source controller applies it; the canary runs and is promoted in staging.
        try await f.sync("staging")
        try await f.rollout("staging", phase: .progressing, stable: "6")
        try await f.reconcile()
        #expect(try await f.environment("production")?.message.contains("staging has no promoted version") == true)
        f.clock.advance(600)
        try await f.rollout("staging", phase: .succeeded, stable: "7", promotedAt: f.clock.now)
        let promotedInStaging = f.clock.now

        f.clock.advance(1800)
        try await f.reconcile()
        var production = try #require(try await f.environment("production"))
        #expect(production.state == .waiting && production.gate == .soak && production.pending == "7", "\(production.message)")
        #expect(production.message.contains("30m of 1h, 30m left"))
        #expect(f.registry.alias("staging") == "7", "staging's alias follows its promotion")

        f.clock.advance(1800)
        try await f.reconcile()
        production = try #require(try await f.environment("production"))
        #expect(production.state == .waiting && production.gate == .approval, "\(production.message)")
        #expect(production.message.contains("sluice approve churn --to production (version 7)"))
        #expect(f.metrics.asked.contains { $0.contains("version=\"7\"") }, "the soak asked Prometheus about 7")

        let approval = try await f.approve("production", version: "7")
        #expect(approval.status == 201, "\(approval.message)")
        try await f.reconcile()
        #expect(try f.file("production").contains("version: \"7\""))
        let message = try f.lastCommitMessage()
        #expect(message.hasPrefix("Promote churn 7 to production (from staging)"))
        #expect(message.contains("canary promoted in staging at \(promotedInStaging.formatted(Date.ISO8601FormatStyle()))"))
        #expect(message.contains("soaked 1h in staging: error-rate"))
        #expect(message.contains("approved by alice@example.com"))
        #expect(PromotionMessage.trailers(of: message)["Sluice-Approved-By"] == "alice@example.com")
        status = try await f.status()
        #expect(status.history.filter { $0.event == "Promoted" }.map(\.environment) == ["staging", "production"])

        try await f.sync("production")
        try await f.rollout("production", phase: .succeeded, stable: "7", promotedAt: f.clock.now)
        try await f.reconcile()
        #expect(f.registry.alias("production") == "7", "the registry says what runs in production")
        #expect(try await f.environment("production")?.state == .upToDate)
    }

    @Test func aRollbackInProductionMovesTheAliasBackAndTagsTheFailedVersion() async throws {
        let f = try await PromotionFixture()
        for v in ["6", "7"] { f.registry.add(v) }
        try await f.registry.setAlias("candidate", version: "7")
        try await f.registry.setAlias("production", version: "7")
        try await f.rollout("staging", phase: .succeeded, stable: "7", promotedAt: f.clock.now)
        try f.git.write("envs/staging/churn.yaml", PromotionFixture.modelDeployment("staging", version: "7"))
        try f.git.write("envs/production/churn.yaml", PromotionFixture.modelDeployment("production", version: "7"))
        _ = try f.git.commit("7 everywhere")
        try await f.sync("staging")
        try await f.sync("production")
        let breach = FailedVersion(version: "7", reason: "error-rate breached at 25%", slo: "error-rate", value: 0.08, threshold: 0.05, time: f.clock.now)
        try await f.rollout("production", phase: .rolledBack, stable: "6", failed: [breach])
        f.clock.advance(7200)

        try await f.reconcile()
        #expect(f.registry.alias("production") == "6", "production runs 6 again, and the registry says so")
        #expect(f.registry.tags("7")["sluice.failed.production"] == "error-rate = 0.08 (bound 0.05): error-rate breached at 25%")
        let production = try #require(try await f.environment("production"))
        #expect(production.state == .upToDate, "git still names 7 there: the rollout controller holds it off traffic")

        let writes = f.registry.writes.count
        try await f.reconcile()
        #expect(f.registry.writes.count == writes, "done once")
    }

    @Test func aLatestImageIsBlockedWithAClearStatusAndNoCommit() async throws {
        let latest = PromotionFixture.pipeline().replacingOccurrences(of: "churn:{{version}}", with: "churn:latest")
        let f = try await PromotionFixture(pipeline: latest)
        for v in ["6", "7"] { f.registry.add(v) }
        try await f.registry.setAlias("candidate", version: "7")
        try await f.rollout("staging", phase: .succeeded, stable: "6", promotedAt: f.clock.now)
        let head = try f.git.head()

        try await f.reconcile()
        let staging = try #require(try await f.environment("staging"))
        #expect(staging.state == .blocked && staging.gate == .policy && staging.pending == "7")
        #expect(staging.message.contains("image registry.example.com/ml/churn:latest is :latest, which moves"), "\(staging.message)")
        #expect(try await f.status().waiting == "staging: Policy")
        #expect(try f.git.git(["ls-remote", f.git.bare, "refs/heads/main"]).hasPrefix(head), "nothing was committed")
    }

    @Test func theRegistryDownHoldsEverything() async throws {
        let f = try await PromotionFixture(pipeline: PromotionFixture.pipeline(soak: "0s", approval: "none"))
        for v in ["6", "7"] { f.registry.add(v) }
        try await f.registry.setAlias("candidate", version: "7")
        try await f.rollout("staging", phase: .succeeded, stable: "6", promotedAt: f.clock.now)
        f.registry.set(down: true)
        let head = try f.git.head()
        let writes = f.registry.writes.count

        try await f.reconcile()
        let status = try await f.status()
        #expect(status.registry?.reachable == false && status.registry?.message.contains("connection refused") == true)
        let staging = try #require(status.environments.first { $0.name == "staging" })
        #expect(staging.state == .waiting && staging.gate == .registry && staging.message.contains("nothing is committed on a guess"))
        #expect(try f.git.git(["ls-remote", f.git.bare, "refs/heads/main"]).hasPrefix(head))
        #expect(f.registry.writes.count == writes, "no alias moved on a guess")

        f.registry.set(down: false)
        try await f.reconcile()
        #expect(try f.file("staging").contains("version: \"7\""), "back up: the held promotion goes through")
    }

    @Test func anUnreadableStatusUpstreamStopsThePassBeforeAnyWrite() async throws {
        let f = try await PromotionFixture()
        f.registry.add("7")
        try await f.registry.setAlias("candidate", version: "7")
        let body: Value = [
            "apiVersion": "sluice.dev/v1alpha1", "kind": "ModelDeployment", "metadata": ["name": "churn", "namespace": "ml-staging"],
            "status": ["phase": "Succeeded", "stable": "not a version spec"],
        ]
        _ = try await f.cluster.client.apply(body, fieldManager: RolloutController.fieldManager, subresource: "status")
        f.cluster.api.clearCalls()
        await #expect(throws: StoredStateError.self) { try await f.reconcile() }
        #expect(f.cluster.api.writes.isEmpty, "\(f.cluster.api.writes)")
        #expect(f.registry.writes == ["alias candidate=7"], "only the test's own")
    }

    @Test func aReviewBranchGetsTheCommitAndThePromotionWaitsForTheMerge() async throws {
        let f = try await PromotionFixture(pipeline: PromotionFixture.pipeline(extra: "  reviewBranch: \"sluice/promote-{{environment}}-{{version}}\""))
        for v in ["6", "7"] { f.registry.add(v) }
        try await f.registry.setAlias("candidate", version: "7")
        try await f.rollout("staging", phase: .succeeded, stable: "6", promotedAt: f.clock.now)

        try await f.reconcile()
        #expect(try f.file("staging").contains("version: \"6\""), "main is not changed")
        let branch = try f.git.git(["ls-remote", f.git.bare, "refs/heads/sluice/promote-staging-7"])
        #expect(!branch.isEmpty, "the commit is on the review branch")
        try await f.reconcile()
        let staging = try #require(try await f.environment("staging"))
        #expect(staging.state == .waiting && staging.gate == .review && staging.message.contains("sluice/promote-staging-7"), "\(staging.message)")
        #expect(try await f.status().history.filter { $0.event == "ReviewRequested" }.count == 1, "pushed once, not every pass")

        // Someone merges the pull request; the source controller applies it.
        _ = try f.git.git(["fetch", "-q", "origin", "sluice/promote-staging-7"])
        _ = try f.git.git(["merge", "-q", "--ff-only", "FETCH_HEAD"])
        _ = try f.git.git(["push", "-q", "origin", "main"])
        try await f.sync("staging")
        try await f.reconcile()
        #expect(try await f.status().reviews.isEmpty, "merged: no longer waiting for review")
        #expect(try await f.environment("staging")?.state == .upToDate)
    }

    @Test func aPassBeforeTheSyncDoesNotCommitAgainNorCallItAFailure() async throws {
        let f = try await PromotionFixture(pipeline: PromotionFixture.pipeline(soak: "0s", approval: "none"))
        for v in ["6", "7"] { f.registry.add(v) }
        try await f.registry.setAlias("candidate", version: "7")
        try await f.rollout("staging", phase: .succeeded, stable: "6", promotedAt: f.clock.now)
        try await f.reconcile()
        let head = try f.git.git(["ls-remote", f.git.bare, "refs/heads/main"])

        // The source has not applied the commit yet: the cluster still names 6.
        try await f.reconcile()
        #expect(try f.git.git(["ls-remote", f.git.bare, "refs/heads/main"]) == head, "no second commit")
        let status = try await f.status()
        #expect(!status.history.contains { $0.event == "PromotionFailed" }, "\(status.history)")
        #expect(status.environments.first?.message.contains("git names 7 already") == true, "\(status.environments)")
    }
}
