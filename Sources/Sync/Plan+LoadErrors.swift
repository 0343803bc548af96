public import Manifests

extension Plan {
    /// The plan for a commit some of whose files did not load: nothing is pruned, because an
    /// object in a file that failed to parse cannot be told from one that left git, and the
    /// files' errors become the plan's. Everything that did load is still planned.
    public func withLoadErrors(_ errors: [ManifestError]) -> Plan {
        guard !errors.isEmpty else { return self }
        var plan = self
        plan.items.removeAll { $0.action == .prune }
        plan.errors += errors.map(\.description)
        return plan
    }
}
