/// Bounds that keep a hostile or broken file from exhausting the controller. The defaults are far
/// above anything a real manifest needs (the deepest CRD schemas in the wild nest about 40 levels,
/// the largest CRD bundles hold a few hundred thousand nodes, and hand-written YAML uses a handful
/// of anchors) and far below what would hurt a process with a 256 MB budget.
public struct ParseLimits: Sendable, Hashable {
    /// Deepest nesting of sequences and mappings.
    public var maxDepth: Int
    /// Most nodes a single document may hold once aliases are expanded. A "billion laughs" file
    /// is refused as soon as its expansion would pass this, before anything is built.
    public var maxNodesPerDocument: Int
    /// Most nodes one file may hold, all its documents together, aliases expanded: forty small
    /// alias bombs in one file are one bomb forty times over.
    public var maxNodesPerFile: Int
    /// Most nodes one file may add by expanding aliases and merge keys (beyond the anchored
    /// nodes themselves). Nodes written out cost input bytes; aliased ones cost nothing, which
    /// is what makes a few kilobytes expand to gigabytes.
    public var maxAliasNodesPerFile: Int
    /// Largest input accepted, in bytes.
    public var maxInputBytes: Int

    public init(
        maxDepth: Int = 128, maxNodesPerDocument: Int = 1_000_000, maxNodesPerFile: Int = 1_000_000, maxAliasNodesPerFile: Int = 100_000,
        maxInputBytes: Int = 64 << 20
    ) {
        self.maxDepth = maxDepth
        self.maxNodesPerDocument = maxNodesPerDocument
        self.maxNodesPerFile = maxNodesPerFile
        self.maxAliasNodesPerFile = maxAliasNodesPerFile
        self.maxInputBytes = maxInputBytes
    }

    public static let `default` = ParseLimits()
}
