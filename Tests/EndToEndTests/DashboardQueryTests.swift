import Foundation
import HTTP
import LocalPrometheus
import TestSupport
import Testing
import YAML

/// The rollouts dashboard's queries, run against a real Prometheus scraping a running
/// controller while a canary is judged: every panel that should show something does.
@Suite(.offThePool, .tags(.endToEnd), .serialized) struct DashboardQueryTests {
    static func query(_ prometheus: LocalPrometheus, _ expr: String) async throws -> [Value] {
        let http = HTTPClient()
        defer { http.shutdown() }
        let r = try await http.send(HTTPRequest(url: "\(prometheus.url)/api/v1/query?query=\(URLQuery.escape(expr))"))
        let answer = try JSON.parse(r.body)
        guard answer["status"] == "success" else { throw CancellationError() }
        return answer[path: ["data", "result"]]?.arrayValue ?? []
    }

    @Test func everyRolloutPanelShowsTheRunningCanary() async throws {
        let h = try await RolloutHarness()
        let scraping = try LocalPrometheus(targets: ["127.0.0.1:\(h.listenPort)"], directory: h.sync.dir.file("prometheus-controller"))
        defer { scraping.stop() }
        let manifest = { (version: String) in
            h.countedModelDeployment(version: version, image: "reg/churn:\(version)", relative: "2", annotations: ["sim.sluice.dev/error-rate": "0.01"])
                .replacingOccurrences(of: "    steps: [5, 25, 50, 100]\n", with: "    steps: [5, 25, 50, 100]\n    gates: [5]\n")
        }
        try h.sync.write("models/churn.yaml", manifest("v1"))
        try h.sync.commit("v1")
        try h.startController()
        try await h.waitFor("v1 stable") { await h.status().stableVersion == "v1" }
        try h.sync.write("models/churn.yaml", manifest("v2"))
        try h.sync.commit("v2")
        try await h.waitFor("the canary judged on evidence from both versions", timeout: 120) {
            await h.status().lastAnalysis?.checks.first?.evidence?.stableSamples != nil
        }

        let root = SluiceBinary.repositoryRoot
        let dashboard = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(root)/charts/sluice/dashboards/rollouts.json"))))
        // Nothing in this scenario holds a promotion: those panels may be empty (the stat says 0).
        let mayBeEmpty: Set<String> = ["Held promotions"]
        for panel in dashboard["panels"]?.arrayValue ?? [] {
            let title = panel["title"]?.stringValue ?? ""
            for target in panel["targets"]?.arrayValue ?? [] {
                let expr = ["$namespace", "$model", "$slo"].reduce(target["expr"]?.stringValue ?? "") { $0.replacingOccurrences(of: $1, with: ".*") }
                guard !mayBeEmpty.contains(title) else { continue }
                try await h.waitFor("panel \(title): \(expr)", timeout: 30) { ((try? await Self.query(scraping, expr)) ?? []).isEmpty == false }
            }
        }
        let samples = try await Self.query(scraping, #"sluice_slo_samples{name="churn",slo="error-rate"}"#)
        #expect(Set(samples.compactMap { $0[path: ["metric", "role"]]?.stringValue }) == ["canary", "stable"], "\(samples)")
        let bound = try await Self.query(scraping, #"sluice_slo_upper_bound{name="churn",slo="error-rate",role="canary"}"#)
        #expect(bound.count == 1, "the canary's interval is plotted: \(bound)")
        await h.stop()
    }
}
