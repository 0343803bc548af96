import Foundation
import HTTP
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

/// Several `sluice run` replicas against one cluster, as a Deployment with replicas > 1 runs them:
/// exactly one acts, a follower takes over from a leader that dies, and a leader that is told to
/// stop hands the lease over at once.
@Suite(.offThePool, .tags(.endToEnd)) struct HighAvailabilityTests {
    typealias M = ManifestText
    static let lease = 4.0
    static let retry = 0.5

    struct Replica {
        let name: String
        let process: BackgroundProcess
        let port: Int
    }

    func start(_ h: SyncHarness, _ name: String) throws -> Replica {
        let port = freePort()
        let process = try SluiceBinary.start(
            [
                "run", "--kubeconfig", h.kubeconfig, "--cache-dir", h.dir.file("cache-\(name)"), "--repo", h.daemon.url, "--interval", "1s",
                "--listen", "127.0.0.1:\(port)", "--inventory-namespace", "default", "--lease-duration", "\(Int(Self.lease))s",
                "--renew-deadline", "3s", "--retry-period", "\(Self.retry)s", "--log-level", "debug",
            ], environment: ["POD_NAME": name])
        return Replica(name: name, process: process, port: port)
    }

    /// The replica named in the lease (identities are `<POD_NAME>_<random>`).
    func holder(_ h: SyncHarness) async throws -> String? {
        let lease = try await h.client.getIfExists(
            ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "default", name: "sluice-leader"))
        guard let id = lease?[path: ["spec", "holderIdentity"]]?.stringValue, !id.isEmpty else { return nil }
        return id.split(separator: "_").first.map(String.init)
    }

    /// Which replicas made the cluster-changing requests (lease bookkeeping aside) since `index`.
    func writers(_ h: SyncHarness, since index: Int) -> [String: Int] {
        var out: [String: Int] = [:]
        for r in h.writes(since: index) where r.resource != "leases" {
            let agent = r.userAgent ?? ""
            let name = agent.split(separator: "(").last?.split(separator: "_").first.map(String.init) ?? agent
            out[name, default: 0] += 1
        }
        return out
    }

    /// Lease requests by the replica named `name` that reached the API.
    func leaseRequests(_ h: SyncHarness, by name: String) -> Int {
        h.fx.emulator.requests.filter { $0.resource == "leases" && !$0.injected && ($0.userAgent ?? "").contains("(\(name)_") }.count
    }

    /// Waits until the leader has finished two more sync passes and every other running replica
    /// asked for the lease twice more: a window, in the replicas' own work, in which a second
    /// writer would have shown.
    func waitForTwoRounds(_ h: SyncHarness, _ replicas: [Replica], leader: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let lead = try #require(replicas.first { $0.name == leader }, sourceLocation: sourceLocation)
        let others = replicas.filter { $0.name != leader && $0.process.isRunning }
        let passes = await reconcilePasses(port: lead.port, controller: "sync")
        let asked = others.map { leaseRequests(h, by: $0.name) }
        try await eventually("two more rounds of \(leader) and its followers", timeout: 30, sourceLocation: sourceLocation) {
            guard await reconcilePasses(port: lead.port, controller: "sync") >= max(passes, 0) + 2 else { return false }
            return zip(others, asked).allSatisfy { leaseRequests(h, by: $0.name) >= $1 + 2 }
        }
    }

    func get(_ port: Int, _ path: String) async throws -> (Int, String) {
        let http = HTTPClient()
        defer { http.shutdown() }
        let r = try await http.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)\(path)"))
        return (r.status, String(decoding: r.body, as: UTF8.self))
    }

    @Test func aFollowerTakesOverFromAKilledLeaderAndNothingIsAppliedTwice() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.configMap("a", ["v": "1"]))
        try h.commit("one")
        let replicas = try ["alpha", "beta"].map { try start(h, $0) }
        try await eventually("first sync", timeout: 30) { try await h.get("ConfigMap", "a") != nil }
        let leaderName = try #require(try await holder(h))
        try await waitForTwoRounds(h, replicas, leader: leaderName)
        let leader = try #require(replicas.first { $0.name == leaderName })
        let follower = try #require(replicas.first { $0.name != leaderName })
        #expect(writers(h, since: 0).keys.sorted() == [leaderName], "only the leader wrote: \(writers(h, since: 0))")

        // Both are ready (one leading, one standing by); the metrics say which is which.
        let (readyLeader, leaderText) = try await get(leader.port, "/readyz")
        let (readyFollower, followerText) = try await get(follower.port, "/readyz")
        #expect(readyLeader == 200 && leaderText.contains("leading"))
        #expect(readyFollower == 200 && followerText.contains("standby"))
        #expect(try await get(leader.port, "/metrics").1.contains("sluice_leader 1"))
        #expect(try await get(follower.port, "/metrics").1.contains("sluice_leader 0"))

        // kill -9: no lease release, the follower must wait the lease out.
        let killedAt = Date()
        let killIndex = h.fx.emulator.requests.count
        leader.process.signal(SIGKILL)
        try h.write("a.yaml", M.configMap("a", ["v": "2"]))
        try h.commit("two")
        try await eventually("the follower holds the lease", timeout: 20) { try await holder(h) == follower.name }
        let takeover = Date().timeIntervalSince(killedAt)
        #expect(takeover < Self.lease + Self.retry * 1.2 + 1.5, "took over after \(takeover) s")
        try await eventually("the new leader applies the next commit", timeout: 20) { try await h.get("ConfigMap", "a")?[path: ["data", "v"]] == "2" }
        #expect(writers(h, since: killIndex).keys.sorted() == [follower.name], "\(writers(h, since: killIndex))")
        #expect(follower.process.log.contains("became the leader"))
        Attachment.record(String(format: "takeover %.2f s", takeover), named: "takeover")

        follower.process.stop()
        await h.stop()
    }

    @Test func aLeaderStoppedWithSIGTERMReleasesTheLeaseAndExitsZero() async throws {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("a.yaml", M.configMap("a", ["v": "1"]))
        try h.commit("one")
        let replicas = try ["one", "two", "three"].map { try start(h, $0) }
        try await eventually("first sync", timeout: 30) { try await h.get("ConfigMap", "a") != nil }
        let leaderName = try #require(try await holder(h))
        try await waitForTwoRounds(h, replicas, leader: leaderName)
        #expect(writers(h, since: 0).keys.sorted() == [leaderName])
        let leader = try #require(replicas.first { $0.name == leaderName })

        let stoppedAt = Date()
        let status = leader.process.stop(grace: 15)
        #expect(status == 0, "exit status \(status)\n\(leader.process.log.suffix(2000))")
        #expect(Date().timeIntervalSince(stoppedAt) < 10, "stops well within a pod's 30 s grace period")
        #expect(leader.process.log.contains("released the lease"))
        try await eventually("another replica leads", timeout: 10) { try await holder(h).map { $0 != leaderName } ?? false }
        let handover = Date().timeIntervalSince(stoppedAt)
        #expect(handover < Self.lease, "a released lease is taken within a retry period, not a lease duration (\(handover) s)")

        let index = h.fx.emulator.requests.count
        try h.write("a.yaml", M.configMap("a", ["v": "2"]))
        try h.commit("two")
        try await eventually("the new leader applies the next commit", timeout: 20) { try await h.get("ConfigMap", "a")?[path: ["data", "v"]] == "2" }
        let newLeader = try #require(try await holder(h))
        try await waitForTwoRounds(h, replicas, leader: newLeader)
        #expect(writers(h, since: index).keys.sorted() == [newLeader], "exactly one of the two left acts: \(writers(h, since: index))")
        for r in replicas where r.name != leaderName { #expect(r.process.stop(grace: 15) == 0) }
        await h.stop()
    }
}
