import Controller
import Foundation
import Rollout
import Sync
import TestSupport
import Testing
import YAML

/// Every metric the dashboard and the alerts query is one Sluice exports, under that name.
@Suite(.offThePool) struct MetricsCatalogueTests {
    /// The exposition after every kind of observation has been recorded once.
    func exposition() -> String {
        let m = SluiceMetrics()
        m.reconciled(controller: "rollout", seconds: 0.01, failed: true)
        m.queueDepth(controller: "rollout", depth: 2)
        m.leader(true)
        m.gitFetched(source: "prod", seconds: 0.2, succeeded: true)
        m.sourceStatus(source: "prod", status: SourceStatus(sync: .failed, health: .healthy, commit: nil, commitMessage: nil, time: "", objects: 12))
        m.apiRequest(verb: "apply", code: 200, seconds: 0.003)
        var status = RolloutStatus()
        status.phase = .progressing
        status.canaryWeight = 25
        m.rolloutObserved(namespace: "ml", name: "churn", status: status)
        m.rolledBack(namespace: "ml", name: "churn", version: "v2")
        m.analysisRan(
            namespace: "ml", name: "churn", checks: [SLOCheck(slo: "error-rate", outcome: .fail, value: 0.2, stableValue: 0.01, threshold: 0.05, message: "")])
        m.inconclusive(namespace: "ml", name: "fraud", version: "v3")
        m.statusReadable(namespace: "ml", name: "fraud", error: StoredStateError(what: "status", field: "step", problem: "expected an integer"))
        return m.exposition()
    }

    static func names(in text: String) -> Set<String> {
        var out = Set<String>()
        var rest = Substring(text)
        while let r = rest.range(of: "sluice_") {
            let name = rest[r.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            out.insert(String(name))
            rest = rest[r.upperBound...]
        }
        return out
    }

    @Test func theDashboardAndAlertsQueryOnlyExportedMetrics() throws {
        let exported = Self.names(in: exposition().split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n"))
        #expect(
            exported.isSuperset(of: ["sluice_reconcile_total", "sluice_rollbacks_total", "sluice_canary_weight", "sluice_git_fetch_duration_seconds_bucket"]),
            "\(exported.sorted())")
        let root = SluiceBinary.repositoryRoot
        let dashboard = try String(contentsOfFile: "\(root)/charts/sluice/dashboards/sluice.json", encoding: .utf8)
        let alerts = try String(contentsOfFile: "\(root)/charts/sluice/templates/prometheusrule.yaml", encoding: .utf8)
        let used = Self.names(in: dashboard).union(Self.names(in: alerts)).filter { !$0.hasPrefix("sluice_dev") && $0 != "sluice_" }
        #expect(!used.isEmpty)
        let missing = used.subtracting(exported)
        #expect(missing.isEmpty, "queried but never exported: \(missing.sorted())")
        // And what is exported is shown somewhere.
        let exportedFamilies = Set(
            exported.map {
                $0.replacingOccurrences(of: "_bucket", with: "").replacingOccurrences(of: "_sum", with: "").replacingOccurrences(of: "_count", with: "")
            })
        let shown = Set(used.map { $0.replacingOccurrences(of: "_bucket", with: "") })
        #expect(exportedFamilies.subtracting(shown).isEmpty, "exported but on no dashboard panel: \(exportedFamilies.subtracting(shown).sorted())")
    }

    @Test func onlyTheCurrentCanaryPhaseHasASeries() {
        let m = SluiceMetrics()
        func phases() -> [String] {
            m.exposition().split(separator: "\n").filter { $0.hasPrefix("sluice_canary_phase{") }.map(String.init).sorted()
        }
        var status = RolloutStatus()
        status.phase = .progressing
        m.rolloutObserved(namespace: "ml", name: "churn", status: status)
        m.rolloutObserved(namespace: "ml", name: "fraud", status: status)
        #expect(phases().count == 2 && phases().allSatisfy { $0.contains(#"phase="Progressing""#) && $0.hasSuffix(" 1.0") }, "\(phases())")
        status.phase = .rolledBack
        m.rolloutObserved(namespace: "ml", name: "churn", status: status)
        #expect(phases().count == 2, "\(phases())")
        #expect(phases().contains { $0.contains(#"name="churn""#) && $0.contains(#"phase="RolledBack""#) && $0.hasSuffix(" 1.0") })
        #expect(!phases().contains { $0.contains(#"name="churn""#) && $0.contains(#"phase="Progressing""#) }, "the old phase's series is gone")
        m.rolloutObserved(namespace: "ml", name: "churn", status: status)
        #expect(phases().count == 2)
    }

    @Test func aDeletedModelDeploymentLeavesNoSeries() {
        let m = SluiceMetrics()
        var status = RolloutStatus()
        status.phase = .progressing
        status.canaryWeight = 25
        let checks = [
            SLOCheck(slo: "error-rate", outcome: .fail, value: 0.2, stableValue: 0.01, threshold: 0.05, message: ""),
            SLOCheck(slo: "latency-p99", outcome: .pass, value: 0.1, stableValue: 0.1, threshold: 0.5, message: ""),
        ]
        for name in ["churn", "fraud"] {
            m.rolloutObserved(namespace: "ml", name: name, status: status)
            m.analysisRan(namespace: "ml", name: name, checks: checks)
            m.rolledBack(namespace: "ml", name: name, version: "v2")
        }
        func series(_ name: String) -> [String] {
            m.exposition().split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(#"name="\#(name)""#) }.map(String.init)
        }
        m.statusReadable(namespace: "ml", name: "churn", error: StoredStateError(what: "status", field: "step", problem: "expected an integer"))
        m.statusReadable(namespace: "ml", name: "fraud", error: nil)
        #expect(!series("fraud").contains { $0.hasPrefix("sluice_rollout_status_unreadable") }, "no series for a status that was never unreadable")
        // Phase, weight, rollbacks, two outcomes, two SLO values, and churn's unreadable status.
        #expect(series("churn").count == 8, "\(series("churn"))")
        m.rolloutDeleted(namespace: "ml", name: "churn")
        #expect(series("churn").isEmpty, "left behind: \(series("churn"))")
        #expect(series("fraud").count == 7, "another ModelDeployment keeps its series: \(series("fraud"))")
        m.rolloutDeleted(namespace: "ml", name: "churn")
        // Reported again after a re-create: series come back.
        m.rolloutObserved(namespace: "ml", name: "churn", status: status)
        #expect(series("churn").count == 2)
    }

    @Test func namesFollowPrometheusConventions() {
        let text = exposition()
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            let (name, type) = (String(parts[2]), String(parts[3]))
            #expect(name.hasPrefix("sluice_"))
            if type == "counter" { #expect(name.hasSuffix("_total"), "\(name)") }
            if type == "histogram" { #expect(name.hasSuffix("_seconds"), "\(name)") }
        }
    }
}
