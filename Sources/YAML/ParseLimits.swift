/// Bounds that keep a hostile or broken file from exhausting the controller. The defaults are far
/// above anything a real manifest needs (the deepest CRD schemas in the wild nest about 40 levels)
/// and far below what would hurt a process with a 64 MB budget.
public struct ParseLimits: Sendable, Hashable {
    /// Deepest nesting of sequences and mappings.
    public var maxDepth: Int
    /// Most nodes a single document may hold once aliases are expanded. A "billion laughs" file
    /// is refused as soon as its expansion would pass this, before anything is built.
    public var maxNodesPerDocument: Int
    /// Largest input accepted, in bytes.
    public var maxInputBytes: Int

    public init(maxDepth: Int = 128, maxNodesPerDocument: Int = 1_000_000, maxInputBytes: Int = 64 << 20) {
        self.maxDepth = maxDepth
        self.maxNodesPerDocument = maxNodesPerDocument
        self.maxInputBytes = maxInputBytes
    }

    public static let `default` = ParseLimits()
}
