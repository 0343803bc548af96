public import ControllerRuntime
import CoreMetrics
import Foundation
import Metrics
import Prometheus
public import Promotion
public import Rollout
public import Sync
import Synchronization
public import YAML

/// Everything Sluice reports at `/metrics`, named as Prometheus recommends (`sluice_..._total`
/// for counters, `_seconds` for durations). Recorded through swift-metrics; exported by
/// swift-prometheus.
public final class SluiceMetrics: RolloutObserver, ReconcileMetrics, Sendable {
    let registry: PrometheusCollectorRegistry
    // Passed to every metric rather than bootstrapped globally: the global can be set once per
    // process, and tests (and the demo) run several controllers in one.
    let factory: PrometheusMetricsFactory
    /// The series each ModelDeployment has, so that its old phase's series and, once it is
    /// deleted, all of them can be removed (a registry that only grows is a leak on a cluster
    /// where models come and go). Only the current phase has a series (at 1; queries use
    /// `== 1`): one series per phase, five of them at 0, were most of the registry at 1,000
    /// ModelDeployments.
    private let reported = Mutex([String: ReportedSeries]())
    /// Per ModelPipeline, the `[environment, state, gate]` of its held-since series.
    private let heldPromotions = Mutex([String: Set<[String]>]())

    private struct ReportedSeries {
        /// Set with the weight's series: both are reported together.
        var phase: RolloutStatus.Phase?
        var rollbacks = false
        var inconclusives = false
        /// Whether the unreadable-status series exists (it is created when a status first cannot be read).
        var unreadableReported = false
        var sloValues: Set<String> = []
        var outcomes: Set<[String]> = []
        /// `[slo, role, metric]` of the evidence gauges this model has.
        var evidence: Set<[String]> = []
        var stepStarted = false
    }

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let reconcileBuckets: [Duration] = [
            .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(2.5), .seconds(10), .seconds(30),
        ]
        factory.durationHistogramBuckets = [
            "sluice_reconcile_duration_seconds": reconcileBuckets,
            "sluice_git_fetch_duration_seconds": reconcileBuckets,
            "sluice_api_request_duration_seconds": [
                .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10),
            ],
        ]
        self.factory = factory
    }

    public func exposition() -> String { registry.emitToString() }

    // MARK: controllers

    public func reconciled(controller: String, seconds: Double, failed: Bool) {
        Counter(label: "sluice_reconcile_total", dimensions: [("controller", controller), ("result", failed ? "error" : "success")], factory: factory)
            .increment()
        if failed { Counter(label: "sluice_reconcile_errors_total", dimensions: [("controller", controller)], factory: factory).increment() }
        Timer(label: "sluice_reconcile_duration_seconds", dimensions: [("controller", controller)], factory: factory).recordNanoseconds(Int64(seconds * 1e9))
    }

    public func queueDepth(controller: String, depth: Int) {
        Gauge(label: "sluice_workqueue_depth", dimensions: [("controller", controller)], factory: factory).record(depth)
    }

    public func leader(_ isLeader: Bool) {
        Gauge(label: "sluice_leader", dimensions: [], factory: factory).record(isLeader ? 1 : 0)
    }

    // MARK: git and sync

    public func gitFetched(source: String, seconds: Double, succeeded: Bool) {
        Timer(label: "sluice_git_fetch_duration_seconds", dimensions: [("source", source)], factory: factory).recordNanoseconds(Int64(seconds * 1e9))
        Counter(label: "sluice_git_fetches_total", dimensions: [("source", source), ("result", succeeded ? "success" : "error")], factory: factory).increment()
        if succeeded {
            Gauge(label: "sluice_git_last_success_timestamp_seconds", dimensions: [("source", source)], factory: factory).record(Date().timeIntervalSince1970)
        }
    }

    public func sourceStatus(source: String, status: SourceStatus) {
        for state in [SourceStatus.SyncState.synced, .outOfSync, .failed, .unknown] {
            Gauge(label: "sluice_sync_status", dimensions: [("source", source), ("status", state.rawValue)], factory: factory).record(
                status.sync == state ? 1 : 0)
        }
        for health in [Health.healthy, .progressing, .degraded, .missing] {
            Gauge(label: "sluice_sync_health", dimensions: [("source", source), ("health", health.rawValue)], factory: factory).record(
                status.health == health ? 1 : 0)
        }
        Gauge(label: "sluice_sync_objects", dimensions: [("source", source)], factory: factory).record(status.objects)
    }

    // MARK: API

    public func apiRequest(verb: String, code: Int, seconds: Double) {
        Counter(label: "sluice_api_requests_total", dimensions: [("verb", verb), ("code", code == 0 ? "error" : String(code))], factory: factory).increment()
        Timer(label: "sluice_api_request_duration_seconds", dimensions: [("verb", verb)], factory: factory).recordNanoseconds(Int64(seconds * 1e9))
    }

    // MARK: rollouts

    public func rolloutObserved(namespace: String, name: String, status: RolloutStatus) {
        let dims = [("namespace", namespace), ("name", name)]
        let previous = reported.withLock { all in
            defer { all["\(namespace)/\(name)", default: ReportedSeries()].phase = status.phase }
            return all["\(namespace)/\(name)"]?.phase
        }
        if let previous, previous != status.phase {
            Gauge(label: "sluice_canary_phase", dimensions: dims + [("phase", previous.rawValue)], factory: factory).destroy()
        }
        Gauge(label: "sluice_canary_phase", dimensions: dims + [("phase", status.phase.rawValue)], factory: factory).record(1)
        Gauge(label: "sluice_canary_weight", dimensions: dims, factory: factory).record(status.canaryVersion == nil ? 0 : status.canaryWeight)
        reportStepStart(dims, status)
    }

    /// When the canary's current step began (while one runs): what a stuck rollout is told by.
    private func reportStepStart(_ dims: [(String, String)], _ status: RolloutStatus) {
        let key = "\(dims[0].1)/\(dims[1].1)"
        let running = status.canaryVersion != nil && (status.phase == .progressing || status.phase == .paused)
        // Made only to record or destroy: making a gauge registers its series (at 0).
        func gauge() -> Metrics.Gauge { Metrics.Gauge(label: "sluice_canary_step_started_timestamp_seconds", dimensions: dims, factory: factory) }
        if running, let started = status.stepStartedAt ?? status.canaryStartedAt {
            reported.withLock { $0[key, default: ReportedSeries()].stepStarted = true }
            gauge().record(started.timeIntervalSince1970)
        } else if reported.withLock({ $0[key]?.stepStarted ?? false }) {
            reported.withLock { $0[key]?.stepStarted = false }
            gauge().destroy()
        }
    }

    public func statusReadable(namespace: String, name: String, error: StoredStateError?) {
        let known = reported.withLock { all in
            defer { if error != nil { all["\(namespace)/\(name)", default: ReportedSeries()].unreadableReported = true } }
            return all["\(namespace)/\(name)"]?.unreadableReported ?? false
        }
        guard error != nil || known else { return }
        Gauge(label: "sluice_rollout_status_unreadable", dimensions: [("namespace", namespace), ("name", name)], factory: factory).record(error == nil ? 0 : 1)
    }

    public func rolledBack(namespace: String, name: String, version: String) {
        reported.withLock { $0["\(namespace)/\(name)", default: ReportedSeries()].rollbacks = true }
        Counter(label: "sluice_rollbacks_total", dimensions: [("namespace", namespace), ("name", name)], factory: factory).increment()
    }

    public func inconclusive(namespace: String, name: String, version: String) {
        reported.withLock { $0["\(namespace)/\(name)", default: ReportedSeries()].inconclusives = true }
        Counter(label: "sluice_canary_inconclusive_total", dimensions: [("namespace", namespace), ("name", name)], factory: factory).increment()
    }

    public func analysisRan(namespace: String, name: String, checks: [SLOCheck]) {
        reported.withLock { all in
            var series = all["\(namespace)/\(name)", default: ReportedSeries()]
            for c in checks {
                series.outcomes.insert([c.slo, c.outcome.rawValue])
                if let v = c.value, v.isFinite { series.sloValues.insert(c.slo) }
            }
            all["\(namespace)/\(name)"] = series
        }
        for c in checks {
            let dims = [("namespace", namespace), ("name", name), ("slo", c.slo)]
            Counter(label: "sluice_analysis_results_total", dimensions: dims + [("outcome", c.outcome.rawValue)], factory: factory).increment()
            if let v = c.value, v.isFinite { Gauge(label: "sluice_slo_value", dimensions: dims, factory: factory).record(v) }
            let recorded = EvidenceSeries.values(of: c).filter { $0.value.isFinite }
            reported.withLock { all in
                for r in recorded { all["\(namespace)/\(name)", default: ReportedSeries()].evidence.insert([c.slo, r.role, r.metric]) }
            }
            for r in recorded { Gauge(label: r.metric, dimensions: dims + [("role", r.role)], factory: factory).record(r.value) }
        }
    }

    public func rolloutDeleted(namespace: String, name: String) {
        guard let series = reported.withLock({ $0.removeValue(forKey: "\(namespace)/\(name)") }) else { return }
        let dims = [("namespace", namespace), ("name", name)]
        if let phase = series.phase {
            Gauge(label: "sluice_canary_phase", dimensions: dims + [("phase", phase.rawValue)], factory: factory).destroy()
            Gauge(label: "sluice_canary_weight", dimensions: dims, factory: factory).destroy()
        }
        if series.unreadableReported { Gauge(label: "sluice_rollout_status_unreadable", dimensions: dims, factory: factory).destroy() }
        if series.inconclusives { Counter(label: "sluice_canary_inconclusive_total", dimensions: dims, factory: factory).destroy() }
        if series.rollbacks { Counter(label: "sluice_rollbacks_total", dimensions: dims, factory: factory).destroy() }
        for outcome in series.outcomes {
            Counter(label: "sluice_analysis_results_total", dimensions: dims + [("slo", outcome[0]), ("outcome", outcome[1])], factory: factory).destroy()
        }
        for slo in series.sloValues {
            Gauge(label: "sluice_slo_value", dimensions: dims + [("slo", slo)], factory: factory).destroy()
        }
        for e in series.evidence { Gauge(label: e[2], dimensions: dims + [("slo", e[0]), ("role", e[1])], factory: factory).destroy() }
        if series.stepStarted { Gauge(label: "sluice_canary_step_started_timestamp_seconds", dimensions: dims, factory: factory).destroy() }
    }

    // MARK: promotions

    /// A ModelPipeline's environments that wait or are blocked, with since when; series of
    /// environments no longer held are removed.
    public func pipelineObserved(namespace: String, name: String, status: PipelineStatus) {
        let dims = [("namespace", namespace), ("pipeline", name)]
        var now = Set<[String]>()
        for e in status.environments where e.state == .waiting || e.state == .blocked {
            guard let since = e.since else { continue }
            let series = [e.name, e.state.rawValue, e.gate?.rawValue ?? ""]
            now.insert(series)
            Gauge(label: "sluice_promotion_held_since_timestamp_seconds", dimensions: dims + Self.held(series), factory: factory).record(
                since.timeIntervalSince1970)
        }
        let gone = heldPromotions.withLock { all in
            defer { all["\(namespace)/\(name)"] = now.isEmpty ? nil : now }
            return (all["\(namespace)/\(name)"] ?? []).subtracting(now)
        }
        for series in gone { Gauge(label: "sluice_promotion_held_since_timestamp_seconds", dimensions: dims + Self.held(series), factory: factory).destroy() }
    }

    static func held(_ series: [String]) -> [(String, String)] { [("environment", series[0]), ("state", series[1]), ("gate", series[2])] }

    // MARK: notifications

    public func notification(channel: String, outcome: String) {
        Counter(label: "sluice_notifications_total", dimensions: [("channel", channel), ("result", outcome)], factory: factory).increment()
    }
}
