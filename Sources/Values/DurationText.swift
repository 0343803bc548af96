import Foundation

/// Durations as specs write them: `30s`, `2m`, `1h`, `1m30s`, `500ms`.
public enum DurationText {
    public static func parse(_ s: String) -> Double? {
        var total = 0.0
        var number = ""
        var rest = Substring(s.trimmingCharacters(in: .whitespaces))
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            number = String(rest.prefix { $0.isNumber || $0 == "." })
            rest = rest.dropFirst(number.count)
            guard let n = Double(number) else { return nil }
            let unit = String(rest.prefix { $0.isLetter })
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += n / 1000
            case "s": total += n
            case "m": total += n * 60
            case "h": total += n * 3600
            case "": if rest.isEmpty && total == 0 { total += n } else { return nil }
            default: return nil
            }
        }
        return total
    }

    /// The shortest exact spelling: `90s` → `1m30s`; Prometheus accepts the same syntax.
    public static func format(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        var s = Int(seconds.rounded())
        var out = ""
        if s >= 3600 {
            out += "\(s / 3600)h"
            s %= 3600
        }
        if s >= 60 {
            out += "\(s / 60)m"
            s %= 60
        }
        if s > 0 || out.isEmpty { out += "\(s)s" }
        return out
    }
}
