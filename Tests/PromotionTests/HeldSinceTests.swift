import Foundation
import Promotion
import Testing

/// `since` on each environment of a pipeline's status: kept while it is held the same way,
/// reset when its state, gate or version changes.
@Suite struct HeldSinceTests {
    @Test func sinceIsKeptWhileTheHoldIsTheSameAndResetWhenItChanges() {
        var status = PipelineStatus()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        status.update([.blocked("production", .policy, "v2", "outside the window")], observations: [:], now: t0)
        #expect(status.environments.first?.since == t0)
        status.update([.blocked("production", .policy, "v2", "still outside")], observations: [:], now: t0.addingTimeInterval(600))
        #expect(status.environments.first?.since == t0, "the same hold: since the first look")
        status.update([.waiting("production", .approval, "v2", "needs an approval")], observations: [:], now: t0.addingTimeInterval(900))
        #expect(status.environments.first?.since == t0.addingTimeInterval(900), "another gate: since now")
        status.update([.blocked("production", .policy, "v3", "outside the window")], observations: [:], now: t0.addingTimeInterval(1200))
        #expect(status.environments.first?.since == t0.addingTimeInterval(1200), "another version: since now")
    }
}
