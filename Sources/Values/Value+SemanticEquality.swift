extension Value {
    /// Equality as JSON consumers (and a Kubernetes API server comparing typed objects) see it:
    /// key order ignored, and an integer equal to a float of the same value (kubectl prints the
    /// float 1000.0 as `1000`; Sluice keeps the `1000.0` a manifest wrote).
    public func semanticallyEquals(_ other: Value) -> Bool {
        switch (self, other) {
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for (k, v) in a {
                guard let w = b[k], v.semanticallyEquals(w) else { return false }
            }
            return true
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.semanticallyEquals($1) }
        case (.int, .double), (.double, .int), (.double, .double):
            return self.doubleValue == other.doubleValue
        default:
            return self == other
        }
    }
}
