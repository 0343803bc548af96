import Foundation
import Kube
import Manifests
import Rollout
import TestSupport
import Testing
import YAML

@Suite(.tags(.endToEnd), .serialized) struct CanaryRolloutTests {
    @Test func aGoodVersionWalksEveryStepAndIsPromoted() async throws {
        let h = try await RolloutHarness()
        try h.commitModel(version: "v1", image: "reg/churn:1.0")
        try h.startController()
        try await h.waitFor("v1 stable") {
            let s = await h.status()
            return s.phase == .succeeded && s.stableVersion == "v1"
        }
        #expect(await h.replicas("v1") == 4)

        try h.commitModel(version: "v2", image: "reg/churn:2.0")
        var weights: [Int] = []
        try await h.waitFor("v2 promoted", timeout: 90) {
            let s = await h.status()
            if s.canaryVersion == "v2", weights.last != s.stepWeight { weights.append(s.stepWeight) }
            return s.phase == .succeeded && s.stableVersion == "v2"
        }
        #expect(weights == [5, 25, 50, 100], "\(weights)")
        #expect(await h.deployment("v1") == nil, "the old version's Deployment is removed")
        #expect(await h.replicas("v2") == 4)
        let s = await h.status()
        #expect(s.history.map(\.event).suffix(2) == ["CanaryStarted", "Promoted"])
        #expect(s.sourceRevision?.count == 40)
        // The story is told in Events.
        let events = try await h.sync.client.listAll(apiVersion: "v1", kind: "Event", namespace: "ml").items
        let reasons = Set(events.compactMap { $0["reason"]?.stringValue })
        #expect(reasons.isSuperset(of: ["CanaryStarted", "StepAdvanced", "Promoted"]), "\(reasons)")
        await h.stop()
    }
}
