public import Values

extension PlanItem {
    /// Create, update or unchanged, from what is live and what the dry run says the object will
    /// be (both normalised): equal in meaning is unchanged. A ModelDeployment's revision
    /// annotation moves with every commit and alone is no change. Pure.
    public static func action(live: Value?, merged: Value) -> Action {
        guard let live else { return .create }
        func withoutRevision(_ v: Value) -> Value {
            var o = v
            o.set(nil, at: ["metadata", "annotations", Ownership.revisionAnnotation])
            return Normalize.sortedKeys(o)
        }
        return withoutRevision(live) == withoutRevision(merged) ? .unchanged : .update
    }
}
