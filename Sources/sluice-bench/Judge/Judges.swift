import Foundation
import RandomDraws
import Rollout
import YAML

/// The judges compared: Sluice's evidence judge and its former threshold judge (both driving
/// the real `RolloutMachine`), and judges built the way Flagger and Kayenta judge.
enum SimulatedJudge: String, CaseIterable, Sendable {
    case sluice = "Sluice (evidence, 95%)"
    case threshold = "Sluice 0.1 (threshold per look)"
    case flagger = "Flagger-style (threshold per look, no data fails, 5 failed checks)"
    case kayenta = "Kayenta-style (Mann-Whitney over a fixed 8-minute window)"

    func run(_ scenario: Scenario, canaryRate: Double, seed: UInt64) -> RunResult {
        var rng = Seeded(seed)
        switch self {
        case .sluice, .threshold: return MachineRun(self == .sluice, scenario).run(canaryRate: canaryRate, &rng)
        case .flagger: return flagger(scenario, canaryRate: canaryRate, &rng)
        case .kayenta: return kayenta(scenario, canaryRate: canaryRate, &rng)
        }
    }

    /// A failed check when the last interval breaches the threshold or has no data; rollback at
    /// five failed checks; promotion when the steps are walked (8 minutes).
    func flagger(_ scenario: Scenario, canaryRate: Double, _ rng: inout Seeded) -> RunResult {
        var failed = 0
        var elapsed = 0.0
        var requests = 0.0
        while elapsed < Schedule.stepDuration * Double(Schedule.steps.count) {
            elapsed += Schedule.interval
            let c = IntervalCounts.draw(scenario.canary, rate: canaryRate, seconds: Schedule.interval, &rng)
            requests += Double(c.requests)
            if Self.thresholdBreached(scenario, c) ?? true { failed += 1 }
            if failed >= 5 { return RunResult(outcome: .rolledBack, minutes: elapsed / 60, canaryRequests: requests) }
        }
        return RunResult(outcome: .promoted, minutes: elapsed / 60, canaryRequests: requests)
    }

    /// Per-interval values of canary and stable over the whole window, then one one-sided
    /// Mann-Whitney test at 5%: rollback when the canary's are larger.
    func kayenta(_ scenario: Scenario, canaryRate: Double, _ rng: inout Seeded) -> RunResult {
        var canaryValues: [Double] = []
        var stableValues: [Double] = []
        var elapsed = 0.0
        var requests = 0.0
        while elapsed < Schedule.stepDuration * Double(Schedule.steps.count) {
            elapsed += Schedule.interval
            let c = IntervalCounts.draw(scenario.canary, rate: canaryRate, seconds: Schedule.interval, &rng)
            let s = IntervalCounts.draw(VersionBehavior.stable, rate: canaryRate * Schedule.stableTrafficRatio, seconds: Schedule.interval, &rng)
            requests += Double(c.requests)
            if let v = Self.value(scenario, c) { canaryValues.append(v) }  // NaN intervals dropped
            if let v = Self.value(scenario, s) { stableValues.append(v) }
        }
        guard scenario.kind != .drift, canaryValues.count > 1, stableValues.count > 1 else {
            return RunResult(outcome: .promoted, minutes: elapsed / 60, canaryRequests: requests)
        }
        let grid = Array(Set(canaryValues + stableValues)).sorted()
        let binned = { (values: [Double]) in grid.map { g in Double(values.filter { $0 == g }.count) } }
        let test = RankTest.compare(binned(canaryValues), binned(stableValues))
        let p = 1 - SpecialFunctions.normalCDF(test.z())
        return RunResult(outcome: p < 0.05 ? .rolledBack : .promoted, minutes: elapsed / 60, canaryRequests: requests)
    }

    /// The value a threshold judge looks at for one interval (nil: no data).
    static func value(_ scenario: Scenario, _ c: IntervalCounts) -> Double? {
        guard c.requests > 0 else { return nil }
        switch scenario.kind {
        case .rate, .drift: return Double(c.errors) / Double(c.requests)
        case .latency: return c.quantile(Schedule.quantile)
        }
    }

    /// Whether a threshold judge sees a breach (nil: no data). Prediction mixes are not looked
    /// at: no threshold judge compares them.
    static func thresholdBreached(_ scenario: Scenario, _ c: IntervalCounts) -> Bool? {
        guard let v = value(scenario, c) else { return nil }
        return v > (scenario.kind == .latency ? Schedule.latencyMax : Schedule.maxErrorRate)
    }
}

/// A canary driven through the real `RolloutMachine`, judged either on evidence (counts since
/// the canary started) or by threshold (the last interval's value).
struct MachineRun {
    let evidence: Bool
    let scenario: Scenario
    let spec: ModelDeploymentSpec

    init(_ evidence: Bool, _ scenario: Scenario) {
        self.evidence = evidence
        self.scenario = scenario
        spec = Self.spec(evidence: evidence, scenario.kind)
    }

    static func spec(evidence: Bool, _ kind: Scenario.Kind) -> ModelDeploymentSpec {
        var slos: String
        if evidence {
            slos = """
                    - {name: error-rate, errors: e, total: t, max: \(Schedule.maxErrorRate), relativeToStable: 2}

                """
            if kind == .latency { slos = "    - {name: latency, histogram: h, quantile: \(Schedule.quantile), max: \(Schedule.latencyMax)}\n" }
            if kind == .drift { slos += "    - {name: mix, distribution: d, maxDivergence: \(Schedule.maxDivergence)}\n" }
        } else {
            slos =
                "    - {name: \(kind == .latency ? "latency" : "error-rate"), query: q, max: \(kind == .latency ? Schedule.latencyMax : Schedule.maxErrorRate)}\n"
        }
        let text = """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelDeployment
            metadata: {name: m, namespace: ml}
            spec:
              model: {version: v2, image: reg/m:2}
              replicas: 20
              canary:
                steps: \(Schedule.steps)
                stepDuration: \(Int(Schedule.stepDuration))s
                progressDeadline: \(Int(Schedule.horizon))s
                analysis: {interval: \(Int(Schedule.interval))s, failureLimit: 1, errorLimit: 4, minSuccessfulChecks: 2, confidence: 0.95}
                slos:
            \(slos)
            """
        return try! ModelDeploymentSpec.parse(try! YAML.parse(text)).get()
    }

    func run(canaryRate: Double, _ rng: inout Seeded) -> RunResult {
        var status = SimulatedRollout.begin(spec)
        var now = SimulatedRollout.start
        let start = now
        var canary = IntervalCounts()
        var stable = IntervalCounts()
        var firstVerdict: Double?
        while now.timeIntervalSince(start) < Schedule.horizon + Schedule.interval {
            now = now.addingTimeInterval(Schedule.interval)
            let c = IntervalCounts.draw(scenario.canary, rate: canaryRate, seconds: Schedule.interval, &rng)
            let s = IntervalCounts.draw(VersionBehavior.stable, rate: canaryRate * Schedule.stableTrafficRatio, seconds: Schedule.interval, &rng)
            canary.add(c)
            stable.add(s)
            var checks: [SLOCheck]?
            if RolloutMachine.analysisDue(status, spec: spec, now: now, canary: .ready) {
                checks = SimulatedRollout.analyze(spec, status) { slo in
                    (measure(slo, cumulative: canary, last: c), measure(slo, cumulative: stable, last: s))
                }
                let decisive = checks?.last { $0.outcome == .pass || $0.outcome == .fail }
                if firstVerdict == nil, evidence, decisive?.slo == spec.slos.last?.name { firstVerdict = Double(canary.requests) }
            }
            status = RolloutMachine.next(status, Observation(now: now, spec: spec, stable: .ready, canary: .ready, analysis: checks)).status
            if let outcome = SimulatedRollout.ended(status) {
                return RunResult(
                    outcome: outcome, minutes: now.timeIntervalSince(start) / 60, canaryRequests: Double(canary.requests), requestsToFirstVerdict: firstVerdict)
            }
            if status.inconclusive != nil { break }
        }
        return RunResult(
            outcome: .none, minutes: now.timeIntervalSince(start) / 60, canaryRequests: Double(canary.requests), requestsToFirstVerdict: firstVerdict)
    }

    /// Evidence SLOs read the counts since the canary started; threshold SLOs the last interval.
    func measure(_ slo: SLO, cumulative: IntervalCounts, last: IntervalCounts) -> SLOMeasurement {
        if let m = cumulative.measurement(slo) { return m }
        let v = scenario.kind == .latency ? last.quantile(Schedule.quantile) : last.requests > 0 ? Double(last.errors) / Double(last.requests) : nil
        return .value(v.map { .value($0) } ?? .noData)
    }
}
