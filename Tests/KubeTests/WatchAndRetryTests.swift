import Foundation
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

let crdYAML = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
      versions:
      - name: v1
        served: true
        storage: true
        subresources: {status: {}}
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                properties:
                  size: {type: integer, minimum: 1, default: 3}
                  color: {type: string, enum: [red, blue]}
              status: {type: object, x-kubernetes-preserve-unknown-fields: true}
    """

@Suite(.offThePool) struct DiscoveryAndWatchTests {
    @Test func discoveryIsCachedAndRefreshedForNewCRDs() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        _ = try await client.get(ref("Namespace", "default", namespace: nil))
        _ = try await client.get(ref("Namespace", "kube-system", namespace: nil))
        _ = try await client.list(apiVersion: "v1", kind: "ConfigMap", namespace: nil)
        #expect(await client.discovery.fetches == 1, "one group-version fetched once")

        await #expect { try await client.get(ref("Widget", "w", apiVersion: "example.com/v1")) } throws: { ($0 as? KubeError)?.reason == .unknownKind }
        _ = try await client.apply(try YAML.parse(crdYAML), fieldManager: "test")
        // Established after a moment; the first miss after that refreshes discovery.
        try await eventually("the CRD served", timeout: 5) {
            (try? await client.discovery.resource(apiVersion: "example.com/v1", kind: "Widget")) != nil
        }
        let widget = try await client.apply(
            ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w1"], "spec": ["color": "red"]], fieldManager: "test")
        #expect(widget[path: ["spec", "size"]] == 3, "schema defaults apply")
        await #expect {
            try await client.apply(
                ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w2"], "spec": ["color": "green"]], fieldManager: "test")
        } throws: {
            ($0 as? KubeError)?.isInvalid == true
        }
        await fx.stop()
    }

    @Test func watchDeliversEventsAndBookmarks() async throws {
        let fx = try await EmulatorFixture { $0.bookmarkInterval = 0.2 }
        let client = try fx.client()
        _ = try await client.create(configMap("before"))
        let start = try await client.list(apiVersion: "v1", kind: "ConfigMap", namespace: "default")
        let stream = try await client.watch(
            apiVersion: "v1", kind: "ConfigMap", namespace: "default", options: WatchOptions(resourceVersion: start.resourceVersion))
        let collector = Task {
            var seen: [(WatchEvent.Kind, String)] = []
            for try await e in stream {
                seen.append((e.kind, e.object[path: ["metadata", "name"]]?.stringValue ?? ""))
                if seen.filter({ $0.0 != .bookmark }).count == 3 && seen.contains(where: { $0.0 == .bookmark }) { break }
            }
            return seen
        }
        _ = try await client.create(configMap("w", labels: ["a": "1"]))
        _ = try await client.mergePatch(ref("ConfigMap", "w"), ["data": ["x": "y"]])
        _ = try await client.delete(ref("ConfigMap", "w"))
        let seen = try await collector.value
        #expect(seen.filter { $0.0 != .bookmark }.map { "\($0.0.rawValue) \($0.1)" } == ["ADDED w", "MODIFIED w", "DELETED w"])
        #expect(seen.contains { $0.0 == .bookmark })
        await fx.stop()
    }

    @Test func tooOldResourceVersionIsGone() async throws {
        let fx = try await EmulatorFixture { $0.watchHistory = 5 }
        let client = try fx.client()
        let start = try await client.list(apiVersion: "v1", kind: "ConfigMap", namespace: "default").resourceVersion
        for i in 0..<10 { _ = try await client.create(configMap("c\(i)")) }
        let stream = try await client.watch(apiVersion: "v1", kind: "ConfigMap", namespace: "default", options: WatchOptions(resourceVersion: start))
        do {
            for try await _ in stream {}
            Issue.record("no error for a compacted resourceVersion")
        } catch let e as KubeError {
            #expect(e.isGone)
        }
        await fx.stop()
    }

    @Test func aTransformShrinksTheCacheButNotTheEvents() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        let informer = Informer(client: client, apiVersion: "v1", kind: "ConfigMap", namespace: "default", transform: InformerTransform.metadataOnly)
        let events = await informer.events()
        let run = Task { await informer.run() }
        await informer.waitUntilSynced()
        _ = try await client.create(configMap("big", labels: ["team": "a"]))
        var iterator = events.makeAsyncIterator()
        let event = try #require(await iterator.next())
        #expect(event.object["data"] != nil, "subscribers see the whole object")
        let cached = try #require(await informer.get(namespace: "default", name: "big"))
        #expect(cached["data"] == nil && cached[path: ["metadata", "managedFields"]] == nil)
        #expect(cached[path: ["metadata", "resourceVersion"]] != nil)
        #expect(await informer.list(labels: ["team": "a"]).count == 1, "labels are kept for the index")
        run.cancel()
        await fx.stop()
    }

    @Test func aSubscriberKeepsOnlyWhatItNeedsOfEachEvent() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        for i in 0..<700 { _ = try await client.create(configMap(i % 100 == 0 ? "keep-\(i)" : "cm-\(i)", labels: ["team": "a"], data: ["k": "v"])) }
        let informer = Informer(client: client, apiVersion: "v1", kind: "ConfigMap", namespace: "default")
        let events = await informer.events(keeping: { e in
            e.object[path: ["metadata", "name"]]?.stringValue?.hasPrefix("keep-") == true ? e.map(InformerTransform.referenceOnly) : nil
        })
        let run = Task { await informer.run() }
        await informer.waitUntilSynced()
        _ = try await client.create(configMap("keep-late", labels: [:]))
        _ = try await client.create(configMap("cm-late", labels: [:]))
        _ = try await client.delete(ref("ConfigMap", "keep-0"))
        var got: [String] = []
        var iterator = events.makeAsyncIterator()
        while got.count < 9, let e = await iterator.next() {
            #expect(e.object["data"] == nil && e.object[path: ["metadata", "resourceVersion"]] == nil, "only the reference is kept")
            #expect(e.object["kind"] == "ConfigMap")
            let name = e.object[path: ["metadata", "name"]]?.stringValue ?? ""
            if case .deleted = e { got.append("deleted \(name)") } else { got.append(name) }
        }
        #expect(got == (0..<7).map { "keep-\($0 * 100)" } + ["keep-late", "deleted keep-0"], "the first list's pages and later changes, filtered, in order")
        #expect(await informer.count == 701, "the cache is not filtered")
        run.cancel()
        await fx.stop()
    }

    @Test func anIdentityCacheGivesBackWhatTheTransformKept() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        let created = try await client.create(configMap("settings", data: ["k": "v"]))
        let namespaces = Informer(client: client, apiVersion: "v1", kind: "Namespace", transform: InformerTransform.identityOnly)
        let configMaps = Informer(client: client, apiVersion: "v1", kind: "ConfigMap", namespace: "default", transform: InformerTransform.identityOnly)
        let runs = [Task { await namespaces.run() }, Task { await configMaps.run() }]
        await namespaces.waitUntilSynced()
        await configMaps.waitUntilSynced()
        #expect(await configMaps.get(namespace: "default", name: "settings") == InformerTransform.identityOnly(created))
        let live = try await client.get(ref("Namespace", "default", namespace: nil))
        #expect(await namespaces.get(namespace: nil, name: "default") == InformerTransform.identityOnly(live))
        #expect(await namespaces.list().contains(InformerTransform.identityOnly(live)))
        for r in runs { r.cancel() }
        await fx.stop()
    }

    @Test func anInformerListsInPages() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        for i in 0..<1_100 { _ = try await client.create(configMap("cm-\(i)", labels: ["team": "a"])) }
        let mark = fx.emulator.requests.count
        let informer = Informer(client: client, apiVersion: "v1", kind: "ConfigMap", namespace: "default", transform: InformerTransform.metadataOnly)
        let run = Task { await informer.run() }
        await informer.waitUntilSynced()
        #expect(await informer.count == 1_100)
        let lists = fx.emulator.requests.dropFirst(mark).filter { $0.verb == "list" }
        #expect(lists.count == 3, "pages of \(Informer.pageSize): \(lists.map(\.query))")
        #expect(lists.allSatisfy { $0.query.contains("limit=\(Informer.pageSize)") })
        #expect(await informer.lists == 1, "one relist, however many pages")
        run.cancel()
        await fx.stop()
    }

    @Test func informerResumesAfterDroppedWatchesAndRelistsOnGone() async throws {
        let fx = try await EmulatorFixture { $0.watchHistory = 20 }
        let client = try fx.client()
        for i in 0..<5 { _ = try await client.create(configMap("seed-\(i)", labels: ["team": i % 2 == 0 ? "a" : "b"])) }
        let informer = Informer(client: client, apiVersion: "v1", kind: "ConfigMap", namespace: "default")
        let run = Task { await informer.run() }
        await informer.waitUntilSynced()
        #expect(await informer.count == 5)
        #expect(await informer.list(labels: ["team": "a"]).count == 3)
        let events = await informer.events()

        // Every watch is cut after 2 events: the informer must resume from where it was.
        var plan = FaultPlan()
        plan.cutWatchAfterEvents = 2
        plan.verbs = ["watch"]
        fx.emulator.faults = plan
        // Force a reconnect under the new plan.
        for i in 0..<6 { _ = try await client.create(configMap("live-\(i)", labels: ["team": "a"])) }
        _ = try await client.delete(ref("ConfigMap", "seed-0"))
        try await eventually("the informer caught up through cut watches", timeout: 30) {
            let count = await informer.count
            let seed = await informer.get(namespace: "default", name: "seed-0")
            return count == 10 && seed == nil
        }
        #expect(await informer.list(labels: ["team": "a"]).count == 8)
        let listsBefore = await informer.lists
        #expect(listsBefore == 1, "dropped watches resume without relisting")
        var got: [String] = []
        var iterator = events.makeAsyncIterator()
        while got.count < 7, let e = await iterator.next() { got.append(e.object[path: ["metadata", "name"]]?.stringValue ?? "") }
        #expect(Set(got) == Set((0..<6).map { "live-\($0)" } + ["seed-0"]))

        // Steady state: no list calls at all while nothing changes.
        fx.emulator.faults = FaultPlan()
        fx.emulator.clearRequests()
        for _ in 0..<20 { _ = await informer.list() }
        // A later change seen through the watch: the informer has settled, without a list.
        _ = try await client.create(configMap("barrier"))
        try await eventually("the watch delivered a later change") { await informer.get(namespace: "default", name: "barrier") != nil }
        #expect(fx.emulator.requests.filter { $0.verb == "list" }.isEmpty)
        run.cancel()
        await fx.stop()
    }

    @Test func informerRelistsWhenItsVersionIsGone() async throws {
        let fx = try await EmulatorFixture { $0.watchHistory = 3 }
        let client = try fx.client()
        // Refuse every watch from the start (faults apply when a request arrives, so a watch
        // opened before the plan would carry the changes below and nothing would be gone), then
        // change more than the history holds.
        var plan = FaultPlan()
        plan.errorRate = 1
        plan.statuses = [503]
        plan.verbs = ["watch"]
        fx.emulator.faults = plan
        let informer = Informer(client: client, apiVersion: "v1", kind: "ConfigMap", namespace: "default")
        let run = Task { await informer.run() }
        await informer.waitUntilSynced()
        for i in 0..<10 { _ = try await client.create(configMap("x\(i)")) }
        fx.emulator.faults = FaultPlan()
        try await eventually("the informer relisted after 410 Gone", timeout: 30) { await informer.count == 10 }
        #expect(await informer.lists >= 2, "a gone resourceVersion forces a relist")
        run.cancel()
        await fx.stop()
    }
}

@Suite(.offThePool) struct RetryTests {
    @Test func transientErrorsAreRetriedWithBackoff() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        var plan = FaultPlan()
        plan.sequence = [503, 500, 429]
        plan.retryAfterSeconds = 0
        fx.emulator.faults = plan
        let got = try await client.get(ref("Namespace", "default", namespace: nil))
        #expect(got["kind"] == "Namespace")
        #expect(fx.emulator.requests.filter(\.injected).count == 3)
        await fx.stop()
    }

    @Test func retryAfterIsHonoured() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client(retry: RetryPolicy(attempts: 3, baseDelay: 0.01, maxDelay: 5))
        _ = try await client.get(ref("Namespace", "default", namespace: nil))
        var plan = FaultPlan()
        plan.sequence = [429]
        plan.retryAfterSeconds = 1
        fx.emulator.faults = plan
        let started = Date()
        _ = try await client.get(ref("Namespace", "default", namespace: nil))
        #expect(Date().timeIntervalSince(started) >= 0.95)
        await fx.stop()
    }

    @Test func retriesAreBoundedAndNonIdempotentWritesAreNotRepeated() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client(retry: RetryPolicy(attempts: 3, baseDelay: 0.01, maxDelay: 0.05))
        _ = try await client.get(ref("Namespace", "default", namespace: nil))
        var plan = FaultPlan()
        plan.errorRate = 1
        plan.statuses = [500]
        fx.emulator.faults = plan
        fx.emulator.clearRequests()
        await #expect { try await client.get(ref("Namespace", "default", namespace: nil)) } throws: { ($0 as? KubeError)?.reason == .serverError }
        #expect(fx.emulator.requests.count == 3)
        fx.emulator.clearRequests()
        await #expect { try await client.create(configMap("once")) } throws: { ($0 as? KubeError)?.code == 500 }
        #expect(fx.emulator.requests.count == 1, "a POST that may have been processed is not sent twice")
        await fx.stop()
    }

    @Test func connectionFailuresAreRetriedThenReported() async throws {
        let port = freePort()
        let client = KubeClient(config: ClusterConfig(server: "http://127.0.0.1:\(port)"), retry: RetryPolicy(attempts: 3, baseDelay: 0.01, maxDelay: 0.02))
        do {
            _ = try await client.getJSON("/api")
            Issue.record("reached a closed port")
        } catch let e as KubeError {
            #expect(e.reason == .transport)
            #expect(e.message.contains("127.0.0.1:\(port)"))
        }
    }

    @Test func clientSideRateLimit() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client(qps: 10)
        var config = client.config
        config.qps = 10
        config.burst = 1
        let limited = KubeClient(config: config)
        let started = Date()
        for _ in 0..<6 { _ = try await limited.getJSON("/api") }
        #expect(Date().timeIntervalSince(started) >= 0.45, "6 requests at 10/s with burst 1 take at least half a second")
        await fx.stop()
    }

    @Test func cancellationAbortsAWatch() async throws {
        let fx = try await EmulatorFixture()
        let client = try fx.client()
        let task = Task {
            let stream = try await client.watch(apiVersion: "v1", kind: "ConfigMap", namespace: "default")
            for try await _ in stream {}
        }
        // Generous timeouts: the whole suite runs in parallel on two cores.
        try await eventually("the watch is open", timeout: 30) { fx.emulator.activeWatches == 1 }
        task.cancel()
        _ = await task.result
        // The emulator notices the closed connection at its next heartbeat (each second).
        try await eventually("the emulator saw the watch close", timeout: 30) { fx.emulator.activeWatches == 0 }
        await fx.stop()
    }
}
