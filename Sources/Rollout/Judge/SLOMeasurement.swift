/// What a query for a labelled vector returned: one value per series, by its labels.
public enum VectorOutcome: Sendable, Equatable {
    case series([[String: String]: Double])
    case error(String)
}

/// What the controller measured for one version, for one SLO.
public enum SLOMeasurement: Sendable, Equatable {
    case value(QueryOutcome)
    /// Events and requests (both `increase()` over the window).
    case rate(events: QueryOutcome, total: QueryOutcome)
    /// Counts by label (`le` buckets of a histogram, or classes).
    case counts(VectorOutcome)

    /// The first query error in it, if any.
    public var error: String? {
        switch self {
        case .value(.error(let m)), .rate(.error(let m), _), .rate(_, .error(let m)), .counts(.error(let m)): m
        default: nil
        }
    }
}
