import Foundation
import HTTP
import Kube
import Manifests
import Rollout
import TestSupport
import Testing
import YAML

/// A rollout never forgets what it learned: a status edited, half lost, unreadable, removed, or
/// lost with its object (a restore), and a controller upgraded mid-canary, never put a failed
/// version back on traffic or a canary straight to 100%. Each test drives the built `sluice run`
/// against the emulator, a real Prometheus and simulated traffic, changes the status the way a
/// user (or a backup tool) would, and checks that the failed version has no pods and serves no
/// requests while the stable one keeps serving.
@Suite(.offThePool, .tags(.endToEnd), .serialized) struct StatusLossTests {
    /// v1 stable, v2 (bad) rolled back while git still names it.
    func rolledBackV2() async throws -> RolloutHarness {
        let h = try await RolloutHarness()
        try await h.stableThenCanary(image: "reg/churn:2.0-bad")
        try await h.waitFor("v2 rolled back") {
            let s = await h.status()
            return s.phase == .rolledBack && s.isFailed("v2")
        }
        try await h.waitFor("v2 scaled to zero with its failure marked") {
            let d = await h.deployment("v2")
            return d?[path: ["spec", "replicas"]]?.intValue == 0 && d.flatMap(DeploymentRecord.failure(of:))?.version == "v2"
        }
        return h
    }

    /// The failed version runs no pods and serves nothing; the stable one serves.
    func expectFailedOffTraffic(_ h: RolloutHarness, failed: String = "v2", stable: String = "v1", sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        #expect(await h.replicas(failed) ?? 0 == 0, "failed \(failed) has no pods", sourceLocation: sourceLocation)
        #expect(await h.replicas(stable) == 4, "stable \(stable) keeps all its pods", sourceLocation: sourceLocation)
        // Requests stop a moment after the pods do (readiness, then the simulator's routing
        // refresh): wait for the routing to drop the version, then count while stable serves.
        try await eventually("the traffic's routing drops \(failed)", timeout: 5, every: .milliseconds(100), sourceLocation: sourceLocation) {
            !h.traffic.routing.contains(where: { $0.model == "churn" && $0.version == failed })
        }
        let served = try await h.traffic.requests(model: "churn", of: failed, whileServing: stable, sourceLocation: sourceLocation)
        #expect(served == 0, "failed \(failed) served \(served) requests", sourceLocation: sourceLocation)
    }

    func kubectl(_ h: RolloutHarness, _ args: [String]) async throws -> ProcessResult {
        let home = h.sync.dir.file("kubectl-home")
        let r = try await run(
            "kubectl", ["--kubeconfig", h.sync.kubeconfig] + args, environment: ["HOME": home, "KUBECACHEDIR": "\(home)/cache"], timeout: 60)
        #expect(r.status == 0, "kubectl \(args.joined(separator: " ")): \(r.stderr)")
        return r
    }

    func patchStatus(_ h: RolloutHarness, _ ops: String) async throws {
        try await kubectl(h, ["patch", "mdep", "churn", "-n", "ml", "--subresource=status", "--type=json", "-p", ops])
    }

    /// Rollout reconciles the controller has finished (from its /metrics).
    func reconciles(_ h: RolloutHarness) async -> Int {
        let text = (try? await h.metrics()) ?? ""
        return text.split(separator: "\n").filter { $0.hasPrefix("sluice_reconcile_total{") && $0.contains(#"controller="rollout""#) }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0) { $0 + Int($1) }
    }

    /// Waits until the controller has reconciled at least twice more (the change and what it
    /// wrote in answer), so a test checks the state after the controller saw the change.
    func afterReconciles(_ h: RolloutHarness, since before: Int) async throws {
        try await h.waitFor("the controller reconciled the change") { await reconciles(h) >= before + 2 }
    }

    /// Until a second passes with no rollout reconcile.
    func quiet(_ h: RolloutHarness) async throws {
        var last = (count: await reconciles(h), at: Date())
        try await h.waitFor("the rollout controller idle") {
            let now = await reconciles(h)
            if now != last.count { last = (now, Date()) }
            return Date().timeIntervalSince(last.at) >= 1
        }
    }

    func events(_ h: RolloutHarness, reason: String) async throws -> [Value] {
        try await h.sync.client.listAll(apiVersion: "v1", kind: "Event", namespace: "ml").items.filter { $0["reason"]?.stringValue == reason }
    }

    @Test func aStatusWithAKeyOfTheWrongTypeIsHeldUntilFixedOrRemoved() async throws {
        let h = try await rolledBackV2()
        let before = await reconciles(h)
        try await patchStatus(h, #"[{"op":"replace","path":"/status/failedVersions","value":"v2"}]"#)
        try await h.waitFor("StatusUnreadable condition") {
            let conditions = (try? await h.sync.client.getIfExists(h.modelRef))?[path: ["status", "conditions"]]?.arrayValue ?? []
            return conditions.contains { $0["type"] == "StatusUnreadable" && $0["status"] == "True" }
        }
        try await afterReconciles(h, since: before)
        let model = try #require(try await h.sync.client.getIfExists(h.modelRef))
        let condition = try #require(model[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"] == "StatusUnreadable" })
        #expect(condition["message"]?.stringValue?.contains("failedVersions: expected a list") == true, "\(condition)")
        #expect(model[path: ["status", "failedVersions"]] == "v2", "the status is left as it is")
        let warnings = try await events(h, reason: "StatusUnreadable")
        #expect(warnings.count == 1 && warnings.first?["type"] == "Warning")
        #expect(try await h.metrics().contains(#"sluice_rollout_status_unreadable{namespace="ml",name="churn"} 1"#))
        try await expectFailedOffTraffic(h)

        // Removing the status lets the controller rebuild it from the Deployments it owns.
        try await patchStatus(h, #"[{"op":"remove","path":"/status"}]"#)
        try await h.waitFor("status rebuilt") { await h.status().history.contains { $0.event == "StatusRebuilt" } }
        let s = await h.status()
        #expect(s.phase == .rolledBack && s.isFailed("v2") && s.stableVersion == "v1" && s.canaryVersion == "v2", "\(s.message)")
        try await h.waitFor("the metric says readable again") {
            ((try? await h.metrics()) ?? "").contains(#"sluice_rollout_status_unreadable{namespace="ml",name="churn"} 0"#)
        }
        try await expectFailedOffTraffic(h)
        await h.stop()
    }

    /// A restore: the ModelDeployment deleted with its Deployments orphaned (as a backup tool's
    /// restore, or `kubectl delete --cascade=orphan` and a re-apply, leaves them), then
    /// re-created from git without a status.
    @Test func aModelDeploymentRecreatedOverItsOrphanedDeploymentsRemembersTheFailure() async throws {
        let h = try await rolledBackV2()
        let uid = try await h.sync.client.getIfExists(h.modelRef)?[path: ["metadata", "uid"]]
        // Deleted while no reconcile is in flight: one that read the object just before would
        // re-apply its owner reference after the orphaning, and the garbage collector (or the
        // controller's clean-up) would then delete the Deployments — a race of every controller
        // that sets owner references (docs/runbooks/rollback.md).
        try await quiet(h)
        try await kubectl(h, ["delete", "mdep", "churn", "-n", "ml", "--cascade=orphan"])
        try await h.waitFor("re-created from git with a new uid") {
            let now = try? await h.sync.client.getIfExists(h.modelRef)?[path: ["metadata", "uid"]]
            return now != nil && now != uid
        }
        try await h.waitFor("status rebuilt") { await h.status().history.contains { $0.event == "StatusRebuilt" } }
        let s = await h.status()
        #expect(s.phase == .rolledBack && s.isFailed("v2") && s.stableVersion == "v1", "\(s.message)")
        #expect(!s.history.contains { $0.event == "Deployed" }, "not a first deployment")
        #expect(try await !events(h, reason: "StatusRebuilt").isEmpty)
        let owner = await h.deployment("v1")?[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["uid"]
        #expect(owner != nil && owner != uid, "the Deployments are adopted by the new object")
        try await expectFailedOffTraffic(h)
        await h.stop()
    }

    /// The controller is replaced mid-canary by this release while everything was written by
    /// the previous one: its status keys (as in the 0.1.0 fixture) and Deployments without the
    /// annotations this release adds.
    @Test func aControllerUpgradedMidCanaryCarriesOn() async throws {
        let h = try await rolledBackV2()
        let slow = "    stepDuration: 8s\n"
        try h.sync.write(
            "models/churn.yaml", h.modelDeployment(version: "v3", image: "reg/churn:3.0").replacingOccurrences(of: "    stepDuration: 2s\n", with: slow))
        try h.sync.commit("v3, slowly")
        try await h.waitFor("canary v3 at 25%", timeout: 90) {
            let s = await h.status()
            return s.stepWeight == 25 && s.canaryVersion == "v3"
        }
        h.controller?.stop()

        // Rewrite the state as the previous release left it.
        let previousKeys = Set(try StoredStateFixtures.status("0.1.0", "progressing").objectValue?.keys.map { $0 } ?? [])
        var status = try #require(try await h.sync.client.getIfExists(h.modelRef)?["status"])
        for key in status.objectValue?.keys ?? [] where !previousKeys.contains(key) { status[key] = .null }  // merge patch: null removes
        _ = try await h.sync.client.patchStatus(h.modelRef, status, fieldManager: "sluice-rollout")
        for version in ["v1", "v3"] {
            let ref = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "ml", name: WorkloadRenderer.deploymentName("churn", version))
            _ = try await h.sync.client.mergePatch(
                ref, ["metadata": ["annotations": [DeploymentRecord.versionSpecAnnotation: .null, DeploymentRecord.stepWeightAnnotation: .null]]],
                fieldManager: "sluice-rollout")
        }

        try h.startController()
        try await h.waitFor("v3 promoted", timeout: 90) {
            let s = await h.status()
            return s.phase == .succeeded && s.stableVersion == "v3"
        }
        let s = await h.status()
        #expect(s.isFailed("v2"), "the failure recorded by the previous release is kept")
        #expect(!s.history.contains { $0.event == "StatusRebuilt" }, "a readable status is not rebuilt")
        let promoted = s.history.filter { $0.version == "v3" }.map(\.event)
        #expect(promoted.filter { $0 == "CanaryStarted" }.count == 1, "the canary carried on rather than starting again: \(promoted)")
        #expect(await h.deployment("v3")?[path: ["metadata", "annotations", DeploymentRecord.versionSpecAnnotation]] != nil, "this release's marks are added")
        let (failedGone, oldStableGone) = (await h.deployment("v2") == nil, await h.deployment("v1") == nil)
        #expect(failedGone && oldStableGone, "the failed and the old stable versions run nothing")
        #expect(try await h.traffic.requests(model: "churn", of: "v2", whileServing: "v3") == 0)
        await h.stop()
    }
}
