import Values

extension SpecReading {
    /// `spec.autoscaling`, with what its schema cannot say: not beside `replicas` (the HPA sets
    /// them), `maxReplicas` unless another scaler does the scaling, min ≤ max, and each metric
    /// of a type `autoscaling/v2` knows, with its details under the field that type names.
    /// `raw` is the spec as written, before defaults: only it tells whether `replicas` was set.
    mutating func autoscaling(_ raw: Value) -> Autoscaling? {
        guard let a = checked(["autoscaling"]), a.objectValue != nil else { return nil }
        let at = ["spec", "autoscaling"]
        if raw["replicas"] != nil {
            fail(["spec", "replicas"], "cannot be set with spec.autoscaling: each version's HorizontalPodAutoscaler sets its replicas; remove one of them")
        }
        let external = a["external"]?.boolValue ?? false
        let min = Int(a["minReplicas"]?.intValue ?? 1)
        let max = a["maxReplicas"]?.intValue.map { Int($0) }
        if max == nil && !external {
            fail(at + ["maxReplicas"], "required (the most pods the HorizontalPodAutoscaler may run), unless external: true")
        }
        if let max, max < min { fail(at + ["maxReplicas"], "must be at least minReplicas (\(min))") }
        for (i, metric) in (a["metrics"]?.arrayValue ?? []).enumerated() { checkMetric(metric, at: at + ["metrics", String(i)]) }
        return Autoscaling(minReplicas: min, maxReplicas: max ?? min, metrics: a["metrics"], behavior: a["behavior"], external: external)
    }

    mutating func checkMetric(_ metric: Value, at path: [String]) {
        guard let type = metric["type"]?.stringValue else {
            return fail(path + ["type"], "required: one of \(Autoscaling.metricSources.keys.sorted().joined(separator: ", "))")
        }
        guard let field = Autoscaling.metricSources[type] else {
            return fail(
                path + ["type"],
                "'\(Printable.escaped(type, limit: 40))' is not a metric type; use one of \(Autoscaling.metricSources.keys.sorted().joined(separator: ", "))")
        }
        guard let details = metric[field], details.objectValue != nil else { return fail(path + [field], "required with type \(type)") }
        guard details["target"]?.objectValue != nil else { return fail(path + [field, "target"], "required (type and value of the target)") }
    }
}
