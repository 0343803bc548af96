/// Where SLO measurements come from: the port the rollout core owns, which a metrics backend
/// implements (Prometheus, in `PrometheusQuery`; a scripted source in tests).
public protocol MetricsSource: Sendable {
    /// One value: a number, no data, or an error.
    func query(_ promql: String) async -> QueryOutcome
    /// A vector of series by their labels (histogram buckets by `le`, predictions by class).
    func queryVector(_ promql: String) async -> VectorOutcome
}

extension SLOMeasurement {
    /// One SLO measured for `version` over `window` seconds: the one function for every SLO
    /// kind, used for a canary's analysis, its stable version, the probe before a restart and
    /// a promotion's soak. `stable` fills `{{stable}}` in the queries.
    public static func measure(_ slo: SLO, _ spec: ModelDeploymentSpec, version: String, stable: String?, window: Double, from source: any MetricsSource)
        async -> SLOMeasurement
    {
        func render(_ q: String) -> String {
            Analysis.render(
                q, model: spec.modelName, version: version, namespace: spec.namespace, stableVersion: stable, interval: spec.analysisInterval, window: window)
        }
        switch slo.measure {
        case .value(let q): return .value(await source.query(render(q)))
        case .rate(let events, let total): return .rate(events: await source.query(render(events)), total: await source.query(render(total)))
        case .latency(let histogram, _): return .counts(await source.queryVector(render(histogram)))
        case .distribution(let q): return .counts(await source.queryVector(render(q)))
        }
    }
}
