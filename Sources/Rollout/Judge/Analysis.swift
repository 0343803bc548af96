import Foundation
import Values

/// What one PromQL query returned.
public enum QueryOutcome: Sendable, Equatable {
    case value(Double)
    /// An empty result, or NaN (e.g. a rate over no requests): nothing to judge by.
    case noData
    case error(String)
}

/// Judges SLO query results. No data is neither a pass nor a failure: the step holds until
/// there is evidence (Flagger counts it as a failure and rolls healthy low-traffic canaries
/// back; Sluice does not).
public enum Analysis {
    /// Fills the query template for one version. `{{window}}` is the time since the canary
    /// started (whole seconds, at least one interval), so counts accumulate across its steps.
    public static func render(
        _ query: String, model: String, version: String, namespace: String, stableVersion: String?, interval: Double, window: Double? = nil
    ) -> String {
        query.replacingOccurrences(of: "{{model}}", with: model)
            .replacingOccurrences(of: "{{version}}", with: version)
            .replacingOccurrences(of: "{{namespace}}", with: namespace)
            .replacingOccurrences(of: "{{stableVersion}}", with: stableVersion ?? "")
            .replacingOccurrences(of: "{{interval}}", with: DurationText.format(interval))
            .replacingOccurrences(of: "{{window}}", with: "\(Int(max(window ?? interval, interval, 1).rounded(.up)))s")
    }

    public static func evaluate(_ slo: SLO, canary: QueryOutcome, stable: QueryOutcome?) -> SLOCheck {
        let value: Double
        switch canary {
        case .error(let message):
            return SLOCheck(slo: slo.name, outcome: .error, value: nil, stableValue: nil, threshold: slo.max ?? slo.min, message: message)
        case .noData:
            return SLOCheck(slo: slo.name, outcome: .noData, value: nil, stableValue: nil, threshold: slo.max ?? slo.min, message: "no data")
        case .value(let v):
            if v.isNaN {
                return SLOCheck(slo: slo.name, outcome: .noData, value: nil, stableValue: nil, threshold: slo.max ?? slo.min, message: "no data (NaN)")
            }
            value = v
        }
        if let max = slo.max, value > max {
            return SLOCheck(slo: slo.name, outcome: .fail, value: value, stableValue: nil, threshold: max, message: "\(fmt(value)) > max \(fmt(max))")
        }
        if let min = slo.min, value < min {
            return SLOCheck(slo: slo.name, outcome: .fail, value: value, stableValue: nil, threshold: min, message: "\(fmt(value)) < min \(fmt(min))")
        }
        var stableValue: Double?
        if let ratio = slo.relativeToStable {
            switch stable {
            case .value(let s)? where !s.isNaN:
                stableValue = s
                let bound = ratio * s
                // A stable value of 0 (no errors at all) would make any canary error a failure;
                // that is intended: relative means relative.
                if value > bound {
                    return SLOCheck(
                        slo: slo.name, outcome: .fail, value: value, stableValue: s, threshold: bound,
                        message: "\(fmt(value)) > \(fmt(ratio)) × stable \(fmt(s)) = \(fmt(bound))")
                }
            case .error(let message)?:
                return SLOCheck(slo: slo.name, outcome: .error, value: value, stableValue: nil, threshold: nil, message: "stable query: \(message)")
            default:
                // No stable data (stable takes no traffic, e.g. at 100%): only the absolute bounds apply.
                if slo.max == nil && slo.min == nil {
                    return SLOCheck(slo: slo.name, outcome: .noData, value: value, stableValue: nil, threshold: nil, message: "no stable data to compare with")
                }
            }
        }
        let bound = slo.max ?? slo.min ?? stableValue.map { $0 * (slo.relativeToStable ?? 1) }
        return SLOCheck(slo: slo.name, outcome: .pass, value: value, stableValue: stableValue, threshold: bound, message: "\(fmt(value)) within bounds")
    }

    static func fmt(_ d: Double) -> String {
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        if d == d.rounded() && abs(d) < 1e12 { return String(Int64(d)) }
        return String(format: "%.4g", d)
    }
}
