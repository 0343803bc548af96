import Foundation
import Rollout
import Testing
import YAML

/// `Ready` and `Progressing` for every phase, as `kubectl wait --for=condition=Ready` and
/// dashboards read them.
@Suite struct ConditionsTests {
    static func status(_ phase: RolloutStatus.Phase, inconclusive: Bool = false) -> RolloutStatus {
        var s = RolloutStatus()
        s.phase = phase
        s.message = "m"
        if inconclusive { s.inconclusive = InconclusiveVersion(version: "v2", reason: "no answer", time: Date(timeIntervalSince1970: 0)) }
        return s
    }

    @Test(arguments: [
        (status(.pending), "False", "False", "Pending"),
        (status(.progressing), "False", "True", "Progressing"),
        (status(.paused), "False", "True", "Paused"),
        (status(.succeeded), "True", "False", "Succeeded"),
        (status(.rolledBack), "False", "False", "RolledBack"),
        (status(.rolledBack, inconclusive: true), "False", "False", "Inconclusive"),
        (status(.failed), "False", "False", "Failed"),
    ])
    func readyAndProgressingByPhase(status: RolloutStatus, ready: String, progressing: String, reason: String) {
        let c = Conditions.rollout(status, generation: 7)
        #expect(c.map(\.type) == ["Ready", "Progressing"])
        #expect(c[0].status == ready && c[1].status == progressing)
        #expect(c.allSatisfy { $0.reason == reason && $0.message == "m" })
        #expect(c[0].observedGeneration == 7, "Ready says which generation it judged")
    }

    @Test func anUnreadableStatusKeepsTheOtherConditionsAndAddsOneThatSaysSo() {
        let previous: Value = [
            ["type": "Ready", "status": "True", "reason": "Succeeded", "message": "ok", "lastTransitionTime": "2026-01-01T00:00:00Z"],
            "not a condition",
        ]
        let out = Conditions.unreadable(
            StoredStateError(what: "ml/churn", field: "failedVersions", problem: "expected a list"), previous: previous, now: Date(timeIntervalSince1970: 0))
        #expect(out.map { $0["type"]?.stringValue } == ["Ready", "StatusUnreadable"])
        #expect(out[0]["lastTransitionTime"] == "2026-01-01T00:00:00Z", "the others are left as they were")
        #expect(out[1]["status"] == "True" && out[1]["reason"] == "DecodeFailed")
        #expect(out[1]["message"]?.stringValue?.contains("expected a list") == true)
    }
}
