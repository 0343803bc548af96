import Values

/// Reads one entry of `spec.canary.slos`: which form it takes and what that form needs. The
/// fields' types and bounds are `ModelDeploymentAPI.slo`'s (checked before); a problem here
/// that the schema already reported for the same field is dropped by the caller.
struct SLOParser {
    static let measures = ["query", "errors", "histogram", "distribution"]
    static let allowed: [String: Set<String>] = [
        "query": ["name", "query", "max", "min", "relativeToStable"],
        "errors": ["name", "errors", "total", "max", "relativeToStable", "minSamples"],
        "histogram": ["name", "histogram", "quantile", "max", "relativeToStable", "minSamples", "minEffect"],
        "distribution": ["name", "distribution", "maxDivergence", "minSamples"],
    ]

    let item: Value
    let p: [String]
    let fail: ([String], String) -> Void

    static func parse(_ item: Value, at p: [String], fail: ([String], String) -> Void, unknown: ([String], String) -> Void) -> SLO? {
        guard let name = item["name"]?.stringValue, !name.isEmpty else {
            fail(p + ["name"], "required")
            return nil
        }
        let given = measures.filter { item[$0] != nil && item[$0]?.isNull == false }
        guard given.count == 1, let kind = given.first, let known = allowed[kind] else {
            fail(
                p,
                given.isEmpty ? "needs one of query, errors (with total), histogram or distribution" : "gives \(given.joined(separator: " and ")): choose one")
            return nil
        }
        for key in (item.objectValue?.keys).map(Array.init) ?? [] where !known.contains(key) {
            let suggestion = FieldNames.nearest(key, in: known).map { "did you mean \($0)?" } ?? "allowed: \(known.sorted().joined(separator: ", "))"
            unknown(p + [key], "unknown field for an SLO with \(kind); \(suggestion)")
        }
        return withoutActuallyEscaping(fail) { fail in
            let reader = SLOParser(item: item, p: p, fail: fail)
            switch kind {
            case "query": return reader.value(name)
            case "errors": return reader.rate(name)
            case "histogram": return reader.latency(name)
            default: return reader.distribution(name)
            }
        }
    }

    // Types and bounds were checked by `ModelDeploymentAPI.slo`: a value of the wrong type
    // reads as absent here, its error already recorded.
    func string(_ key: String) -> String? { item[key]?.stringValue }

    func number(_ key: String) -> Double? { item[key]?.doubleValue }

    var minSamples: Int { item["minSamples"]?.intValue.map { Int($0) } ?? SLO.defaultMinSamples }

    var relative: Double? { number("relativeToStable") }
}

extension SLOParser {
    func value(_ name: String) -> SLO? {
        let (max, min, relative) = (number("max"), number("min"), relative)
        guard let query = string("query") else { return nil }
        if max == nil && min == nil && relative == nil { fail(p, "needs max, min or relativeToStable") }
        return SLO(name: name, measure: .value(query: query), max: max, min: min, relativeToStable: relative)
    }

    func rate(_ name: String) -> SLO? {
        let (max, relative) = (number("max"), relative)
        let errors = string("errors")
        guard let total = string("total") else {
            fail(p + ["total"], "required with errors (the query counting all requests)")
            return nil
        }
        if let m = max, !(m > 0 && m < 1) { fail(p + ["max"], "must be a rate between 0 and 1 (0.01 is 1%)") }
        if max == nil && relative == nil { fail(p, "needs max or relativeToStable") }
        guard let errors else { return nil }
        return SLO(name: name, measure: .rate(events: errors, total: total), max: max, relativeToStable: relative, minSamples: minSamples)
    }

    func latency(_ name: String) -> SLO? {
        let (max, relative) = (number("max"), relative)
        guard let histogram = string("histogram") else { return nil }
        let quantile = number("quantile")
        if quantile == nil { fail(p + ["quantile"], "required (0.95 for p95)") }
        if max == nil { fail(p + ["max"], "required: the latency the quantile must stay under, in the histogram's unit (a bucket boundary)") }
        if let m = max, m <= 0 { fail(p + ["max"], "must be greater than 0") }
        let effect = number("minEffect") ?? SLO.defaultMinEffect
        guard let quantile else { return nil }
        return SLO(
            name: name, measure: .latency(histogram: histogram, quantile: quantile), max: max, relativeToStable: relative, minSamples: minSamples,
            minEffect: effect)
    }

    func distribution(_ name: String) -> SLO? {
        guard let query = string("distribution") else { return nil }
        let divergence = number("maxDivergence")
        if divergence == nil {
            fail(p + ["maxDivergence"], "required: the largest Jensen-Shannon divergence from the stable version's distribution, in bits (0 to 1)")
        }
        return SLO(name: name, measure: .distribution(query: query), minSamples: minSamples, maxDivergence: divergence)
    }
}
