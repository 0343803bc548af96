import Endpoints
import Foundation
import HTTP
import Kube
import Manifests
import Sync
import TestSupport
import Testing
import YAML

@Suite(.offThePool, .tags(.endToEnd)) struct SyncLoopTests {
    func startLoop(_ h: SyncHarness, interval: String = "60s", extra: [String] = []) throws -> (BackgroundProcess, Int) {
        let port = freePort()
        let process = try SluiceBinary.start(
            ["sync"] + h.common + ["--repo", h.daemon.url, "--interval", interval, "--listen", "127.0.0.1:\(port)"] + extra)
        return (process, port)
    }

    /// Waits until the loop on `port` has finished `n` more sync passes than `after`.
    func waitForPasses(_ n: Int, port: Int, after: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let start = if let after { after } else { await reconcilePasses(port: port, controller: "sync") }
        try await eventually("\(n) more sync passes", timeout: 30, sourceLocation: sourceLocation) {
            await reconcilePasses(port: port, controller: "sync") >= max(start, 0) + n
        }
    }

    /// Waits until the loop watches every kind in `resources`: drift on them is seen from now on.
    func waitForWatches(_ h: SyncHarness, _ resources: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await eventually("the loop watches \(resources.joined(separator: ", "))", sourceLocation: sourceLocation) {
            let watched = Set(h.fx.emulator.requests.filter { $0.verb == "watch" }.compactMap(\.resource))
            return resources.allSatisfy(watched.contains)
        }
    }

    @Test func driftIsHealedWithinSeconds() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("app.yaml", M.configMap("settings", ["mode": "batch"]) + "---\n" + M.deployment("web", replicas: 2))
        try h.commit("app")
        let (loop, _) = try startLoop(h)
        try await eventually("first sync") { try await h.get("ConfigMap", "settings") != nil }
        try await waitForWatches(h, ["configmaps", "deployments"])

        // Someone edits a managed object by hand.
        let cm = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "settings")
        let edited = Date()
        _ = try await h.client.mergePatch(cm, ["data": ["mode": "hacked"]], fieldManager: "kubectl-edit")
        try await eventually("drift healed", timeout: 10) { try await h.get("ConfigMap", "settings")?[path: ["data", "mode"]] == "batch" }
        let healed = Date().timeIntervalSince(edited)
        #expect(healed < 5, "healed after \(healed) s")

        // Deleted by hand: recreated.
        _ = try await h.client.delete(ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "apps", name: "web"))
        try await eventually("deleted object recreated", timeout: 10) { try await h.get("Deployment", "web", apiVersion: "apps/v1") != nil }
        #expect(loop.log.contains("drift healed"), "\(loop.log)")
        loop.stop()
        await h.stop()
    }

    @Test func webhooksTriggerASyncAndBadSignaturesDoNot() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.configMap("a", ["v": "1"]))
        try h.commit("one")
        let secret = "webhook-secret-\(UUID().uuidString)"
        let secretFile = try h.dir.write("webhook-secret", secret + "\n")
        let (loop, port) = try startLoop(h, extra: ["--webhook-secret-file", secretFile])
        try await eventually("first sync") { try await h.get("ConfigMap", "a") != nil }
        try await waitForPasses(1, port: port, after: 0)
        let passes = await reconcilePasses(port: port, controller: "sync")

        try h.write("a.yaml", M.configMap("a", ["v": "2"]))
        try h.commit("two")
        let http = HTTPClient()
        let body = Array(#"{"ref":"refs/heads/main"}"#.utf8)
        let url = "http://127.0.0.1:\(port)/hooks/git"
        let bad = try await http.send(
            HTTPRequest(method: "POST", url: url, headers: [("X-Hub-Signature-256", "sha256=" + String(repeating: "0", count: 64))], body: body))
        #expect(bad.status == 401)
        let unsigned = try await http.send(HTTPRequest(method: "POST", url: url, body: body))
        #expect(unsigned.status == 401)
        // The handler triggers before it answers 202 and never after a 401: a pass the rejected
        // requests had queued would run at once, before their rejections reach the log file.
        try await eventually("both rejections logged") { loop.log.components(separatedBy: "webhook rejected").count == 3 }
        #expect(await reconcilePasses(port: port, controller: "sync") == passes, "no pass was triggered")
        #expect(try await h.get("ConfigMap", "a")?[path: ["data", "v"]] == "1", "nothing was triggered")

        let signature = WebhookVerifier(secret: secret).githubSignature(body)
        let pushed = Date()
        let good = try await http.send(
            HTTPRequest(method: "POST", url: url, headers: [("X-Hub-Signature-256", signature), ("X-GitHub-Event", "push")], body: body))
        #expect(good.status == 202)
        try await eventually("webhook sync", timeout: 10) { try await h.get("ConfigMap", "a")?[path: ["data", "v"]] == "2" }
        let latency = Date().timeIntervalSince(pushed)
        // The poll interval is 60 s: a sync this soon can only have been the webhook's doing.
        // (How fast a webhook sync lands is measured in the benchmarks, not asserted here.)
        #expect(latency < 10, "commit applied \(latency) s after the webhook")

        try h.write("a.yaml", M.configMap("a", ["v": "3"]))
        try h.commit("three")
        let gitlab = try await http.send(HTTPRequest(method: "POST", url: url, headers: [("X-Gitlab-Token", secret)], body: body))
        #expect(gitlab.status == 202)
        try await eventually("gitlab webhook sync", timeout: 10) { try await h.get("ConfigMap", "a")?[path: ["data", "v"]] == "3" }
        #expect(!loop.log.contains(secret), "the secret never reaches the log")
        http.shutdown()
        loop.stop()
        await h.stop()
    }

    @Test func pollingPicksUpCommitsAndQuietPollsCostNoAPICalls() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.configMap("a", ["v": "1"]))
        try h.commit("one")
        let (loop, port) = try startLoop(h, interval: "1s")
        try await eventually("first sync") { try await h.get("ConfigMap", "a") != nil }
        // Once the first pass is done and the watches are open, count what three quiet polls cost.
        try await waitForPasses(1, port: port, after: 0)
        // Both kinds it applied are watched for drift; under load the second watch can open
        // after the first pass, and its list is not a poll's cost.
        try await waitForWatches(h, ["configmaps", "namespaces"])
        let mark = h.fx.emulator.requests.count
        try await waitForPasses(3, port: port)
        let quiet = Array(h.fx.emulator.requests.dropFirst(mark))
        #expect(quiet.filter { $0.verb != "watch" }.isEmpty, "quiet polls made \(quiet.map { "\($0.verb) \($0.path)" })")

        try h.write("a.yaml", M.configMap("a", ["v": "2"]))
        try h.commit("two")
        let committed = Date()
        try await eventually("poll sync", timeout: 10) { try await h.get("ConfigMap", "a")?[path: ["data", "v"]] == "2" }
        #expect(Date().timeIntervalSince(committed) < 6, "picked up by a 1 s poll")
        loop.stop()
        await h.stop()
    }

    @Test func aRestartedControllerResumesFromItsInventory() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.configMap("a", ["v": "1"]))
        try h.write("b.yaml", M.configMap("b", ["v": "1"]))
        try h.commit("two objects")
        var (loop, _) = try startLoop(h, interval: "1s")
        // Killed only once the sync is recorded: b applied but not yet in the inventory would be
        // an object the next process rightly does not know it owns.
        try await eventually("first sync recorded in the inventory") {
            let inventory = try await h.get("ConfigMap", "sluice-inventory-remote", namespace: "default")
            return try inventory.flatMap { try Inventory(configMap: $0) }?.objects.contains { $0.name == "b" } ?? false
        }
        loop.signal(SIGKILL)
        _ = loop.stop()
        try h.git.remove("b.yaml")
        try h.commit("remove b while the controller is down")
        (loop, _) = try startLoop(h, interval: "1s")
        try await eventually("b pruned by the new process", timeout: 10) { try await h.get("ConfigMap", "b") == nil }
        #expect(try await h.get("ConfigMap", "a") != nil)
        loop.stop()
        await h.stop()
    }

    @Test func healingDriftRecordsTheSyncedCommitNotANewerOneThatFailed() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.configMap("a", ["v": "1"]))
        let good = try h.commit("good")
        let (loop, port) = try startLoop(h, interval: "1s")
        func inventoryCommit() async throws -> String? {
            try await h.get("ConfigMap", "sluice-inventory-remote", namespace: "default").flatMap { try Inventory(configMap: $0) }?.commit
        }
        try await eventually("first sync recorded") { try await inventoryCommit() == good }

        // A commit the API cannot take (a kind it does not serve): its syncs fail, and the
        // objects in the cluster stay those of `good`.
        try h.write("bad.yaml", "apiVersion: example.com/v1\nkind: Unserved\nmetadata:\n  name: x\n  namespace: apps\n")
        let bad = try h.commit("bad")
        try await eventually("the bad commit tried", timeout: 10) { loop.log.contains("sync failed") }

        // Drift on an object of `good` is healed from `good`, and recorded as `good`: the
        // inventory naming `bad` would tell a restarted controller that `bad` is in the cluster.
        _ = try await h.client.mergePatch(
            ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "a"), ["data": ["v": "hacked"]], fieldManager: "kubectl-edit")
        try await eventually("drift healed", timeout: 10) { try await h.get("ConfigMap", "a")?[path: ["data", "v"]] == "1" }
        // One worker: the next pass to finish is the healing one, or one after it.
        try await waitForPasses(1, port: port)
        let recorded = try await inventoryCommit()
        #expect(recorded == good, "inventory records \(recorded ?? "nothing"); good is \(good), bad \(bad)")
        loop.stop()
        await h.stop()
    }

    /// The API server drops a field a custom resource's schema does not declare, silently: a
    /// ModelDeployment committed with `rollbak:` would have applied with no rollback setting,
    /// and one with `stepz:` with the default steps. The sync holds such an object back, says
    /// which field was meant, keeps the live object as it was and prunes nothing.
    @Test func aMisspeltFieldInAModelDeploymentIsNotAppliedAndPrunesNothing() async throws {
        let h = try await SyncHarness()
        let crd = try String(contentsOfFile: "\(SluiceBinary.repositoryRoot)/manifests/crd-modeldeployment.yaml", encoding: .utf8)
        func model(_ version: String, rollback: String) -> String {
            "apiVersion: sluice.dev/v1alpha1\nkind: ModelDeployment\nmetadata: {name: churn, namespace: apps}\nspec:\n"
                + "  model: {version: \(version), image: reg/churn:1}\n  \(rollback): {revertCommit: true}\n"
        }
        try h.write("crd.yaml", crd)
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.configMap("a", ["v": "1"]))
        try h.write("models/churn.yaml", model("v1", rollback: "rollback"))
        try h.commit("v1, revert commits on")
        let (loop, _) = try startLoop(h, interval: "1s")
        let ref = ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "ModelDeployment", namespace: "apps", name: "churn")
        try await eventually("v1 applied") { ((try? await h.client.getIfExists(ref)) ?? nil)?[path: ["spec", "model", "version"]] == "v1" }

        try h.write("models/churn.yaml", model("v2", rollback: "rollbak"))
        try h.git.remove("a.yaml")
        try h.commit("v2, with a typo; a.yaml removed")
        try await eventually("the typo reported", timeout: 15) { loop.log.contains("spec.rollbak: unknown field; did you mean rollback?") }
        #expect(loop.log.contains("models/churn.yaml"), "the file is named: \(loop.log.suffix(2000))")
        let live = try #require(try await h.client.getIfExists(ref))
        #expect(live[path: ["spec", "model", "version"]] == "v1", "held back: \(live)")
        #expect(live[path: ["spec", "rollback", "revertCommit"]] == .bool(true))
        #expect(try await h.get("ConfigMap", "a") != nil, "a load error prunes nothing")
        loop.stop()
        await h.stop()
    }

    @Test func gitRemoteDownKeepsTheLastGoodCommit() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.configMap("a", ["v": "1"]))
        try h.commit("one")
        let (loop, port) = try startLoop(h, interval: "1s")
        try await eventually("first sync") { try await h.get("ConfigMap", "a") != nil }
        h.daemon.stop()
        try await eventually("the failed fetch is logged") { loop.log.contains("git fetch failed") }
        try await waitForPasses(2, port: port)
        #expect(try await h.get("ConfigMap", "a")?[path: ["data", "v"]] == "1")
        #expect(loop.isRunning)
        loop.stop()
        await h.stop()
    }
}
