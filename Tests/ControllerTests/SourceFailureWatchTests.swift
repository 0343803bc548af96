import Controller
import Foundation
import Logging
import Notifications
import Sync
import Testing

/// A failing source is announced once when it starts failing, not at every poll.
@Suite struct SourceFailureWatchTests {
    @Test func aSourceThatStartsFailingIsAnnouncedOnceAndAgainAfterItRecovers() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let hub = NotificationHub(metrics: nil, logger: logger)
        let watch = SourceFailureWatch(hub: hub)
        let failed = SourceStatus(sync: .failed, health: .degraded, commit: "abc", commitMessage: nil, time: "", message: "fetching: host unreachable")
        let synced = SourceStatus(sync: .synced, health: .healthy, commit: "abc", commitMessage: nil, time: "")
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        for i in 0..<3 { await watch.observed("team-a.models", objectKind: "GitSource", namespace: "team-a", status: failed, now: t + Double(i)) }
        await watch.observed("team-a.models", objectKind: "GitSource", namespace: "team-a", status: synced, now: t + 10)
        await watch.observed("team-a.models", objectKind: "GitSource", namespace: "team-a", status: failed, now: t + 20)
        let recent = await hub.recentEvents
        #expect(recent.map(\.kind) == [.syncFailed, .syncFailed], "once per failure, not per poll: \(recent.map(\.id))")
        #expect(recent.first?.message == "fetching: host unreachable" && recent.first?.namespace == "team-a")
    }
}
