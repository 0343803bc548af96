import Controller
import Foundation
import Promotion
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
        let v2: Value = ["metadata": ["name": "churn", "namespace": "ml"], "spec": ["model": ["version": "v2", "image": "reg/churn:2"]]]
        status.canary = (try? ModelDeploymentSpec.parse(v2).get()).map(VersionSpec.init)
        status.stepStartedAt = Date(timeIntervalSince1970: 1_800_000_000)
        m.rolloutObserved(namespace: "ml", name: "churn", status: status)
        m.rolledBack(namespace: "ml", name: "churn", version: "v2")
        m.analysisRan(namespace: "ml", name: "churn", checks: [Self.judged])
        var pipeline = PipelineStatus()
        pipeline.environments = [Self.blocked]
        m.pipelineObserved(namespace: "ml", name: "churn", status: pipeline)
        m.inconclusive(namespace: "ml", name: "fraud", version: "v3")
        m.statusReadable(namespace: "ml", name: "fraud", error: StoredStateError(what: "status", field: "step", problem: "expected an integer"))
        return m.exposition()
    }

    /// A check judged on evidence: estimates and bounds for both roles.
    static var judged: SLOCheck {
        var c = SLOCheck(slo: "error-rate", outcome: .fail, value: 0.2, stableValue: 0.01, threshold: 0.05, message: "")
        var e = Evidence(test: "rate", confidence: 0.95, samples: 400, estimate: 0.2)
        (e.lower, e.upper, e.bound) = (0.16, 0.24, 0.05)
        (e.stableSamples, e.stableEstimate, e.stableLower, e.stableUpper) = (8000, 0.01, 0.008, 0.012)
        c.evidence = e
        return c
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
        let dashboard = try ["sluice.json", "rollouts.json"].map { try String(contentsOfFile: "\(root)/charts/sluice/dashboards/\($0)", encoding: .utf8) }
            .joined()
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
        // Phase, weight, rollbacks, two outcomes, two SLO values, churn's unreadable status, and
        // per SLO the estimates of both roles and the threshold.
        #expect(series("churn").count == 14, "\(series("churn"))")
        m.rolloutDeleted(namespace: "ml", name: "churn")
        #expect(series("churn").isEmpty, "left behind: \(series("churn"))")
        #expect(series("fraud").count == 13, "another ModelDeployment keeps its series: \(series("fraud"))")
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

extension MetricsCatalogueTests {
    static let blocked = EnvironmentState(name: "production", state: .blocked, gate: .policy, message: "", since: Date(timeIntervalSince1970: 1_800_000_000))

    /// The judge's evidence per SLO and role, and the held promotions, come and go with what
    /// they describe.
    @Test func evidenceAndHeldPromotionsAreExportedAndRemoved() {
        let m = SluiceMetrics()
        m.analysisRan(namespace: "ml", name: "churn", checks: [Self.judged])
        let lines = m.exposition().split(separator: "\n").map(String.init)
        func value(_ prefix: String) -> String? { lines.first { $0.hasPrefix(prefix) }?.split(separator: " ").last.map(String.init) }
        #expect(value(#"sluice_slo_lower_bound{namespace="ml",name="churn",slo="error-rate",role="canary"}"#) == "0.16", "\(lines)")
        #expect(value(#"sluice_slo_upper_bound{namespace="ml",name="churn",slo="error-rate",role="stable"}"#) == "0.012")
        #expect(value(#"sluice_slo_samples{namespace="ml",name="churn",slo="error-rate",role="stable"}"#) == "8000.0")
        #expect(value(#"sluice_slo_threshold{namespace="ml",name="churn",slo="error-rate",role="canary"}"#) == "0.05")
        m.rolloutDeleted(namespace: "ml", name: "churn")
        #expect(!m.exposition().contains("sluice_slo_estimate{"), "removed with the ModelDeployment")

        var pipeline = PipelineStatus()
        pipeline.environments = [Self.blocked]
        m.pipelineObserved(namespace: "ml", name: "churn", status: pipeline)
        #expect(
            m.exposition().contains(
                #"sluice_promotion_held_since_timestamp_seconds{namespace="ml",pipeline="churn",environment="production",state="Blocked",gate="Policy"} 1800000000"#
            ))
        pipeline.environments = [EnvironmentState(name: "production", state: .upToDate, message: "")]
        m.pipelineObserved(namespace: "ml", name: "churn", status: pipeline)
        #expect(!m.exposition().contains("sluice_promotion_held_since_timestamp_seconds{"), "gone once it is up to date")
    }
}
