import Foundation
import Kube
import KubeEmulator
import LeaderElection
import Logging
import Manifests
import TestSupport
import Testing
import YAML

/// When each candidate was acting as leader, by the candidates' own account.
actor Timeline {
    struct Term {
        var identity: String
        var start: Date
        var end: Date?
    }
    private(set) var terms: [Term] = []

    func begin(_ id: String) { terms.append(Term(identity: id, start: Date())) }
    func end(_ id: String) {
        if let i = terms.lastIndex(where: { $0.identity == id && $0.end == nil }) { terms[i].end = Date() }
    }
    var acting: [String] { terms.filter { $0.end == nil }.map(\.identity) }

    /// Terms of different candidates that overlap in time (there must be none).
    var overlaps: [(Term, Term)] {
        var out: [(Term, Term)] = []
        for (i, a) in terms.enumerated() {
            for b in terms[(i + 1)...] where a.identity != b.identity {
                if a.start < (b.end ?? .distantFuture) && b.start < (a.end ?? .distantFuture) { out.append((a, b)) }
            }
        }
        return out
    }
}

@Suite(.offThePool) struct LeaderElectorTests {
    struct Candidate {
        let id: String
        let elector: LeaderElector
        let client: KubeClient
        let task: Task<Void, Never>
    }

    static func candidate(_ id: String, fx: EmulatorFixture, timeline: Timeline, lease: Double = 2, renew: Double = 1.5, retry: Double = 0.2) throws
        -> Candidate
    {
        let client = KubeClient(
            config: try KubeConfigLoader.fromFiles([try fx.kubeconfigFile()]), retry: .init(attempts: 3, baseDelay: 0.05, maxDelay: 0.2),
            userAgent: "sluice-test (\(id))")
        let elector = LeaderElector(
            client: client,
            configuration: .init(namespace: "default", identity: id, leaseDuration: lease, renewDeadline: renew, retryPeriod: retry),
            logger: Logger(label: "test.\(id)"))
        let task = Task {
            await elector.run {
                await timeline.begin(id)
                // Act until leadership is taken away.
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
                await timeline.end(id)
            }
        }
        return Candidate(id: id, elector: elector, client: client, task: task)
    }

    /// Lease requests each candidate made that reached the API (not refused by a fault): a
    /// window in which "nothing else happens" is measured in the candidates' own attempts.
    static func leaseRequests(_ fx: EmulatorFixture) -> [String: Int] {
        var out: [String: Int] = [:]
        for r in fx.emulator.requests where r.resource == "leases" && !r.injected {
            guard let agent = r.userAgent, let open = agent.lastIndex(of: "("), agent.hasSuffix(")") else { continue }
            out[String(agent[agent.index(after: open)..<agent.index(before: agent.endIndex)]), default: 0] += 1
        }
        return out
    }

    /// Waits until each of `ids` has made `more` lease requests beyond those counted now.
    static func waitForAttempts(_ fx: EmulatorFixture, _ ids: [String], more: Int = 2, timeout: Double = 15) async throws {
        let start = leaseRequests(fx)
        try await eventually("\(ids.joined(separator: ", ")) each asked for the lease \(more) more times", timeout: timeout) {
            let now = leaseRequests(fx)
            return ids.allSatisfy { (now[$0] ?? 0) >= (start[$0] ?? 0) + more }
        }
    }

    func holder(_ client: KubeClient) async throws -> String? {
        try await client.getIfExists(ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "default", name: "sluice-leader"))?[
            path: ["spec", "holderIdentity"]]?.stringValue
    }

    @Test func exactlyOneOfThreeLeadsAndAReleasedLeaseIsTakenAtOnce() async throws {
        let fx = try await EmulatorFixture()
        let timeline = Timeline()
        // A lease long enough that a takeover before it expires can only come from the release,
        // even on a loaded machine.
        let candidates = try ["a", "b", "c"].map { try Self.candidate($0, fx: fx, timeline: timeline, lease: 8, renew: 6) }
        try await eventually("someone leads") { await timeline.acting.count == 1 }
        // Several renewals later, still exactly one, and it is the lease's holder.
        try await Self.waitForAttempts(fx, ["a", "b", "c"], more: 3)
        let acting = await timeline.acting
        #expect(acting.count == 1)
        let leader = try #require(candidates.first { $0.id == acting.first })
        #expect(try await holder(leader.client) == leader.id)
        var leaders = 0
        for c in candidates where await c.elector.isLeader { leaders += 1 }
        #expect(leaders == 1)

        // A leader that shuts down releases the lease: a follower need not wait for it to expire.
        let stopped = Date()
        leader.task.cancel()
        await leader.task.value
        try await eventually("a follower takes over") { await timeline.acting.count == 1 }
        let takeover = Date().timeIntervalSince(stopped)
        #expect(takeover < 8, "took \(takeover) s; the lease lasts 8 s, so only the release explains it")
        #expect(await timeline.acting.first != leader.id)
        #expect(await timeline.overlaps.isEmpty)

        for c in candidates { c.task.cancel() }
        for c in candidates {
            await c.task.value
            c.client.shutdown()
        }
        await fx.stop()
    }

    @Test func aLeaderCutOffFromTheAPIStopsBeforeAnotherStarts() async throws {
        let fx = try await EmulatorFixture()
        let timeline = Timeline()
        // The margin between the renew deadline (a stops) and the lease (b may start) is what
        // keeps them apart: 3.5 s of it survives a loaded two-core CI machine, where tasks can
        // be held back for seconds (the defaults keep 5 s). A renew deadline of 2.5 s: at 1.5 s
        // a loaded run saw a miss its renewals before the cut, and b take over early.
        let a = try Self.candidate("a", fx: fx, timeline: timeline, lease: 6, renew: 2.5)
        try await eventually("a leads") { await timeline.acting == ["a"] }
        let b = try Self.candidate("b", fx: fx, timeline: timeline, lease: 6, renew: 2.5)
        try await Self.waitForAttempts(fx, ["a", "b"])
        #expect(await timeline.acting == ["a"], "b stands by while a renews")

        // Partition a: every request it makes now fails.
        var plan = FaultPlan()
        plan.errorRate = 1
        plan.statuses = [503]
        plan.userAgents = ["(a)"]
        fx.emulator.faults = plan
        let cut = Date()
        try await eventually("b takes over", timeout: 15) { await timeline.acting == ["b"] }
        let takeover = Date().timeIntervalSince(cut)
        // a last renewed at most one retry period and a request before the cut; b waits out
        // the 6 s lease from when it saw that renewal, then retries every 0.2 s.
        #expect(takeover >= 5.5, "b must not take a lease that has not expired (\(takeover) s)")
        #expect(takeover < 6 + 0.2 * 1.2 + 3, "took \(takeover) s")
        let terms = await timeline.terms
        let aEnd = try #require(terms.first { $0.identity == "a" }?.end)
        let bStart = try #require(terms.first { $0.identity == "b" }?.start)
        #expect(aEnd < bStart, "a stopped acting \(bStart.timeIntervalSince(aEnd)) s before b started")
        // a gives up 2.5 s after its last renewal; the ordering above is the safety property,
        // this bound only says a did not linger until the lease ran out.
        #expect(aEnd.timeIntervalSince(cut) <= 2.5 + 3, "a stops within its renew deadline")
        #expect(await timeline.overlaps.isEmpty)

        // The partition heals: a finds b holding the lease and stands by.
        fx.emulator.faults = FaultPlan()
        try await Self.waitForAttempts(fx, ["a", "b"])
        #expect(await timeline.acting == ["b"])
        #expect(await !a.elector.isLeader)

        for c in [a, b] { c.task.cancel() }
        for c in [a, b] {
            await c.task.value
            c.client.shutdown()
        }
        await fx.stop()
    }

    @Test func aLeaderWhoseRenewalHangsStopsAtItsRenewDeadline() async throws {
        // Unlike refused requests, a request the API server sits on does not end by itself: the
        // leader must stop acting at its renew deadline while the renewal is still in flight.
        let fx = try await EmulatorFixture()
        let timeline = Timeline()
        let a = try Self.candidate("a", fx: fx, timeline: timeline, lease: 4, renew: 1.5)
        try await eventually("a leads") { await timeline.acting == ["a"] }
        var plan = FaultPlan()
        plan.delay = 20
        plan.userAgents = ["(a)"]
        fx.emulator.faults = plan
        let cut = Date()
        try await eventually("a stops", timeout: 15) { await timeline.acting.isEmpty }
        let stopped = Date().timeIntervalSince(cut)
        // a last renewed at most one retry period (0.2 s) before the cut and gives up 1.5 s
        // after that; 4 s more is room for a loaded machine, and still far below the 20 s the
        // stuck request takes.
        #expect(stopped <= 1.5 + 4, "a stopped \(stopped) s after its requests began to hang")
        try await eventually("a no longer counts itself the leader") { await !a.elector.isLeader }

        fx.emulator.faults = FaultPlan()
        a.task.cancel()
        await a.task.value
        a.client.shutdown()
        await fx.stop()
    }

    @Test func aLeaderStopsAtItsRenewDeadlineNotARetryPeriodLater() async throws {
        // A retry period close to the renew deadline: after a failed renewal, a leader that
        // slept a whole retry period before looking at its deadline would act on for up to 4 s
        // past it (stopping about 8.2 s after its last renewal instead of 5 s).
        let fx = try await EmulatorFixture()
        let timeline = Timeline()
        let a = try Self.candidate("a", fx: fx, timeline: timeline, lease: 10, renew: 5, retry: 4)
        try await eventually("a leads") { await timeline.acting == ["a"] }
        var plan = FaultPlan()
        plan.errorRate = 1
        plan.statuses = [503]
        plan.userAgents = ["(a)"]
        fx.emulator.faults = plan
        // Another client still reads the lease: its renewTime is when a's last renewal began.
        let reader = KubeClient(config: try KubeConfigLoader.fromFiles([try fx.kubeconfigFile()]), userAgent: "sluice-test (reader)")
        let lease = try #require(
            try await reader.getIfExists(ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "default", name: "sluice-leader")))
        let renewed = try #require(
            lease[path: ["spec", "renewTime"]]?.stringValue.flatMap { try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0) })
        try await eventually("a stops", timeout: 20) { await timeline.acting.isEmpty }
        let aEnd = try #require(await timeline.terms.first?.end)
        let after = aEnd.timeIntervalSince(renewed)
        #expect(after >= 5 - 0.1, "a gave up \(after) s after its last renewal, before its deadline")
        #expect(after <= 5 + 2, "a acted \(after) s after its last renewal; its renew deadline is 5 s")

        fx.emulator.faults = FaultPlan()
        a.task.cancel()
        await a.task.value
        a.client.shutdown()
        reader.shutdown()
        await fx.stop()
    }

    @Test func theLeaseIsACompareAndSwapNotALastWriterWins() async throws {
        // Many candidates start at the same instant against a fresh cluster: exactly one wins.
        let fx = try await EmulatorFixture()
        let timeline = Timeline()
        // A lease far longer than the test, so that only the race for it can make a second leader.
        let candidates = try (0..<6).map { try Self.candidate("c\($0)", fx: fx, timeline: timeline, lease: 10, renew: 6) }
        try await eventually("someone leads") { await timeline.acting.count == 1 }
        try await Self.waitForAttempts(fx, (0..<6).map { "c\($0)" })
        #expect(await timeline.acting.count == 1)
        #expect(await timeline.terms.count == 1, "nobody else ever acted")
        for c in candidates { c.task.cancel() }
        for c in candidates {
            await c.task.value
            c.client.shutdown()
        }
        await fx.stop()
    }
}
