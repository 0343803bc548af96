import Foundation
import Rollout

/// What every simulated canary does the same way: v1 stable, v2 just committed; each look
/// judged as the controller judges it (the confidence shared by the SLOs, the judge's state
/// carried from look to look in the status); and how the machine's status ends a run.
enum SimulatedRollout {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// The status once v2's canary has started against a stable v1.
    static func begin(_ spec: ModelDeploymentSpec) -> RolloutStatus {
        var stableSpec = spec
        stableSpec.version = "v1"
        stableSpec.image = "reg/m:1"
        var status = RolloutStatus()
        status.stable = VersionSpec(stableSpec)
        status.phase = .succeeded
        return RolloutMachine.next(status, Observation(now: start, spec: spec, stable: .ready, canary: .ready)).status
    }

    /// This look's checks, `measure` giving each SLO's canary and stable measurements.
    static func analyze(_ spec: ModelDeploymentSpec, _ status: RolloutStatus, measure: (SLO) -> (SLOMeasurement, SLOMeasurement)) -> [SLOCheck] {
        let confidence = Judge.confidence(spec.confidence, sharedBy: spec.slos)
        return spec.slos.map { slo in
            let (canary, stable) = measure(slo)
            return Judge.evaluate(slo, canary: canary, stable: stable, confidence: confidence, state: status.judge[slo.name] ?? JudgeState())
        }
    }

    /// Promoted or rolled back, once the status says so; nil while it runs.
    static func ended(_ status: RolloutStatus) -> RunResult.Outcome? {
        if status.stableVersion == "v2" { return .promoted }
        if status.isFailed("v2") { return .rolledBack }
        return nil
    }
}

extension IntervalCounts {
    /// The counts as an evidence SLO's queries return them (nil: a threshold SLO's value).
    func measurement(_ slo: SLO) -> SLOMeasurement? {
        switch slo.measure {
        case .rate: .rate(events: .value(Double(errors)), total: .value(Double(requests)))
        case .latency: .counts(.series(histogram))
        case .distribution: .counts(.series(predictions))
        case .value: nil
        }
    }
}
