import Foundation
import Manifests
import Rollout
import Values

/// `sluice validate --traffic`: for each ModelDeployment, how long its count-based SLOs need for
/// a verdict at that traffic, and a warning when a step may not hold that long (every rollout
/// would end Inconclusive).
enum VerdictTimes {
    struct Line {
        var text: String
        var tooSlow: Bool
    }

    static func lines(in manifests: [Manifest], traffic: Double, errorRate: Double?) -> [Line] {
        manifests.filter { $0.apiVersion == "sluice.dev/v1alpha1" && $0.kind == "ModelDeployment" }.flatMap { m -> [Line] in
            guard case .success(let spec) = ModelDeploymentSpec.parse(m.object, policy: .unrestricted) else { return [] }
            let (limit, limitName) = VerdictEstimate.holdLimit(spec)
            return VerdictEstimate.estimates(spec, traffic: traffic, errorRate: errorRate).map { e in
                let at = String(format: "at %.3g req/s to the canary (%d%% of %.4g req/s)", e.canaryRate, spec.steps.first ?? 100, traffic)
                let needs = String(format: "%@ requests at %.3g%% errors", Judge.count(e.requests), e.errorRate * 100)
                let time = DurationText.format(max(60, (e.seconds / 60).rounded(.up) * 60))
                let tooSlow = e.seconds > limit
                let message =
                    tooSlow
                    ? "SLO \(e.slo): \(at) a verdict needs about \(time) (\(needs)); \(limitName)"
                    : "SLO \(e.slo): a verdict in about \(time) \(at) (\(needs)); \(limitName)"
                return Line(text: ManifestError(m, at: ["spec", "canary"], message).description, tooSlow: tooSlow)
            }
        }
    }
}
