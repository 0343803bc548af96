import Foundation
import RandomDraws
import Rollout
import YAML

/// The claims docs/analysis.md makes, each tried on the traffic that breaks naive judges: shared
/// incidents, a canary worse than the stable version but under `max`, bursty errors, drift with
/// unequal samples, several SLOs at their bounds, very low traffic and the defaults. Every run
/// drives the real `RolloutMachine` and judge, carrying the judge's state from look to look as
/// the controller does.
struct Claim: Sendable {
    var name: String
    /// What a wrong verdict is here.
    var wrong: RunResult.Outcome
    /// The SLO list, in the ModelDeployment's YAML.
    var slos: String
    var canary: VersionBehavior
    var stable = VersionBehavior.stable
    /// Requests per second: to the canary (the stable version at `stableRatio` times that), or
    /// in all, split by the step's weight (`split`).
    var rate: Double
    var split = false
    var stableRatio = Schedule.stableTrafficRatio
    /// Both versions' error rates times this while the canary is at 100%, for `incidentMinutes`.
    var incident: Double?
    var incidentMinutes = 5.0
    /// Coefficient of variation of each minute's error rate (Gamma), shared by the versions.
    var burstiness: Double?
    var steps = Schedule.steps
    var confidence = 0.95
    var stepDuration = 300.0
    var interval = 60.0
    /// nil: the default.
    var progressDeadline: Double? = 8 * 3600
    var horizon = 9 * 3600.0

    static func all() -> [Claim] {
        let s = VersionBehavior.stable
        func with(_ change: (inout VersionBehavior) -> Void) -> VersionBehavior {
            var b = s
            change(&b)
            return b
        }
        let rate = "    - {name: errors, errors: e, total: t, max: 0.02}\n"
        var claims: [Claim] = [
            Claim(
                name: "shared incident at 100% (5% for 5 min), relativeToStable 2, identical versions, 50 req/s in all", wrong: .rolledBack,
                slos: "    - {name: errors, errors: e, total: t, relativeToStable: 2}\n", canary: s, rate: 50, split: true, incident: 5),
            Claim(
                name: "canary 3x the stable (0.5% -> 1.5%), max 2% + relativeToStable 2, 5 req/s to the canary", wrong: .promoted,
                slos: "    - {name: errors, errors: e, total: t, max: 0.02, relativeToStable: 2}\n", canary: with { $0.errorRate = 0.015 },
                stable: with { $0.errorRate = 0.005 }, rate: 5),
            Claim(
                name: "bursty errors (mean 1.5%, per-minute CV 1), max 2%, 50 req/s to the canary", wrong: .rolledBack, slos: rate,
                canary: with { $0.errorRate = 0.015 }, stable: with { $0.errorRate = 0.015 }, rate: 50, burstiness: 1),
            Claim(
                name: "three SLOs at their bounds (errors 2%, p95 at 250 ms, drift at 0.005 bits), 50 req/s", wrong: .rolledBack,
                slos: rate + "    - {name: latency, histogram: h, quantile: 0.95, max: 0.25}\n    - {name: mix, distribution: d, maxDivergence: 0.005}\n",
                canary: with {
                    $0.errorRate = 0.02
                    $0.latencyMedian = 0.25 / exp(1.6448536 * $0.latencySigma)
                    $0.classMix = Claim.mixAtDivergence(0.005, from: s.classMix)
                }, rate: 50),
            Claim(
                name: "4% errors, max 2%, 0.2 req/s to the canary", wrong: .promoted, slos: rate, canary: with { $0.errorRate = 0.04 }, rate: 0.2),
            Claim(
                name: "good version (1% errors, max 2%) with the default deadlines, 50 req/s in all", wrong: .rolledBack, slos: rate, canary: s, rate: 50,
                split: true, progressDeadline: nil, horizon: 3 * 3600),
        ]
        claims += endToEndShapes(s, with)
        for ratio in [1.0, 5, 20, 50] {
            claims.append(
                Claim(
                    name: "drift at the bound (0.005 bits), canary:stable 1:\(Int(ratio)), 50 req/s to the canary", wrong: .rolledBack,
                    slos: "    - {name: mix, distribution: d, maxDivergence: 0.005}\n",
                    canary: with { $0.classMix = Claim.mixAtDivergence(0.005, from: s.classMix) },
                    rate: 50, stableRatio: ratio))
        }
        claims.append(
            Claim(
                name: "drift well over the bound (0.02 bits), canary:stable 1:20, 50 req/s to the canary", wrong: .promoted,
                slos: "    - {name: mix, distribution: d, maxDivergence: 0.005}\n",
                canary: with { $0.classMix = Claim.mixAtDivergence(0.02, from: s.classMix) },
                rate: 50, stableRatio: 20))
        return claims
    }

    /// The end-to-end tests' scenarios (EvidenceTests) with their time scaled by 30 — a 2 s
    /// interval and step there is a minute here, and 1200 req/s there 40 here — so their
    /// twenty-run assertions rest on a measured rate, and what the plug-in dispersion
    /// correction cannot do (very bursty errors near the bound at low traffic) is shown too.
    static func endToEndShapes(_ s: VersionBehavior, _ with: ((inout VersionBehavior) -> Void) -> VersionBehavior) -> [Claim] {
        func bursty(_ name: String, mean: Double, max: Double, cv: Double, rate: Double) -> Claim {
            Claim(
                name: name, wrong: .rolledBack, slos: "    - {name: errors, errors: e, total: t, max: \(max)}\n", canary: with { $0.errorRate = mean },
                stable: with { $0.errorRate = mean }, rate: rate, split: true, burstiness: cv, stepDuration: 60, progressDeadline: 3600,
                horizon: 3 * 3600)
        }
        func drift(_ name: String, bits: Double) -> Claim {
            Claim(
                name: name, wrong: bits > 0.005 ? .promoted : .rolledBack, slos: "    - {name: mix, distribution: d, maxDivergence: 0.005}\n",
                canary: with { $0.classMix = Claim.mixAtDivergence(bits, from: s.classMix) }, rate: 400.0 / 30, split: true, steps: [5, 100],
                confidence: 0.999, stepDuration: 60, progressDeadline: 3600, horizon: 40 * 60)
        }
        return [
            bursty("bursty errors as in EvidenceTests (mean 1%, per-interval CV 4), max 4%, 40 req/s in all", mean: 0.01, max: 0.04, cv: 4, rate: 40),
            bursty("limit: very bursty errors near the bound (mean 1%, per-interval CV 3), max 2%, 20 req/s in all", mean: 0.01, max: 0.02, cv: 3, rate: 20),
            drift("drift at the bound as in EvidenceTests (steps 5/100, canary:stable 1:19 at 5%, confidence 0.999), 13 req/s in all", bits: 0.005),
            drift("drift well over the bound (0.02 bits) as in EvidenceTests, confidence 0.999, 13 req/s in all", bits: 0.02),
        ]
    }

    /// A class mix whose Jensen-Shannon divergence from `base` is `bits`: mass moved from the
    /// largest class to the others in proportion.
    static func mixAtDivergence(_ bits: Double, from base: [Double]) -> [Double] {
        func moved(_ t: Double) -> [Double] {
            let top = base.indices.max { base[$0] < base[$1] }!
            let rest = 1 - base[top]
            return base.indices.map { $0 == top ? base[$0] - t : base[$0] + t * base[$0] / rest }
        }
        var lo = 0.0
        var hi = base.max()!
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if Divergence.jensenShannon(moved(mid), base) < bits { lo = mid } else { hi = mid }
        }
        return moved(lo)
    }

    var spec: ModelDeploymentSpec {
        let deadline = progressDeadline.map { "\n    progressDeadline: \(Int($0))s" } ?? ""
        let text = """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelDeployment
            metadata: {name: m, namespace: ml}
            spec:
              model: {version: v2, image: reg/m:2}
              replicas: 20
              canary:
                steps: \(steps)
                stepDuration: \(Int(stepDuration))s\(deadline)
                analysis: {interval: \(Int(interval))s, confidence: \(confidence)}
                slos:
            \(slos)
            """
        return try! ModelDeploymentSpec.parse(try! YAML.parse(text)).get()
    }

    func run(seed: UInt64) -> RunResult {
        var rng = Seeded(seed)
        let spec = self.spec
        var status = SimulatedRollout.begin(spec)
        var now = SimulatedRollout.start
        let start = now
        var canary = IntervalCounts()
        var stable = IntervalCounts()
        var incidentUntil: Date?
        var burst = 1.0
        // Traffic and errors are drawn per 30 s, whatever the analysis interval.
        let tick = 30.0
        var ticks = 0
        // A burst lasts two ticks and starts on the look or half-way between looks: bursts keep
        // no time with the analysis, and one that straddles two looks hides in both (the
        // end-to-end test's first two looks each saw half of one burst and rolled back).
        let burstPhase = rng.uniform() < 0.5 ? 0 : 1
        while now.timeIntervalSince(start) < horizon {
            now = now.addingTimeInterval(tick)
            ticks += 1
            if let cv = burstiness, (ticks + burstPhase) % 2 == 1 { burst = rng.gamma(shape: 1 / (cv * cv)) * cv * cv }
            let weight = Double(status.canaryVersion == "v2" ? status.stepWeight : 0) / 100
            if incident != nil, weight == 1, incidentUntil == nil { incidentUntil = now.addingTimeInterval(incidentMinutes * 60) }
            var factor = burst
            if let incident, let until = incidentUntil, now <= until { factor *= incident }
            var c = self.canary
            var s = self.stable
            c.errorRate = min(1, c.errorRate * factor)
            s.errorRate = min(1, s.errorRate * factor)
            let canaryRate = split ? rate * weight : rate
            let stableRate = split ? rate * (1 - weight) : rate * stableRatio
            canary.add(IntervalCounts.draw(c, rate: canaryRate, seconds: tick, &rng))
            stable.add(IntervalCounts.draw(s, rate: stableRate, seconds: tick, &rng))
            var checks: [SLOCheck]?
            if RolloutMachine.analysisDue(status, spec: spec, now: now, canary: .ready) {
                // A threshold SLO has no place in a claim about evidence: it gets no data.
                checks = SimulatedRollout.analyze(spec, status) { slo in
                    (canary.measurement(slo) ?? .value(.noData), stable.measurement(slo) ?? .value(.noData))
                }
            }
            status = RolloutMachine.next(status, Observation(now: now, spec: spec, stable: .ready, canary: .ready, analysis: checks)).status
            if let outcome = SimulatedRollout.ended(status) {
                return RunResult(outcome: outcome, minutes: now.timeIntervalSince(start) / 60, canaryRequests: Double(canary.requests))
            }
            if let i = status.inconclusive {
                if ProcessInfo.processInfo.environment["SLUICE_BENCH_WHY"] != nil { print("inconclusive: \(i.reason)") }
                break
            }
        }
        return RunResult(outcome: .none, minutes: now.timeIntervalSince(start) / 60, canaryRequests: Double(canary.requests))
    }
}

/// `sluice-bench judge --claims`: each claim's share of wrong verdicts, with a 95% Wilson
/// interval, beside what the docs promise.
enum ClaimsBench {
    static func run(runs: Int, seed: UInt64, only: String?) async -> String {
        var out = "| claim | wrong verdict | wrong | promoted | rolled back | no verdict | median minutes |\n|---|---|---|---|---|---|---|\n"
        for claim in Claim.all() where only == nil || claim.name.contains(only!) {
            let results = await withTaskGroup(of: [RunResult].self) { group in
                let chunks = max(1, ProcessInfo.processInfo.activeProcessorCount)
                for chunk in 0..<chunks {
                    group.addTask { stride(from: chunk, to: runs, by: chunks).map { claim.run(seed: seed &+ UInt64($0) &* 0x9E37_79B9) } }
                }
                var all: [RunResult] = []
                for await part in group { all += part }
                return all
            }
            func share(_ o: RunResult.Outcome) -> Int { results.filter { $0.outcome == o }.count }
            let wrong = share(claim.wrong)
            let (lo, hi) = wilson(wrong, results.count)
            let minutes = results.filter { $0.outcome != .none }.map(\.minutes).sorted()
            let median = minutes.isEmpty ? "—" : String(format: "%.0f", minutes[minutes.count / 2])
            out += "| \(claim.name) | \(claim.wrong == .promoted ? "promotion" : "rollback") | "
            out += String(format: "%.2f%% [%.2f, %.2f]", 100 * Double(wrong) / Double(results.count), 100 * lo, 100 * hi)
            out += " | \(share(.promoted)) | \(share(.rolledBack)) | \(share(.none)) | \(median) |\n"
        }
        return out
    }

    /// The 95% Wilson score interval for k successes in n.
    static func wilson(_ k: Int, _ n: Int) -> (Double, Double) {
        guard n > 0 else { return (0, 1) }
        let z = 1.959964
        let p = Double(k) / Double(n)
        let nn = Double(n)
        let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
        let half = z / (1 + z * z / nn) * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
        return (max(0, centre - half), min(1, centre + half))
    }
}
