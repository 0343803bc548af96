import Foundation
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

typealias M = ManifestText

@Suite(.offThePool, .tags(.endToEnd)) struct SyncTests {
    @Test func firstSyncCreatesEverythingAndAChangeIsReflectedExactly() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("app/config.yaml", M.configMap("settings", ["mode": "batch", "threshold": "0.7"]))
        try h.write("app/web.yaml", M.deployment("web") + "---\n" + M.service("web"))
        try h.write("app/old.yaml", M.configMap("old", ["x": "1"]))
        let first = try h.commit("first")

        let diff = try await h.sluice("diff")
        #expect(diff.status == 1, "\(diff.stderr)")
        #expect(diff.stdout.hasSuffix("5 to create, 0 to update, 0 to prune, 0 unchanged\n"))

        let sync = try await h.sluice("sync", ["--once"])
        #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
        let web = try #require(try await h.get("Deployment", "web", apiVersion: "apps/v1"))
        #expect(web[path: ["metadata", "labels", "app.kubernetes.io/managed-by"]] == "sluice")
        #expect(web[path: ["metadata", "annotations", "sluice.dev/source"]] == "remote")
        #expect(try await h.get("ConfigMap", "settings")?[path: ["data", "mode"]] == "batch")
        #expect(try await h.sluice("diff").status == 0, "after a sync there is nothing to do")

        // Change one object, add one, remove one.
        try h.write("app/config.yaml", M.configMap("settings", ["mode": "online", "threshold": "0.7"]))
        try h.write("app/new.yaml", M.configMap("new", ["y": "2"]))
        try h.git.remove("app/old.yaml")
        let second = try h.commit("change, add, remove")
        let planned = try await h.sluice("diff", ["-o", "json"])
        #expect(planned.status == 1)
        let json = try JSON.parse(planned.stdout)
        #expect(json["summary"] == ["create": 1, "update": 1, "prune": 1, "unchanged": 3, "errors": 0])
        #expect(json["commit"] == .string(second))
        let actions = Dictionary(
            uniqueKeysWithValues: (json["objects"]?.arrayValue ?? []).map {
                ("\($0["kind"]!.stringValue!)/\($0["name"]!.stringValue!)", $0["action"]!.stringValue!)
            })
        #expect(
            actions == [
                "Namespace/apps": "unchanged", "ConfigMap/settings": "update", "ConfigMap/new": "create", "ConfigMap/old": "prune", "Service/web": "unchanged",
                "Deployment/web": "unchanged",
            ])

        let mark = h.fx.emulator.requests.count
        let resync = try await h.sluice("sync", ["--once"])
        #expect(resync.status == 0, "\(resync.stderr)")
        #expect(try await h.get("ConfigMap", "settings")?[path: ["data", "mode"]] == "online")
        #expect(try await h.get("ConfigMap", "new") != nil)
        #expect(try await h.get("ConfigMap", "old") == nil)
        // Exactly the changes were written: two applies, one delete, and the inventory.
        let writes = h.writes(since: mark)
        #expect(
            writes.filter { $0.verb == "apply" && $0.resource == "configmaps" && $0.name != "sluice-inventory-remote" }.compactMap(\.name).sorted() == [
                "new", "settings",
            ])
        #expect(writes.filter { $0.verb == "delete" }.map(\.name) == ["old"])
        #expect(!writes.contains { $0.resource == "deployments" })
        _ = first
        await h.stop()
    }

    @Test func pruneSparesProtectedAndUnownedObjects() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("keep.yaml", M.configMap("keep", ["a": "1"], annotations: ["sluice.dev/prune": "disabled"]))
        try h.write("adopted.yaml", M.configMap("adopted", ["a": "1"]))
        try h.write("gone.yaml", M.configMap("gone", ["a": "1"]))
        try h.commit("three config maps")
        #expect(try await h.sluice("sync", ["--once"]).status == 0)
        // Someone takes "adopted" over: it no longer carries Sluice's mark.
        _ = try await h.client.mergePatch(
            ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "adopted"),
            ["metadata": ["labels": ["app.kubernetes.io/managed-by": "helm"]]], fieldManager: "helm")
        for f in ["keep.yaml", "adopted.yaml", "gone.yaml"] { try h.git.remove(f) }
        try h.commit("remove all three")
        let sync = try await h.sluice("sync", ["--once"])
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stdout.contains("ConfigMap apps/gone pruned"))
        #expect(try await h.get("ConfigMap", "gone") == nil)
        #expect(try await h.get("ConfigMap", "keep") != nil, "prune: disabled is never deleted")
        #expect(try await h.get("ConfigMap", "adopted") != nil, "an object that is no longer ours is never deleted")
        await h.stop()
    }

    @Test func aBrokenCommitChangesNothing() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.configMap("a", ["v": "1"]))
        try h.write("b.yaml", M.configMap("b", ["v": "1"]))
        let good = try h.commit("good")
        #expect(try await h.sluice("sync", ["--once"]).status == 0)

        // A YAML error in one file, a change in another, and a deleted third: nothing may happen.
        try h.write("a.yaml", M.configMap("a", ["v": "2"]))
        try h.write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n  namespace: apps\ndata: [unclosed\n")
        try h.git.remove("b.yaml")
        try h.commit("broken")
        let mark = h.fx.emulator.requests.count
        let sync = try await h.sluice("sync", ["--once"])
        #expect(sync.status == 1)
        #expect(sync.stderr.contains("broken.yaml:7:"), "\(sync.stderr)")
        #expect(h.writes(since: mark).filter { $0.name != "sluice-inventory-remote" }.isEmpty, "no apply, no prune")
        #expect(try await h.get("ConfigMap", "a")?[path: ["data", "v"]] == "1")
        #expect(try await h.get("ConfigMap", "b") != nil)
        let status = try await h.sluice("status", repo: false)
        #expect(status.stdout.contains("Failed"), "\(status.stdout)")
        #expect(status.stdout.contains(String(good.prefix(7))), "the last applied commit is kept")

        // An object the API server refuses (422 at dry run): also nothing at all.
        try h.git.remove("broken.yaml")
        try h.write("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n  namespace: apps\ndata:\n  count: 1\n")
        try h.commit("invalid object")
        let mark2 = h.fx.emulator.requests.count
        let invalid = try await h.sluice("sync", ["--once"])
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("ConfigMap apps/bad"))
        #expect(invalid.stderr.contains("data.count"))
        #expect(h.writes(since: mark2).filter { $0.name != "sluice-inventory-remote" }.isEmpty)
        #expect(try await h.get("ConfigMap", "a")?[path: ["data", "v"]] == "1")
        await h.stop()
    }

    @Test func anEmptySourceDoesNotPruneEverythingUnlessAsked() async throws {
        let h = try await SyncHarness()
        try h.write("manifests/ns.yaml", M.namespace)
        try h.write("manifests/a.yaml", M.configMap("a", ["v": "1"]))
        try h.commit("one")
        #expect(try await h.sluice("sync", ["--once", "--path", "manifests", "--source-name", "team"]).status == 0)
        try h.git.remove("manifests")
        try h.write("manifests/README.md", "moved\n")
        try h.commit("oops, everything moved")
        let refused = try await h.sluice("sync", ["--once", "--path", "manifests", "--source-name", "team"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refusing to prune everything"))
        #expect(try await h.get("ConfigMap", "a") != nil)
        let allowed = try await h.sluice("sync", ["--once", "--path", "manifests", "--source-name", "team", "--allow-empty"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try await h.get("ConfigMap", "a") == nil)
        await h.stop()
    }

    @Test func crdsAreEstablishedBeforeTheirObjects() async throws {
        let h = try await SyncHarness { $0.crdEstablishDelay = 0.5 }
        try h.write("crd.yaml", M.crd(kind: "Feature", plural: "features", properties: "{enabled: {type: boolean}}"))
        try h.write("ns.yaml", M.namespace)
        try h.write("feature.yaml", "apiVersion: example.com/v1\nkind: Feature\nmetadata: {name: dark-mode, namespace: apps}\nspec: {enabled: true}\n")
        try h.commit("crd and its object")
        let diff = try await h.sluice("diff")
        #expect(diff.status == 1, "\(diff.stderr)")
        #expect(diff.stdout.contains("# its CustomResourceDefinition is created in this sync"))
        let sync = try await h.sluice("sync", ["--once"])
        #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
        #expect(try await h.get("Feature", "dark-mode", apiVersion: "example.com/v1")?[path: ["spec", "enabled"]] == true)
        await h.stop()
    }

    @Test func secretValuesAreNeverPrinted() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("s.yaml", M.secret("creds", ["user": "ml-bot", "password": "hunter2-do-not-print"]))
        try h.commit("secret")
        let first = try await h.sluice("diff")
        #expect(first.status == 1)
        #expect(!first.stdout.contains("hunter2") && !first.stdout.contains(Data("hunter2-do-not-print".utf8).base64EncodedString()))
        #expect(first.stdout.contains("password: '***'") || first.stdout.contains("password: \"***\""), "\(first.stdout)")
        #expect(try await h.sluice("sync", ["--once"]).status == 0)
        try h.write("s.yaml", M.secret("creds", ["user": "ml-bot", "password": "new-secret-value"]))
        try h.commit("rotate")
        let rotated = try await h.sluice("diff")
        #expect(rotated.status == 1)
        #expect(rotated.stdout.contains("*** (before)") && rotated.stdout.contains("*** (after)"), "\(rotated.stdout)")
        #expect(!rotated.stdout.contains("new-secret-value") && !rotated.stdout.contains(Data("new-secret-value".utf8).base64EncodedString()))
        #expect(!rotated.stdout.contains("user: \"***"), "an unchanged key is not flagged as changed: \(rotated.stdout)")
        await h.stop()
    }

    @Test func localWorkingTreeDiff() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.configMap("a", ["v": "1"]))
        try h.commit("one")
        #expect(try await h.sluice("sync", ["--once"]).status == 0)
        // Uncommitted edit in the working tree, diffed before committing.
        try h.write("a.yaml", M.configMap("a", ["v": "2"]))
        let diff = try await h.sluice("diff", ["--local", h.git.work, "--source-name", "remote"], repo: false)
        #expect(diff.status == 1, "\(diff.stderr)")
        #expect(diff.stdout.contains("-  v: \"1\"") && diff.stdout.contains("+  v: \"2\""), "\(diff.stdout)")
        #expect(diff.stdout.hasSuffix("0 to create, 1 to update, 0 to prune, 1 unchanged\n"))
        await h.stop()
    }

    @Test func diffErrorsNameTheObjectAndDoNotHideOtherDiffs() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.commit("namespace")
        #expect(try await h.sluice("sync", ["--once"]).status == 0)
        try h.write("good.yaml", M.configMap("good", ["v": "1"]))
        try h.write("bad.yaml", M.deployment("bad", image: ""))
        try h.write("unknown.yaml", "apiVersion: nope.example.com/v1\nkind: Nope\nmetadata: {name: x, namespace: apps}\n")
        try h.commit("mixed")
        #expect(try await h.sluice("sync", ["--once"]).status == 1)
        let diff = try await h.sluice("diff")
        #expect(diff.status == 2)
        #expect(diff.stdout.contains("=== Deployment apps/bad — error  from bad.yaml:1 (document 1)"), "\(diff.stdout)")
        #expect(diff.stdout.contains("spec.template.spec.containers[0].image"))
        #expect(diff.stdout.contains("=== Nope apps/x — error  from unknown.yaml:1 (document 1)"))
        #expect(diff.stdout.contains("=== ConfigMap apps/good — create"), "the good object's diff is still shown")
        await h.stop()
    }
}
