import YAML

/// The TARGETS column of `kubectl get hpa`, as a 1.33 server prints it: `cpu: 45%/50%` per
/// Resource metric (`<unknown>` before the first measurement), the default CPU target when
/// the HPA lists none.
enum AutoscalerTargets {
    static func text(_ hpa: Value) -> String {
        let metrics = hpa[path: ["spec", "metrics"]]?.arrayValue ?? [AutoscalerAlgorithm.defaultMetric]
        let current = hpa[path: ["status", "currentMetrics"]]?.arrayValue ?? []
        let cells = metrics.map { metric -> String in
            let type = metric["type"]?.stringValue ?? ""
            let field = type == "ContainerResource" ? "containerResource" : "resource"
            guard let name = metric[path: [field, "name"]]?.stringValue, let target = metric[path: [field, "target", "averageUtilization"]]?.intValue else {
                return "<unknown>/<unknown>"
            }
            let now = current.first { $0[path: [field, "name"]]?.stringValue == name }?[path: [field, "current", "averageUtilization"]]?.intValue
            return "\(name): \(now.map { "\($0)%" } ?? "<unknown>")/\(target)%"
        }
        return cells.isEmpty ? "<none>" : cells.joined(separator: ", ")
    }
}
