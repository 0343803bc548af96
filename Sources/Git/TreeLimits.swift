/// How much of one commit Sluice reads: a repository's writer decides how big its tree is, and a
/// tree that does not fit is refused before it is in memory or on disk.
public struct TreeLimits: Sendable, Hashable {
    /// Files read from the tree.
    public var maxFiles: Int
    /// Bytes of those files together.
    public var maxBytes: Int

    public init(maxFiles: Int = 20_000, maxBytes: Int = 128 << 20) {
        self.maxFiles = maxFiles
        self.maxBytes = maxBytes
    }

    public static let `default` = TreeLimits()
}
