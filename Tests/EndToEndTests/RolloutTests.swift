import Foundation
import Kube
import Manifests
import Rollout
import TestSupport
import Testing
import YAML

@Suite(.tags(.endToEnd), .serialized) struct CanaryRolloutTests {
    @Test func aGoodVersionWalksEveryStepAndIsPromoted() async throws {
        let h = try await RolloutHarness()
        try h.commitModel(version: "v1", image: "reg/churn:1.0")
        try h.startController()
        try await h.waitFor("v1 stable") {
            let s = await h.status()
            return s.phase == .succeeded && s.stableVersion == "v1"
        }
        #expect(await h.replicas("v1") == 4)

        try h.commitModel(version: "v2", image: "reg/churn:2.0")
        var weights: [Int] = []
        try await h.waitFor("v2 promoted", timeout: 90) {
            let s = await h.status()
            if s.canaryVersion == "v2", weights.last != s.stepWeight { weights.append(s.stepWeight) }
            return s.phase == .succeeded && s.stableVersion == "v2"
        }
        #expect(weights == [5, 25, 50, 100], "\(weights)")
        #expect(await h.deployment("v1") == nil, "the old version's Deployment is removed")
        #expect(await h.replicas("v2") == 4)
        let s = await h.status()
        #expect(s.history.map(\.event).suffix(2) == ["CanaryStarted", "Promoted"])
        #expect(s.sourceRevision?.count == 40)
        // The story is told in Events.
        let events = try await h.sync.client.listAll(apiVersion: "v1", kind: "Event", namespace: "ml").items
        let reasons = Set(events.compactMap { $0["reason"]?.stringValue })
        #expect(reasons.isSuperset(of: ["CanaryStarted", "StepAdvanced", "Promoted"]), "\(reasons)")
        await h.stop()
    }
}

@Suite(.tags(.endToEnd), .serialized) struct CanaryFailureTests {
    /// v1 stable, then `v2` committed; returns once the canary takes traffic.
    func stableThenCanary(_ h: RolloutHarness, image: String, extra: String = "", errorLimit: Int = 2, interval: String = "2s") async throws {
        try h.commitModel(version: "v1", image: "reg/churn:1.0", extra: extra, errorLimit: errorLimit, interval: interval)
        try h.startController()
        try await h.waitFor("v1 stable") {
            let s = await h.status()
            return s.phase == .succeeded && s.stableVersion == "v1"
        }
        try h.commitModel(version: "v2", image: image, extra: extra, errorLimit: errorLimit, interval: interval)
        try await h.waitFor("canary v2 with traffic") {
            let s = await h.status()
            return s.canaryVersion == "v2" && s.canaryWeight > 0
        }
    }

    @Test func aBadVersionIsRolledBackAtTheFirstStepItBreaches() async throws {
        let h = try await RolloutHarness()
        try await stableThenCanary(h, image: "reg/churn:2.0-bad")
        // When does the breach become visible in Prometheus, and when is traffic back on stable?
        var breachVisible: Date?
        var trafficOnStable: Date?
        try await h.waitFor("rollback", timeout: 60) {
            if breachVisible == nil, let rate = await h.errorRate("v2"), rate > 0.05 { breachVisible = Date() }
            let s = await h.status()
            if s.phase == .rolledBack, await h.replicas("v1") == 4 {
                trafficOnStable = Date()
                return true
            }
            return false
        }
        let s = await h.status()
        let failed = try #require(s.failedVersions.first)
        #expect(failed.version == "v2" && failed.slo == "error-rate")
        #expect((failed.value ?? 0) > 0.05 && failed.threshold == 0.05)
        #expect(s.history.contains { $0.event == "RolledBack" })
        #expect(await h.replicas("v2") == 0, "the canary is scaled to zero after traffic moved")
        #expect(s.history.filter { $0.event == "CanaryStarted" }.count == 1)
        if let visible = breachVisible, let back = trafficOnStable {
            let latency = back.timeIntervalSince(visible)
            #expect(latency <= 2 + 1, "traffic back on stable \(latency) s after the breach was visible (interval 2 s)")
            print("breach→stable latency: \(latency) s")
        } else {
            Issue.record("breach visible at \(String(describing: breachVisible)), stable at \(String(describing: trafficOnStable))")
        }
        // Not retried while git names v2.
        try await Task.sleep(for: .seconds(5))
        #expect(await h.status().phase == .rolledBack)
        #expect(await h.replicas("v2") == 0)
        let log = h.controller?.log ?? ""
        #expect(log.contains("rolled back") && log.contains("error-rate"))
        // Each line about the rollout names the object and the version.
        let rollbackLines = log.split(separator: "\n").filter { $0.contains("rolled back") }
        #expect(!rollbackLines.isEmpty && rollbackLines.allSatisfy { $0.contains("modeldeployment=ml/churn") && $0.contains("version=v2") }, "\(rollbackLines)")

        // /metrics tells the same story.
        let metrics = try await h.metrics()
        func sample(_ name: String, _ labels: [String]) -> Double? {
            metrics.split(separator: "\n").first { line in line.hasPrefix(name + "{") && labels.allSatisfy { line.contains($0) } }
                .flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        }
        #expect(sample("sluice_rollbacks_total", [#"name="churn""#, #"namespace="ml""#]) == 1, "\(metrics)")
        #expect(sample("sluice_canary_phase", [#"name="churn""#, #"phase="RolledBack""#]) == 1)
        #expect(sample("sluice_canary_weight", [#"name="churn""#]) == 0)
        #expect((sample("sluice_analysis_results_total", [#"slo="error-rate""#, #"outcome="Fail""#]) ?? 0) >= 1)
        #expect((sample("sluice_reconcile_total", [#"controller="rollout""#, #"result="success""#]) ?? 0) > 0)
        #expect((sample("sluice_git_fetches_total", [#"result="success""#]) ?? 0) > 0)
        #expect(sample("sluice_sync_status", [#"status="Synced""#]) == 1)
        #expect((sample("sluice_api_requests_total", [#"verb="patch""#]) ?? 0) + (sample("sluice_api_requests_total", [#"verb="apply""#]) ?? 0) > 0)
        #expect(metrics.contains("sluice_workqueue_depth"))
        #expect(metrics.contains("# TYPE sluice_reconcile_duration_seconds histogram"))

        // `sluice retry` lets it go again (and it fails again: it is still bad).
        let retry = try await h.sync.sluice("retry", ["churn", "-n", "ml"], repo: false)
        #expect(retry.status == 0, "\(retry.stderr)")
        try await h.waitFor("retried") { await h.status().history.filter { $0.event == "CanaryStarted" }.count == 2 }
        await h.stop()
    }

    @Test func noDataHoldsTheStepWithoutRollingBack() async throws {
        let h = try await RolloutHarness()
        let silent = """
              template:
                annotations: {sim.sluice.dev/note: silent}
            """
        _ = silent
        try h.commitModel(version: "v1", image: "reg/churn:1.0")
        try h.startController()
        try await h.waitFor("v1 stable") { await h.status().stableVersion == "v1" }
        // An SLO on a metric nobody exports: always no data.
        var md = h.modelDeployment(version: "v2", image: "reg/churn:2.0")
        md = md.replacingOccurrences(of: "model_requests_total", with: "model_requests_that_do_not_exist_total")
        try h.sync.write("models/churn.yaml", md)
        try h.sync.commit("v2 with an SLO that has no data")
        try await h.waitFor("canary started") { await h.status().canaryVersion == "v2" }
        try await Task.sleep(for: .seconds(10))
        let s = await h.status()
        #expect(s.phase == .progressing && s.stepWeight == 5, "held at the first step: \(s.message)")
        #expect(s.failedVersions.isEmpty && s.failedChecks == 0)
        #expect(s.lastAnalysis?.checks.first?.outcome == .noData)
        #expect(s.message.contains("no data"))
        await h.stop()
    }

    @Test func prometheusDownHoldsThenRollsBackAfterTheErrorLimit() async throws {
        let h = try await RolloutHarness()
        try await stableThenCanary(h, image: "reg/churn:2.0", errorLimit: 3)
        h.prometheus.stop()
        let stopped = Date()
        try await h.waitFor("rollback after errors", timeout: 60) { await h.status().phase == .rolledBack }
        let s = await h.status()
        #expect(s.failedVersions.first?.reason.contains("4 times in a row") == true, "\(s.failedVersions)")
        // Four analyses two seconds apart: not before ~6 s.
        #expect(Date().timeIntervalSince(stopped) >= 5)
        let v1 = await h.replicas("v1")
        let v2 = await h.replicas("v2")
        #expect(v1 == 4 && v2 == 0)
        await h.stop()
    }

    @Test func aControllerKilledAtAnyMomentConvergesAfterRestart() async throws {
        let h = try await RolloutHarness()
        try await stableThenCanary(h, image: "reg/churn:2.0")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...2500, using: &rng)))
            h.controller?.signal(SIGKILL)
            _ = h.controller?.stop()
            try h.startController()
        }
        try await h.waitFor("v2 promoted after restarts", timeout: 90) {
            let s = await h.status()
            return s.phase == .succeeded && s.stableVersion == "v2"
        }
        #expect(await h.deployment("v1") == nil)
        #expect(await h.replicas("v2") == 4)
        let s = await h.status()
        #expect(s.history.filter { $0.event == "CanaryStarted" }.count == 1, "restarts resume the canary, they do not restart it")
        await h.stop()
    }

    @Test func aRollbackCommitsARevertToGit() async throws {
        let h = try await RolloutHarness()
        try await stableThenCanary(h, image: "reg/churn:2.0-bad", extra: "  rollback: {revertCommit: true}")
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
