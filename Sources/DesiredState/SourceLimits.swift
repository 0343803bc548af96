public import Git
public import YAML

/// How much of a commit a source reads: its tree (files and bytes, on disk for a render) and the
/// manifests parsed from it (bytes and nodes, the plain files or a render's output). A commit
/// over any of them is refused with an error naming the file, and nothing of it is applied.
public struct SourceLimits: Sendable, Hashable {
    public var tree: TreeLimits
    public var manifests: ParseBudget.Limits

    public init(tree: TreeLimits = .default, manifests: ParseBudget.Limits = .default) {
        self.tree = tree
        self.manifests = manifests
    }

    public static let `default` = SourceLimits()
}
