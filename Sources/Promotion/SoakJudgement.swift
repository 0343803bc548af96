public import Rollout
import Values

/// The SLOs of a version judged over its soak (one look, the whole soak as the window): a
/// verdict only when every SLO has one.
public enum SoakJudgement {
    public static func verdict(_ checks: [SLOCheck], window: Double) -> SoakVerdict {
        let over = "over \(DurationText.format(window))"
        if let failed = checks.first(where: { $0.outcome == .fail }) { return .failing("\(failed.slo): \(failed.message) \(over)") }
        if let broken = checks.first(where: { $0.outcome == .error }) { return .unavailable("\(broken.slo): \(broken.message)") }
        if let open = checks.first(where: { $0.outcome == .noData }) { return .notEnoughEvidence("\(open.slo): \(open.message) \(over)") }
        if checks.isEmpty { return .notEnoughEvidence("no SLO to judge the soak by") }
        return .passing(checks.map { "\($0.slo) \($0.message)" }.joined(separator: "; ") + " \(over)")
    }
}
