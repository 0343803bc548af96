import Foundation
import Kube
import KubeEmulator
import Manifests
import Sync
import TestSupport
import Testing
import YAML

/// The inventory is the record of what a source owns. A sync that cannot read it must change
/// nothing — no apply, no prune, no new inventory — however the read failed, and the next sync
/// that can read it prunes what left git.
@Suite(.offThePool, .tags(.endToEnd)) struct InventoryFaultTests {
    static let inventory = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "sluice-inventory-remote")

    /// No ConfigMaps in git: the only ConfigMap reads a sync makes are the inventory's, so a fault
    /// on ConfigMap reads hits exactly them.
    func source() async throws -> SyncHarness {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.service("a"))
        try h.write("b.yaml", M.service("b"))
        try h.write("sa.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: runner, namespace: apps}\n")
        try h.commit("namespace, two services, a service account")
        let first = try await h.sluice("sync", ["--once"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        try h.git.remove("b.yaml")
        try h.commit("service b leaves git")
        return h
    }

    func stored(_ h: SyncHarness) async throws -> String {
        try JSON.serialize(try #require(try await h.client.getIfExists(Self.inventory)))
    }

    @Test(arguments: ["503", "timeout"])
    func aSyncThatCannotReadTheInventoryChangesNothing(_ fault: String) async throws {
        let h = try await source()
        let before = try await stored(h)
        #expect(try Inventory(configMap: try JSON.parse(before)).objects.contains { $0.name == "b" })
        var plan = FaultPlan()
        plan.verbs = ["get"]
        plan.resources = ["configmaps"]
        if fault == "503" {
            plan.errorRate = 1
            plan.statuses = [503]
        } else {
            plan.delay = 3
        }
        h.fx.emulator.faults = plan
        let mark = h.fx.emulator.requests.count
        let sync = try await h.sluice("sync", ["--once", "--request-timeout", "1s"])
        h.fx.emulator.faults = FaultPlan()

        #expect(sync.status == 1, "\(sync.stdout)\(sync.stderr)")
        #expect(sync.stderr.contains("cannot read the inventory ConfigMap default/sluice-inventory-remote"), "\(sync.stderr)")
        #expect(sync.stderr.contains("nothing was applied, pruned or recorded"), "\(sync.stderr)")
        let reads = h.fx.emulator.requests.dropFirst(mark).filter { $0.resource == "configmaps" && $0.verb == "get" }
        #expect(reads.count >= 2, "the reads were retried: \(reads.count)")
        #expect(h.writes(since: mark).isEmpty, "no apply, no prune, no inventory: \(h.writes(since: mark).map { "\($0.verb) \($0.name ?? "")" })")
        #expect(try await h.get("Service", "b") != nil, "nothing is pruned")
        #expect(try await stored(h) == before, "the inventory ConfigMap is byte-for-byte unchanged")

        // The next sync that can read it prunes what left git.
        let next = try await h.sluice("sync", ["--once"])
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(next.stdout.contains("Service apps/b pruned"))
        #expect(try await h.get("Service", "b") == nil)
        let after = try Inventory(configMap: try #require(try await h.client.getIfExists(Self.inventory)))
        #expect(after.objects.map(\.name).sorted() == ["a", "apps", "runner"])
        await h.stop()
    }

    @Test func aDamagedInventoryIsReportedAndNotOverwritten() async throws {
        let h = try await source()
        _ = try await h.client.mergePatch(Self.inventory, ["data": ["inventory.json": "{\"source\":\"remote\",\"objects\":\"many\"}"]], fieldManager: "someone")
        let before = try await stored(h)
        let mark = h.fx.emulator.requests.count
        let sync = try await h.sluice("sync", ["--once"])
        #expect(sync.status == 1)
        #expect(sync.stderr.contains("the inventory in ConfigMap default/sluice-inventory-remote cannot be read: objects: expected a list"), "\(sync.stderr)")
        #expect(h.writes(since: mark).isEmpty)
        #expect(try await stored(h) == before)
        #expect(try await h.get("Service", "b") != nil)
        await h.stop()
    }
}
