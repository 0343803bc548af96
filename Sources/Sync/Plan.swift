public import Manifests
public import Values

/// What a sync would do to one object.
public struct PlanItem: Sendable {
    public enum Action: String, Sendable, Codable {
        case create, update, prune, unchanged
        /// Could not be planned (dry run refused, kind not served...): see `error`.
        case error
    }

    public var ref: ObjectReference
    public var action: Action
    public var source: ObjectSource?
    /// The object to apply (with Sluice's ownership marks), nil for prunes.
    public var desired: Value?
    /// The live object, normalised; nil when it does not exist.
    public var live: Value?
    /// What the object will look like after applying (the server's dry-run answer, normalised).
    public var merged: Value?
    /// Digest of `merged`, kept when the plan drops `merged` itself (see `SyncOptions.detailedPlan`).
    public var fingerprint: Fingerprint?
    /// Unified diff of live → merged YAML, secrets redacted.
    public var diff: String
    public var error: String?
    /// Why the plan took a shortcut (`its CustomResourceDefinition is created in this sync`).
    public var note: String?

    public init(
        ref: ObjectReference, action: Action, source: ObjectSource? = nil, desired: Value? = nil, live: Value? = nil, merged: Value? = nil, diff: String = "",
        error: String? = nil, note: String? = nil
    ) {
        self.ref = ref
        self.action = action
        self.source = source
        self.desired = desired
        self.live = live
        self.merged = merged
        self.diff = diff
        self.error = error
        self.note = note
    }
}

/// Everything a sync would do, in apply order.
public struct Plan: Sendable {
    public var source: String
    public var items: [PlanItem]
    /// Problems with the plan as a whole (an empty desired set refused, a missing inventory...).
    public var errors: [String] = []
    /// The inventory as the planner read it; nil for a plan made without one (the apply reads it).
    public var inventory: InventoryRead?

    public init(source: String, items: [PlanItem], errors: [String] = [], inventory: InventoryRead? = nil) {
        self.source = source
        self.items = items
        self.errors = errors
        self.inventory = inventory
    }

    public func count(_ action: PlanItem.Action) -> Int { items.filter { $0.action == action }.count }
    public var hasChanges: Bool { items.contains { [.create, .update, .prune].contains($0.action) } }
    public var hasErrors: Bool { !errors.isEmpty || items.contains { $0.action == .error } }

    /// `2 to create, 3 to update, 1 to prune, 40 unchanged` (and errors, when there are any).
    public var summary: String {
        var parts = ["\(count(.create)) to create", "\(count(.update)) to update", "\(count(.prune)) to prune", "\(count(.unchanged)) unchanged"]
        let errors = count(.error) + self.errors.count
        if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }
}
