import Values

/// Reads one entry of `spec.canary.slos`, reporting every problem with its field.
enum SLOParser {
    static let measures = ["query", "errors", "histogram", "distribution"]
    static let allowed: [String: Set<String>] = [
        "query": ["name", "query", "max", "min", "relativeToStable"],
        "errors": ["name", "errors", "total", "max", "relativeToStable", "minSamples"],
        "histogram": ["name", "histogram", "quantile", "max", "relativeToStable", "minSamples", "minEffect"],
        "distribution": ["name", "distribution", "maxDivergence", "minSamples"],
    ]

    static func parse(_ item: Value, at p: [String], fail: ([String], String) -> Void, unknown: ([String], String) -> Void) -> SLO? {
        guard let name = item["name"]?.stringValue, !name.isEmpty else {
            fail(p + ["name"], "required")
            return nil
        }
        func string(_ key: String) -> String? {
            guard let v = item[key], !v.isNull else { return nil }
            guard let s = v.stringValue, !s.isEmpty else {
                fail(p + [key], "must be a PromQL query (a non-empty string)")
                return nil
            }
            return s
        }
        func number(_ key: String) -> Double? {
            guard let v = item[key], !v.isNull else { return nil }
            guard let d = v.doubleValue, v.stringValue == nil else {
                fail(p + [key], "must be a number")
                return nil
            }
            return d
        }
        let given = measures.filter { item[$0] != nil && item[$0]?.isNull == false }
        guard given.count == 1, let kind = given.first else {
            fail(
                p,
                given.isEmpty ? "needs one of query, errors (with total), histogram or distribution" : "gives \(given.joined(separator: " and ")): choose one")
            return nil
        }
        for key in (item.objectValue?.keys).map(Array.init) ?? [] where !allowed[kind]!.contains(key) {
            let suggestion =
                FieldNames.nearest(key, in: allowed[kind]!).map { "did you mean \($0)?" } ?? "allowed: \(allowed[kind]!.sorted().joined(separator: ", "))"
            unknown(p + [key], "unknown field for an SLO with \(kind); \(suggestion)")
        }
        var minSamples = SLO.defaultMinSamples
        if let v = item["minSamples"], !v.isNull {
            if let i = v.intValue, v.doubleValue == Double(i), i >= 1 {
                minSamples = Int(i)
            } else {
                fail(p + ["minSamples"], "must be a whole number of at least 1")
            }
        }
        let max = number("max")
        let min = number("min")
        let relative = number("relativeToStable")
        if let r = relative, r <= 0 { fail(p + ["relativeToStable"], "must be greater than 0") }
        switch kind {
        case "query":
            guard let query = string("query") else { return nil }
            if max == nil && min == nil && relative == nil { fail(p, "needs max, min or relativeToStable") }
            return SLO(name: name, measure: .value(query: query), max: max, min: min, relativeToStable: relative)
        case "errors":
            let errors = string("errors")
            guard let total = string("total") else {
                fail(p + ["total"], "required with errors (the query counting all requests)")
                return nil
            }
            if let m = max, !(m > 0 && m < 1) { fail(p + ["max"], "must be a rate between 0 and 1 (0.01 is 1%)") }
            if max == nil && relative == nil { fail(p, "needs max or relativeToStable") }
            guard let errors else { return nil }
            return SLO(name: name, measure: .rate(events: errors, total: total), max: max, relativeToStable: relative, minSamples: minSamples)
        case "histogram":
            guard let histogram = string("histogram") else { return nil }
            let quantile = number("quantile")
            if let q = quantile, !(q > 0 && q < 1) { fail(p + ["quantile"], "must be between 0 and 1 (0.95 for p95)") }
            if quantile == nil { fail(p + ["quantile"], "required (0.95 for p95)") }
            if max == nil { fail(p + ["max"], "required: the latency the quantile must stay under, in the histogram's unit (a bucket boundary)") }
            if let m = max, m <= 0 { fail(p + ["max"], "must be greater than 0") }
            var effect = SLO.defaultMinEffect
            if let e = number("minEffect") {
                if e >= 0 && e < 0.5 {
                    effect = e
                } else {
                    fail(p + ["minEffect"], "must be from 0 up to 0.5 (0.05: a canary request is slower than a stable one 55% of the time)")
                }
            }
            guard let quantile else { return nil }
            return SLO(
                name: name, measure: .latency(histogram: histogram, quantile: quantile), max: max, relativeToStable: relative, minSamples: minSamples,
                minEffect: effect)
        default:
            guard let query = string("distribution") else { return nil }
            let divergence = number("maxDivergence")
            if divergence == nil {
                fail(p + ["maxDivergence"], "required: the largest Jensen-Shannon divergence from the stable version's distribution, in bits (0 to 1)")
            }
            if let d = divergence, !(d > 0 && d <= 1) { fail(p + ["maxDivergence"], "must be greater than 0 and at most 1 (bits)") }
            return SLO(name: name, measure: .distribution(query: query), minSamples: minSamples, maxDivergence: divergence)
        }
    }
}
