import Foundation
import Notifications
import Promotion
import Testing

@testable import Controller

/// What a ModelPipeline's pass announces: only the records it added.
@Suite struct PipelineNotificationsTests {
    static let t = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aCommittedPromotionAndAnApprovalWaitAreAnnouncedOnce() {
        var before = PipelineStatus()
        before.record(PipelineRecord(time: Self.t, environment: "staging", version: "v1", event: "Promoted", commit: "abc", message: "old"))
        var after = before
        after.record(
            PipelineRecord(
                time: Self.t.addingTimeInterval(60), environment: "production", version: "v2", event: "Promoted", commit: "0123456789abcdef",
                message: "promoted v2"))
        after.record(
            PipelineRecord(time: Self.t.addingTimeInterval(60), environment: "canary-eu", version: "v2", event: "Held", message: "Approval: needs one approval")
        )
        after.record(PipelineRecord(time: Self.t.addingTimeInterval(60), environment: "canary-us", version: "v2", event: "Held", message: "Soak: 10m of 1h"))
        let events = PipelineNotifications.events(before: before, after: after, namespace: "ml", name: "churn", now: Self.t.addingTimeInterval(60))
        #expect(events.map(\.kind) == [.promotionCommitted, .waitingForApproval], "the soak is not announced, nor the old record")
        #expect(events.first?.message == "production: promoted v2 (commit 0123456789ab)")
        #expect(PipelineNotifications.events(before: after, after: after, namespace: "ml", name: "churn", now: Self.t).isEmpty, "nothing new, nothing sent")
    }

    @Test func theRegistryBecomingUnreachableIsAnnouncedWhenItHappens() {
        var before = PipelineStatus()
        before.registry = .init(candidate: "v2", reachable: true, message: "ok")
        var after = before
        after.registry = .init(candidate: nil, reachable: false, message: "MLflow answered HTTP 503")
        #expect(PipelineNotifications.events(before: before, after: after, namespace: "ml", name: "churn", now: Self.t).map(\.kind) == [.registryUnreachable])
        #expect(PipelineNotifications.events(before: after, after: after, namespace: "ml", name: "churn", now: Self.t).isEmpty, "still unreachable: said once")
    }
}
