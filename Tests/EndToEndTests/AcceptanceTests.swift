import Foundation
import HTTP
import Kube
import KubeEmulator
import Manifests
import Rollout
import TestSupport
import Testing
import YAML

/// The acceptance suite: the user's story, driven through the built binaries (`sluice run`,
/// `sluice diff`, `sluice render`, `sluice demo`) against the emulator, a real Prometheus, a git
/// daemon and simulated traffic. Every scenario ends with `Invariants.check`: nothing in git is
/// missing from the cluster, nothing Sluice does not own was deleted, and no traffic goes to a
/// version that failed. Run it alone with `scripts/test --filter AcceptanceTests`.
///
/// Serialized: each scenario runs its own Prometheus and controller, and canary timings are
/// scaled to seconds, so running them side by side on a 2-core CI machine would test the
/// scheduler more than Sluice.
@Suite(.offThePool, .tags(.endToEnd, .acceptance), .serialized) struct AcceptanceTests {
    /// v1 stable, objects Sluice does not own beside it, and a plain ConfigMap in git.
    func cluster(extra: String = "", errorLimit: Int = 2) async throws -> (RolloutHarness, Invariants) {
        let h = try await RolloutHarness()
        try h.sync.write("config/features.yaml", Self.features(["threshold": "0.7"]))
        try await h.stableV1(extra: extra, errorLimit: errorLimit)
        var invariants = Invariants()
        try await invariants.seedUnowned(h.sync)
        // The unowned Deployment's status settles (the simulated controller) before anything
        // compares versions of objects.
        try await h.waitFor("unowned objects settled") {
            let d = try? await h.sync.get("Deployment", "legacy-scorer", namespace: "ml", apiVersion: "apps/v1")
            return d?[path: ["status", "readyReplicas"]]?.intValue == 1
        }
        return (h, invariants)
    }

    /// The resourceVersion of every object the scenario's workload is made of (the
    /// ModelDeployment by generation: its status may say that the source is failing).
    static func objectVersions(_ h: RolloutHarness) async -> [String: String] {
        var out: [String: String] = [:]
        for (apiVersion, kind) in [("apps/v1", "Deployment"), ("v1", "Service"), ("v1", "ConfigMap"), ("sluice.dev/v1alpha1", "ModelDeployment")] {
            for o in (try? await h.sync.client.listAll(apiVersion: apiVersion, kind: kind, namespace: "ml").items) ?? [] {
                let name = o[path: ["metadata", "name"]]?.stringValue ?? ""
                let field = kind == "ModelDeployment" ? "generation" : "resourceVersion"
                out["\(kind)/\(name)"] = o[path: ["metadata", field]].map { "\($0)" } ?? "-"
            }
        }
        return out
    }

    /// The workload objects whose version moved since `before` (from `objectVersions`).
    static func changed(since before: [String: String], _ h: RolloutHarness) async -> [String] {
        let after = await objectVersions(h)
        return after.keys.filter { after[$0] != before[$0] }.sorted()
    }

    static func features(_ data: [String: String]) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: churn-features, namespace: ml}\ndata:\n"
            + data.sorted { $0.key < $1.key }.map { "  \($0.key): \"\($0.value)\"\n" }.joined()
    }

    @Test func theDemoRunsTheWholeMissionAndLeavesGitAndClusterInAgreement() async throws {
        let started = Date()
        let demo = try SluiceBinary.start(["demo", "--keep"])
        let output = try demo.waitForOutput("Prometheus UI:", timeout: 180)
        let elapsed = Date().timeIntervalSince(started)
        for expected in [
            "✓ synced: ConfigMap churn-features applied, churn 2025-11-03 serving on 4 pods",
            "canary 2025-11-10 at step 5%", "canary 2025-11-10 at step 100%", "✓ promoted 2025-11-10",
            "✗ rolled back 2025-11-17: SLO error-rate was", "\"Revert churn to model version 2025-11-10\"",
            "✓ git names 2025-11-10 again and churn runs 2025-11-10",
            "✓ the HPA scaled churn 2025-11-10 from 4 to 8 pods; Sluice wrote no replica count",
        ] {
            #expect(output.contains(expected), "missing: \(expected)\n\(output)")
        }
        #expect(elapsed < 180, "the demo took \(elapsed) s")
        #expect(!output.contains("\u{1B}["), "no colour when piped")
        let dir = try #require(DemoOutput.directory(in: output))
        let kubeconfig = try #require(DemoOutput.word(after: "kubectl --kubeconfig ", in: output))
        let repo = try #require(DemoOutput.word(after: "sluice diff --repo ", in: output))
        let prometheus = try #require(DemoOutput.word(after: "Prometheus UI: ", in: output)).replacingOccurrences(of: "/graph", with: "")

        // The invariants, checked with the commands the demo tells the user to try. Nothing lost:
        // `sluice diff` finds git and the cluster in agreement.
        let cache = TemporaryDirectory(prefix: "sluice-demo-check")
        let diff = try await SluiceBinary.run(["diff", "--repo", repo, "--kubeconfig", kubeconfig, "--source-name", "demo", "--cache-dir", cache.path])
        #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
        // No pods and no requests for the version that failed.
        let deployments = try await run(
            "kubectl", ["--kubeconfig", kubeconfig, "get", "deployments", "-n", "ml-demo", "-o", "json", "--show-managed-fields"],
            environment: ["HOME": cache.path])
        #expect(deployments.status == 0, "\(deployments.stderr)")
        let items = try JSON.parse(deployments.stdout)["items"]?.arrayValue ?? []
        let failed = items.first { $0[path: ["metadata", "labels", WorkloadRenderer.versionLabel]] == "2025-11-17" }
        #expect((failed?[path: ["spec", "replicas"]]?.intValue ?? 0) == 0)
        let stable = items.first { $0[path: ["metadata", "labels", WorkloadRenderer.versionLabel]] == "2025-11-10" }
        #expect((stable?[path: ["status", "readyReplicas"]]?.intValue ?? 0) == 8, "autoscaled in the last act")
        let owners = (stable?[path: ["metadata", "managedFields"]]?.arrayValue ?? []).filter { $0[path: ["fieldsV1", "f:spec", "f:replicas"]] != nil }
        #expect(owners.map { $0["manager"]?.stringValue ?? "" } == ["kube-controller-manager"], "the HPA owns the count: \(owners)")
        let http = HTTPClient()
        defer { http.shutdown() }
        let query = #"sum(increase(model_requests_total{version="2025-11-17"}[3s]))"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        var served = -1.0
        try await eventually("the failed version serves nothing", timeout: 20, every: .milliseconds(500)) {
            let answer = try JSON.parse(try await http.send(HTTPRequest(url: "\(prometheus)/api/v1/query?query=\(query)")).body)
            guard answer["status"] == "success" else { return false }
            served = answer[path: ["data", "result"]]?.arrayValue?.first?["value"]?.arrayValue?.last?.stringValue.flatMap(Double.init) ?? 0
            return served == 0
        }
        #expect(served == 0, "the failed version still served \(served) requests in 3 s")

        demo.signal(SIGINT)
        let status = demo.child.wait()
        #expect(status == 0, "\(demo.log.suffix(2000))")
        #expect(!FileManager.default.fileExists(atPath: dir), "the demo removes its directory")
    }

    @Test func aGoodVersionWalksEveryStepAndIsPromoted() async throws {
        let (h, invariants) = try await cluster()
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
        try await invariants.check(h.sync, traffic: h.traffic)
        await h.stop()
    }

    @Test func aBadVersionIsRolledBackAtTheFirstStepItBreaches() async throws {
        let (h, invariants) = try await cluster()
        try await h.canaryV2(image: "reg/churn:2.0-bad")
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
        // Not retried while git names v2, through several passes of the sync.
        try await h.waitForPasses(3, of: "sync")
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

        try await invariants.check(h.sync, traffic: h.traffic)

        // `sluice retry` lets it go again (and it fails again: it is still bad).
        let retry = try await h.sync.sluice("retry", ["churn", "-n", "ml"], repo: false)
        #expect(retry.status == 0, "\(retry.stderr)")
        try await h.waitFor("retried") { await h.status().history.filter { $0.event == "CanaryStarted" }.count == 2 }
        await h.stop()
    }

    /// Prometheus down says nothing about the model: after errorLimit failed analyses the
    /// traffic goes back to the stable version (the safe part), the version is inconclusive —
    /// not failed — and its canary starts over by itself once the queries answer again.
    @Test func prometheusDownEndsTheCanaryInconclusiveAndItStartsOverOnceItIsBack() async throws {
        let (h, invariants) = try await cluster(errorLimit: 3)
        try await h.canaryV2(image: "reg/churn:2.0", errorLimit: 3)
        h.prometheus.stop()
        let stopped = Date()
        try await h.waitFor("inconclusive after errors", timeout: 60) { await h.status().inconclusive?.holding == true }
        var s = await h.status()
        #expect(s.phase == .rolledBack && s.failedVersions.isEmpty, "\(s.message)")
        #expect(s.inconclusive?.reason.contains("4 times in a row") == true, "\(String(describing: s.inconclusive))")
        #expect(s.message.contains("not marked failed"), "\(s.message)")
        // Four analyses two seconds apart: not before ~6 s.
        #expect(Date().timeIntervalSince(stopped) >= 5)
        try await h.waitFor("v2 scaled to zero") { await h.replicas("v2") == 0 }
        #expect(await h.replicas("v1") == 4)
        let events = try await h.sync.client.listAll(apiVersion: "v1", kind: "Event", namespace: "ml").items
        #expect(events.contains { $0["reason"] == "Inconclusive" && $0["type"] == "Warning" })
        #expect(!events.contains { $0["reason"] == "RolledBack" })
        #expect(try await h.metrics().contains(#"sluice_canary_inconclusive_total{namespace="ml",name="churn"} 1"#))
        try await invariants.check(h.sync, traffic: h.traffic)

        // Prometheus is back: at the next retry (10 s after the first) the canary starts over.
        try await h.restartPrometheus()
        try await h.waitFor("v2 promoted after the outage", timeout: 90) {
            let s = await h.status()
            return s.phase == .succeeded && s.stableVersion == "v2"
        }
        s = await h.status()
        #expect(s.history.contains { $0.event == "Inconclusive" } && s.history.filter { $0.event == "CanaryStarted" && $0.version == "v2" }.count == 2)
        #expect(s.inconclusive == nil && s.failedVersions.isEmpty)
        try await invariants.check(h.sync, traffic: h.traffic)
        await h.stop()
    }

    @Test func aControllerKilledAtAnyMomentConvergesAfterRestart() async throws {
        let (h, invariants) = try await cluster()
        try await h.canaryV2(image: "reg/churn:2.0")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3 {
            // The subject, not a wait: the kill lands at a random moment of the rollout.
            try await Task.sleep(for: .milliseconds(Int.random(in: 300...2500, using: &rng)))
            h.controller?.signal(SIGKILL)
            h.controller?.stop()
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
        try await invariants.check(h.sync, traffic: h.traffic)
        await h.stop()
    }

    @Test func aManifestOnlyChangeLeavesTheModelAlone() async throws {
        let (h, invariants) = try await cluster()
        let before = await h.status()
        let versionsBefore = await Self.objectVersions(h)
        try h.sync.write("config/features.yaml", Self.features(["threshold": "0.8"]))
        let commit = try h.sync.commit("raise the threshold")
        try await h.waitFor("ConfigMap updated") {
            (try? await h.sync.get("ConfigMap", "churn-features", namespace: "ml"))??[path: ["data", "threshold"]] == "0.8"
        }
        try await h.waitFor("the source reports the commit") { (await h.status().sourceRevision).map { _ in true } ?? false }
        let after = await h.status()
        #expect(after.phase == .succeeded && after.stableVersion == "v1" && after.canaryVersion == nil, "no canary for a manifest-only change")
        #expect(after.history.count == before.history.count)
        let changed = await Self.changed(since: versionsBefore, h)
        #expect(changed == ["ConfigMap/churn-features"], "only the ConfigMap changes; the model's pods are not touched: \(changed)")
        let status = try await h.sync.sluice("status", repo: false)
        #expect(status.stdout.contains(String(commit.prefix(7))), "\(status.stdout)")
        try await invariants.check(h.sync, traffic: h.traffic)
        await h.stop()
    }

    @Test func aBrokenCommitChangesNothing() async throws {
        let (h, invariants) = try await cluster()
        let good = try h.sync.git.head()
        let before = await Self.objectVersions(h)
        // A new model version, a config change and a YAML error in one commit: none of it applies.
        try h.sync.write("models/churn.yaml", h.modelDeployment(version: "v2", image: "reg/churn:2.0"))
        try h.sync.write("config/features.yaml", Self.features(["threshold": "0.9"]))
        try h.sync.write("config/broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n  namespace: ml\ndata: [unclosed\n")
        try h.sync.commit("v2, a new threshold, and a typo")
        try await h.waitFor("the error is reported") { h.controller?.log.contains("config/broken.yaml:7") == true }
        try await h.waitForPasses(3, of: "sync")
        let changed = await Self.changed(since: before, h)
        #expect(changed.isEmpty, "a broken commit changes nothing, but \(changed) changed")
        let s = await h.status()
        #expect(s.phase == .succeeded && s.stableVersion == "v1" && s.canaryVersion == nil)
        #expect(try await h.sync.get("ConfigMap", "churn-features", namespace: "ml")?[path: ["data", "threshold"]] == "0.7")
        let status = try await h.sync.sluice("status", repo: false)
        #expect(status.stdout.contains("Failed") && status.stdout.contains(String(good.prefix(7))), "\(status.stdout)")
        try await invariants.check(h.sync, ref: good, traffic: h.traffic)

        // Fixing the typo lets the whole commit through, canary included.
        try h.sync.git.remove("config/broken.yaml")
        try h.sync.commit("fix the typo")
        try await h.waitFor("v2 promoted", timeout: 90) { await h.status().stableVersion == "v2" }
        #expect(try await h.sync.get("ConfigMap", "churn-features", namespace: "ml")?[path: ["data", "threshold"]] == "0.9")
        try await invariants.check(h.sync, traffic: h.traffic)
        await h.stop()
    }

    @Test func theGitRemoteGoingDownDoesNotStopACanary() async throws {
        let (h, invariants) = try await cluster()
        try await h.canaryV2(image: "reg/churn:2.0")
        h.sync.daemon.stop()
        // The canary lives in the cluster: it carries on without git, and nothing is pruned.
        try await h.waitFor("v2 promoted without git", timeout: 90) {
            let s = await h.status()
            return s.phase == .succeeded && s.stableVersion == "v2"
        }
        #expect(h.controller?.log.contains("git fetch failed") == true)
        #expect(try await h.sync.get("ConfigMap", "churn-features", namespace: "ml") != nil)
        let metrics = try await h.metrics()
        #expect(metrics.contains("sluice_git_fetches_total{") && metrics.contains(#"result="error""#), "failed fetches are counted")
        // The remote comes back; a commit made meanwhile is picked up.
        try h.sync.write("config/features.yaml", Self.features(["threshold": "0.75"]))
        try h.sync.commit("made while the remote was down")
        try h.sync.daemon.restart()
        try await h.waitFor("synced after the remote returned") {
            (try? await h.sync.get("ConfigMap", "churn-features", namespace: "ml"))??[path: ["data", "threshold"]] == "0.75"
        }
        try await invariants.check(h.sync, traffic: h.traffic)
        await h.stop()
    }

    @Test func aTenthOfAPIRequestsFailingOnlySlowsThingsDown() async throws {
        let (h, invariants) = try await cluster()
        // From now on one in ten of the controller's requests gets a 500, 503 or 429.
        var plan = FaultPlan()
        plan.errorRate = 0.1
        plan.userAgents = ["(\(RolloutHarness.podName)_"]
        h.sync.fx.emulator.faults = plan
        let mark = h.sync.fx.emulator.requests.count
        try h.commitModel(version: "v2", image: "reg/churn:2.0")
        try await h.waitFor("v2 promoted despite faults", timeout: 120) {
            let s = await h.status()
            return s.phase == .succeeded && s.stableVersion == "v2"
        }
        try h.sync.write("config/features.yaml", Self.features(["threshold": "0.6"]))
        try h.commitModel(version: "v3", image: "reg/churn:3.0-bad")
        try await h.waitFor("v3 rolled back despite faults", timeout: 120) { await h.status().phase == .rolledBack }
        try await h.waitFor("ConfigMap synced despite faults") {
            (try? await h.sync.get("ConfigMap", "churn-features", namespace: "ml"))??[path: ["data", "threshold"]] == "0.6"
        }
        let injected = h.sync.fx.emulator.requests.dropFirst(mark).filter { [500, 503, 429].contains($0.status) }.count
        #expect(injected >= 5, "faults were injected (\(injected))")
        let s = await h.status()
        #expect(s.stableVersion == "v2" && s.failedVersions.map(\.version) == ["v3"])
        #expect(s.history.filter { $0.event == "RolledBack" }.count == 1, "one rollback, not one per retry")
        h.sync.fx.emulator.faults = FaultPlan()
        try await invariants.check(h.sync, traffic: h.traffic)
        await h.stop()
    }
}
