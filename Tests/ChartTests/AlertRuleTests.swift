import Foundation
import TestSupport
import Testing
import YAML

/// The chart's PrometheusRule, checked and unit-tested by Prometheus' own promtool.
@Suite(.offThePool) struct AlertRuleTests {
    static let root = SluiceBinary.repositoryRoot

    @Test func theAlertsParseAndFireWhenTheyShould() async throws {
        let chart = HelmChart(directory: "\(Self.root)/charts/sluice")
        let docs = try chart.render(values: try chart.values(["\(Self.root)/charts/sluice/values-ha.yaml"]), releaseName: "sluice", namespace: "sluice-system")
        let rule = try YAML.parse(try #require(docs.first { $0.kind == "PrometheusRule" }).text)
        let dir = TemporaryDirectory(prefix: "sluice-alerts")
        let groups = try #require(rule["spec"])
        try dir.write("rules.yaml", try YAML.emit(groups))
        try FileManager.default.copyItem(atPath: "\(Self.root)/Tests/ChartTests/Fixtures/alerts-test.yaml", toPath: dir.file("alerts-test.yaml"))
        let check = try await run("promtool", ["check", "rules", dir.file("rules.yaml")])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("SUCCESS: 8 rules found"), "\(check.stdout)")
        let test = try await run("promtool", ["test", "rules", dir.file("alerts-test.yaml")], cwd: dir.path)
        #expect(test.status == 0, "\(test.stdout)\(test.stderr)")
    }
}

/// The Grafana dashboards are valid JSON whose every query parses as PromQL.
@Suite(.offThePool) struct DashboardTests {
    @Test(arguments: [("sluice.json", 15), ("rollouts.json", 12)])
    func everyPanelQueryIsValidPromQL(_ file: String, _ atLeast: Int) async throws {
        let root = SluiceBinary.repositoryRoot
        let dashboard = try JSON.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(root)/charts/sluice/dashboards/\(file)"))))
        // Grafana's variables, as Grafana substitutes them with "All" selected.
        let exprs = (dashboard["panels"]?.arrayValue ?? []).flatMap { $0["targets"]?.arrayValue ?? [] }.compactMap { $0["expr"]?.stringValue }.map {
            ["$namespace", "$model", "$slo"].reduce($0) { $0.replacingOccurrences(of: $1, with: ".*") }
        }
        #expect(exprs.count >= atLeast)
        let problems = try await PromQL.problems(exprs)
        #expect(problems == nil, "\(problems ?? "")")
        let ids = (dashboard["panels"]?.arrayValue ?? []).compactMap { $0["id"]?.intValue }
        #expect(Set(ids).count == ids.count, "panel ids are unique")
    }
}
