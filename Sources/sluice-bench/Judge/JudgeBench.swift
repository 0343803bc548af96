import ArgumentParser
import Foundation

/// `sluice-bench judge`: thousands of simulated canaries per scenario, seeded, in process (no
/// Prometheus), judged by Sluice's evidence judge, its former threshold judge and judges built
/// like Flagger's and Kayenta's. Reports false rollbacks, false promotions and how long (and how
/// many requests) a verdict took, beside Wald's SPRT optimum. docs/benchmarks.md has the results.
struct JudgeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "judge", abstract: "Verdict quality of canary judges on simulated traffic.")

    @Option(help: "Simulated canaries per scenario, traffic rate and judge.")
    var runs = 1000

    @Option(help: "Requests per second to the canary (comma-separated).")
    var rates = "0.5,5,50"

    @Option(help: "Seed of the first canary (each canary gets its own, derived from it).")
    var seed: UInt64 = 20_261_201

    @Option(help: "Write every cell as CSV here too (for scripts/plot-judge.py).")
    var csv: String?

    @Option(help: "Only scenarios whose name contains this.")
    var only: String?

    @Flag(help: "Instead: the claims of docs/analysis.md under shared incidents, bursts, unequal samples, several SLOs and low traffic.")
    var claims = false

    struct Cell: Sendable {
        var scenario: Scenario
        var rate: Double
        var judge: SimulatedJudge
        var results: [RunResult]

        func share(_ o: RunResult.Outcome) -> Double { Double(results.filter { $0.outcome == o }.count) / Double(max(1, results.count)) }
        var falseVerdicts: Double { scenario.shouldPass ? share(.rolledBack) : share(.promoted) }
        func median(_ values: [Double]) -> Double? {
            guard !values.isEmpty else { return nil }
            let s = values.sorted()
            return s[s.count / 2]
        }
        var decided: [RunResult] { results.filter { $0.outcome != .none } }
        var medianMinutes: Double? { median(decided.map(\.minutes)) }
        var medianRequests: Double? { median(decided.map(\.canaryRequests)) }
        var medianFirstVerdict: Double? { median(results.compactMap(\.requestsToFirstVerdict)) }
    }

    func run() async throws {
        let started = Date()
        if claims {
            print(await ClaimsBench.run(runs: runs, seed: seed, only: only))
            print(String(format: "%d runs per claim in %.0f s", runs, Date().timeIntervalSince(started)))
            return
        }
        let rateList = rates.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        let scenarios = Scenario.all.filter { only == nil || $0.name.contains(only!) }
        var cells: [Cell] = []
        for scenario in scenarios {
            for rate in rateList {
                for judge in SimulatedJudge.allCases {
                    let results = await Self.simulate(judge, scenario, rate: rate, runs: runs, seed: seed)
                    cells.append(Cell(scenario: scenario, rate: rate, judge: judge, results: results))
                }
            }
        }
        print(Self.report(cells, runs: runs))
        if only == nil || only == "sample-size" {
            let sizes = SampleSize.measure(
                rates: [0.005, 0.01, 0.015, 0.03, 0.05, 0.1], bound: Schedule.maxErrorRate, confidence: 0.95, runs: max(200, runs / 5), seed: seed)
            print(SampleSize.report(sizes, bound: Schedule.maxErrorRate, runs: max(200, runs / 5)))
        }
        print(String(format: "%d canaries simulated in %.0f s", cells.count * runs, Date().timeIntervalSince(started)))
        if let csv { try Self.csv(cells).write(toFile: csv, atomically: true, encoding: .utf8) }
    }

    /// The same seeds for every judge, so each sees the same traffic draws to begin with.
    static func simulate(_ judge: SimulatedJudge, _ scenario: Scenario, rate: Double, runs: Int, seed: UInt64) async -> [RunResult] {
        await withTaskGroup(of: [RunResult].self) { group in
            let chunks = max(1, ProcessInfo.processInfo.activeProcessorCount)
            for chunk in 0..<chunks {
                group.addTask {
                    stride(from: chunk, to: runs, by: chunks).map { judge.run(scenario, canaryRate: rate, seed: seed &+ UInt64($0) &* 0x9E37_79B9) }
                }
            }
            var all: [RunResult] = []
            for await part in group { all += part }
            return all
        }
    }

    static func percent(_ x: Double) -> String { x == 0 ? "0" : x < 0.001 ? String(format: "%.2f%%", x * 100) : String(format: "%.1f%%", x * 100) }

    static func report(_ cells: [Cell], runs: Int) -> String {
        var out = ""
        for scenario in Scenario.all where cells.contains(where: { $0.scenario.name == scenario.name }) {
            let wrong = scenario.shouldPass ? "false rollback" : "false promotion"
            out += "\n### Canary \(scenario.name) (\(scenario.shouldPass ? "meets" : "breaks") its SLO; \(runs) canaries per row)\n\n"
            out +=
                "| canary req/s | judge | \(wrong) | right verdict | no verdict in 8 h | median minutes to verdict | median canary requests to verdict | Sluice: requests to its SLO verdict | SPRT optimum |\n"
            out += "|---|---|---|---|---|---|---|---|---|\n"
            for cell in cells where cell.scenario.name == scenario.name {
                let right = scenario.shouldPass ? cell.share(.promoted) : cell.share(.rolledBack)
                var sprt = "—"
                if scenario.kind == .rate, cell.judge == .sluice,
                    let n = SPRT.expectedSamples(p0: Schedule.maxErrorRate, p1: scenario.canary.errorRate, alpha: 0.05)
                {
                    sprt = String(format: "%.0f", n)
                }
                let first = cell.judge == .sluice ? cell.medianFirstVerdict.map { String(format: "%.0f", $0) } ?? "—" : ""
                out += "| \(cell.rate) | \(cell.judge.rawValue) | \(percent(cell.falseVerdicts)) | \(percent(right)) | \(percent(cell.share(.none))) | "
                out +=
                    "\(cell.medianMinutes.map { String(format: "%.1f", $0) } ?? "—") | \(cell.medianRequests.map { String(format: "%.0f", $0) } ?? "—") | \(first) | \(cell.judge == .sluice ? sprt : "") |\n"
            }
        }
        return out
    }

    static func csv(_ cells: [Cell]) -> String {
        var out = "scenario,kind,should_pass,rate,judge,false_verdicts,promoted,rolled_back,no_verdict,median_minutes,median_requests,median_first_verdict\n"
        for c in cells {
            let fields: [String] = [
                "\"\(c.scenario.name)\"", c.scenario.kind.rawValue, c.scenario.shouldPass ? "1" : "0", "\(c.rate)", "\"\(c.judge.rawValue)\"",
                "\(c.falseVerdicts)",
                "\(c.share(.promoted))", "\(c.share(.rolledBack))", "\(c.share(.none))", c.medianMinutes.map { "\($0)" } ?? "",
                c.medianRequests.map { "\($0)" } ?? "",
                c.medianFirstVerdict.map { "\($0)" } ?? "",
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }
}
