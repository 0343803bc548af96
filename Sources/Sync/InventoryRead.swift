/// The inventory a plan was made against, as the planner read it. The apply decides on the same
/// read instead of reading again: one GET per sync pass, and a plan and an apply that cannot
/// disagree about what the source owns.
public enum InventoryRead: Sendable, Equatable {
    /// None is stored: the source's first sync.
    case absent
    case found(Inventory)
    /// The read failed (the message says why): nothing may be applied, pruned or recorded.
    case unreadable(String)

    /// The inventory read, nil when none is stored or it could not be read.
    public var inventory: Inventory? { if case .found(let i) = self { i } else { nil } }
}
