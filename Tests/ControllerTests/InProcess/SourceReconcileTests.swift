import ClusterSync
import Controller
import DesiredState
import Foundation
import Kube
import Logging
import Manifests
import Sync
import TestSupport
import Testing

/// The source controller in process: a real git repository (libgit2 on a local remote), the
/// emulator's API without a socket behind the recorder, and each reconcile called by the test,
/// which asserts what it wrote.
@Suite(.offThePool) struct SourceReconcileTests {
    final class Fixture: Sendable {
        let cluster: InProcessCluster
        let git: GitFixture
        let cache = TemporaryDirectory(prefix: "sluice-src-cache")
        let controller: SourceController
        let statuses = LockedBox<[SourceStatus]>([])

        init() async throws {
            cluster = try InProcessCluster()
            try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: apps}\n")
            git = try GitFixture()
            var logger = Logger(label: "test.source")
            logger.logLevel = .critical
            let source = GitSource(spec: GitSourceSpec(url: git.bare, path: "apps"), cacheDirectory: cache.path)
            let syncer = Syncer(client: cluster.api, options: SyncOptions(source: "apps", inventoryNamespace: "default"))
            let statuses = self.statuses
            controller = SourceController(
                name: "apps", git: source, syncer: syncer, interval: 3600, logger: logger, onStatus: { _, s in statuses.withValue { $0.append(s) } })
        }

        static func configMap(_ name: String, _ value: String) -> String {
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(name), namespace: apps}\ndata: {v: \"\(value)\"}\n"
        }

        /// ConfigMaps with these names (value "1") committed and synced, the recorder cleared.
        func synced(_ names: [String]) async throws {
            for name in names { try git.write("apps/\(name).yaml", Self.configMap(name, "1")) }
            _ = try git.commit(names.joined(separator: " and "))
            await controller.reconcile()
            _ = takeWrites()
        }

        /// The source's inventory as stored, read outside the recorder.
        func inventory() async throws -> Inventory? {
            try await Syncer(client: cluster.client, options: SyncOptions(source: "apps", inventoryNamespace: "default")).loadInventory()
        }

        /// What changed the cluster, one line each (dry runs and reads left out). Objects of one
        /// wave are applied concurrently, so their order is not asserted: sorted, with the
        /// inventory (always written last) kept last.
        func takeWrites() -> [String] {
            defer { cluster.api.clearCalls() }
            let writes = cluster.api.writes.map(\.description)
            let inventory = writes.filter { $0.contains("sluice-inventory-") }
            #expect(inventory.isEmpty || writes.last == inventory.last, "the inventory is written after everything else")
            return writes.filter { !$0.contains("sluice-inventory-") }.sorted() + inventory
        }
    }

    @Test func aCommitIsAppliedThenALeftObjectIsPrunedAndTheInventoryRecordsIt() async throws {
        let f = try await Fixture()
        try f.git.write("apps/a.yaml", Fixture.configMap("a", "1"))
        try f.git.write("apps/b.yaml", Fixture.configMap("b", "1"))
        _ = try f.git.commit("a and b")
        await f.controller.reconcile()
        #expect(f.takeWrites() == ["apply ConfigMap apps/a", "apply ConfigMap apps/b", "apply ConfigMap default/sluice-inventory-apps"])
        #expect(f.statuses.value.last?.sync == .synced)

        await f.controller.reconcile()
        #expect(f.takeWrites().isEmpty, "the same commit again costs a fetch, and writes nothing")

        try f.git.remove("apps/b.yaml")
        try f.git.write("apps/a.yaml", Fixture.configMap("a", "2"))
        _ = try f.git.commit("b leaves, a changes")
        await f.controller.reconcile()
        #expect(f.takeWrites() == ["apply ConfigMap apps/a", "delete ConfigMap apps/b", "apply ConfigMap default/sluice-inventory-apps"])
        let inventory = try await f.inventory()
        #expect(inventory?.objects.map(\.name) == ["a"])
    }

    /// The plan and the apply decide on one read of the inventory (it was read twice a pass).
    @Test func aSyncPassReadsTheInventoryOnce() async throws {
        let f = try await Fixture()
        try await f.synced(["a", "b"])
        try f.git.remove("apps/b.yaml")
        try f.git.write("apps/a.yaml", Fixture.configMap("a", "2"))
        _ = try f.git.commit("b leaves, a changes")
        await f.controller.reconcile()
        let reads = f.cluster.api.calls.filter { $0.verb == .get && $0.name == "sluice-inventory-apps" }
        #expect(reads.count == 1, "\(reads)")
        #expect(f.takeWrites() == ["apply ConfigMap apps/a", "delete ConfigMap apps/b", "apply ConfigMap default/sluice-inventory-apps"])
    }

    /// An inventory that cannot be read stops the pass: nothing applied, pruned or recorded.
    @Test func anUnreadableInventoryStopsThePass() async throws {
        let f = try await Fixture()
        try await f.synced(["a", "b"])
        try f.git.remove("apps/b.yaml")
        _ = try f.git.commit("b leaves")
        f.cluster.api.failWhen(with: InterceptedKubeAPI.serverError(500)) { $0.verb == .get && $0.name == "sluice-inventory-apps" }
        await f.controller.reconcile()
        #expect(f.takeWrites().isEmpty)
        let status = try #require(f.statuses.value.last)
        #expect(status.sync == .failed && status.errors.contains { $0.contains("cannot read the inventory") }, "\(status.errors)")
    }

    @Test func aFileThatDoesNotParseAppliesTheRestAndPrunesNothing() async throws {
        let f = try await Fixture()
        try await f.synced(["a", "b"])

        try f.git.write("apps/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b\n")
        try f.git.write("apps/a.yaml", Fixture.configMap("a", "2"))
        _ = try f.git.commit("a typo in b")
        await f.controller.reconcile()
        let writes = f.takeWrites()
        #expect(!writes.contains { $0.hasPrefix("delete") }, "b's file did not parse: b is not pruned (\(writes))")
        #expect(try await f.cluster.client.getIfExists(.init(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "b")) != nil)
        let status = try #require(f.statuses.value.last)
        #expect(status.sync == .failed && status.errors.contains { $0.contains("apps/b.yaml") }, "\(status.errors)")
    }

    @Test func aServerErrorOnApplyPrunesNothingAndKeepsTheInventory() async throws {
        let f = try await Fixture()
        try await f.synced(["a", "b"])

        try f.git.remove("apps/b.yaml")
        try f.git.write("apps/a.yaml", Fixture.configMap("a", "2"))
        _ = try f.git.commit("b leaves, a changes")
        // The dry run passes; the apply itself fails.
        f.cluster.api.failWhen(with: InterceptedKubeAPI.serverError(500)) { $0.verb == .apply && $0.name == "a" && !$0.dryRun }
        await f.controller.reconcile()
        #expect(f.takeWrites() == ["apply ConfigMap apps/a", "apply ConfigMap default/sluice-inventory-apps"], "no prune after a failed apply")
        let inventory = try await f.inventory()
        #expect(inventory?.objects.map(\.name) == ["a", "b"], "b stays owned, to be pruned once the apply goes through")
        #expect(f.statuses.value.last?.sync == .failed)

        await f.controller.reconcile()
        #expect(
            f.takeWrites() == ["apply ConfigMap apps/a", "delete ConfigMap apps/b", "apply ConfigMap default/sluice-inventory-apps"],
            "the next pass finishes it")
    }

    @Test func aFailedDryRunAppliesNothing() async throws {
        let f = try await Fixture()
        try await f.synced(["a"])
        try f.git.write("apps/a.yaml", Fixture.configMap("a", "2"))
        try f.git.write("apps/c.yaml", Fixture.configMap("c", "1"))
        _ = try f.git.commit("a changes, c arrives")
        f.cluster.api.failWhen(with: InterceptedKubeAPI.serverError(500)) { $0.verb == .apply && $0.name == "c" && $0.dryRun }
        await f.controller.reconcile()
        #expect(f.takeWrites() == ["apply ConfigMap default/sluice-inventory-apps"], "only the inventory's status says why")
        #expect(f.statuses.value.last?.sync == .failed)
    }

    @Test func anInventoryThatCannotBeReadStopsTheSyncBeforeAnyWrite() async throws {
        let f = try await Fixture()
        try await f.synced(["a"])
        try f.git.write("apps/a.yaml", Fixture.configMap("a", "2"))
        _ = try f.git.commit("a changes")
        f.cluster.api.failWhen(times: 100, with: InterceptedKubeAPI.serverError(503)) { $0.verb == .get && $0.name == "sluice-inventory-apps" }
        await f.controller.reconcile()
        #expect(f.takeWrites().isEmpty, "not knowing what it owns, the source changes nothing")
        #expect(f.statuses.value.last?.errors.first?.contains("cannot read the inventory") == true)
    }

    @Test func eachKeyIsItsOwnKindOfPass() async throws {
        let f = try await Fixture()
        try await f.synced(["a", "b"])

        let poll = try await f.controller.reconcile(SourceController.Key.poll)
        #expect(f.takeWrites().isEmpty, "a poll that finds the same commit writes nothing")
        #expect(!poll.failed)
        let next = try #require(poll.requeueAfter, "a poll is requeued")
        #expect((3600 * 0.9...3600 * 1.1).contains(next), "every interval, with jitter: \(next)")

        let resync = try await f.controller.reconcile(SourceController.Key.resync)
        #expect(f.takeWrites() == ["apply ConfigMap default/sluice-inventory-apps"], "a resync syncs the same commit again")
        #expect(resync == .done, "a resync is not requeued: the poll key carries the timer")

        // Someone edits a in the cluster; the drift watch reports it.
        let before = try #require(try await f.inventory())
        try await f.cluster.apply(Fixture.configMap("a", "edited"), fieldManager: "kubectl-edit")
        await f.controller.trigger(.drift([ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "a").key]))
        _ = try await f.controller.reconcile(SourceController.Key.heal)
        #expect(f.takeWrites() == ["apply ConfigMap apps/a", "apply ConfigMap default/sluice-inventory-apps"], "only the drifted object is re-applied")
        let inventory = try #require(try await f.inventory())
        #expect(inventory.objects.map(\.name) == ["a", "b"], "a heal keeps everything the source owns")
        #expect(inventory.url == before.url && inventory.path == before.path, "and where it comes from")
        let a = try await f.cluster.client.getIfExists(.init(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "a"))
        #expect(a?[path: ["data", "v"]]?.stringValue == "1")

        _ = try await f.controller.reconcile(SourceController.Key.heal)
        #expect(f.takeWrites().isEmpty, "the drifted set was taken by the first heal")
    }

    @Test func aFailedFetchIsCountedAsAFailureAndPolledAgainNotBackedOff() async throws {
        let f = try await Fixture()
        try await f.synced(["a"])
        try FileManager.default.moveItem(atPath: f.git.bare, toPath: f.git.bare + ".moved")

        let result = try await f.controller.reconcile(SourceController.Key.poll)
        #expect(result.failed)
        #expect(result.requeueAfter != nil, "tried again at the next poll")
        #expect(f.takeWrites().isEmpty)
        let status = try #require(f.statuses.value.last)
        #expect(status.errors.first?.contains("git fetch failed") == true, "\(status.errors)")
        #expect(status.commit != nil, "the last applied commit is kept in status")
    }
}

/// Secrets a source applies are read back one by one at each poll, never listed or watched: a
/// source needs no right to list every Secret, and an edited one is still put back.
@Suite(.offThePool) struct SecretDriftTests {
    @Test func anEditedSecretIsHealedAtThePollWithoutAWatch() async throws {
        let f = try await SourceReconcileTests.Fixture()
        try f.git.write("apps/s.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: apps}\nstringData: {password: from-git}\n")
        try f.git.write("apps/a.yaml", SourceReconcileTests.Fixture.configMap("a", "1"))
        _ = try f.git.commit("a secret and a config map")
        await f.controller.reconcile()
        let ref = ObjectReference(apiVersion: "v1", kind: "Secret", namespace: "apps", name: "creds")
        let applied = try #require(try await f.cluster.client.getIfExists(ref)?[path: ["data", "password"]])
        try await eventually("other kinds are watched", timeout: 20) { f.cluster.api.calls.contains { $0.verb == .watch && $0.kind == "ConfigMap" } }
        #expect(!f.cluster.api.calls.contains { ($0.verb == .watch || $0.verb == .list) && $0.kind == "Secret" }, "Secrets are not listed or watched")
        _ = f.takeWrites()

        _ = try await f.cluster.client.mergePatch(ref, ["data": ["password": .string(Data("by-hand".utf8).base64EncodedString())]], fieldManager: "kubectl")
        await f.controller.reconcile()
        #expect(f.takeWrites().contains("apply Secret apps/creds"))
        #expect(try await f.cluster.client.getIfExists(ref)?[path: ["data", "password"]] == applied)
        await f.controller.reconcile()
        #expect(f.takeWrites().isEmpty, "an unchanged Secret costs a read and a dry run, no write")
    }
}
