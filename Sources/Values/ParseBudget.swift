/// What a set of files read together (one commit, one render's output, one `sluice validate`)
/// may cost in all. Per-file limits alone let a commit of many small bombs through; this is
/// charged by every parse that is given it, and a parse that would overdraw it fails naming the
/// file and the line where the budget ran out.
public struct ParseBudget: Sendable, Hashable {
    public struct Limits: Sendable, Hashable {
        /// Bytes of YAML and JSON parsed, all files together.
        public var maxBytes: Int
        /// Nodes, aliases expanded, all files together.
        public var maxNodes: Int
        /// Nodes added by aliases and merge keys, all files together.
        public var maxAliasNodes: Int

        public init(maxBytes: Int = 32 << 20, maxNodes: Int = 2_000_000, maxAliasNodes: Int = 500_000) {
            self.maxBytes = maxBytes
            self.maxNodes = maxNodes
            self.maxAliasNodes = maxAliasNodes
        }

        public static let `default` = Limits()
        /// No limit beyond the per-file ones: for input Sluice wrote itself.
        public static let unlimited = Limits(maxBytes: .max, maxNodes: .max, maxAliasNodes: .max)
    }

    public let limits: Limits
    public internal(set) var bytes = 0
    public package(set) var nodes = 0
    public package(set) var aliasNodes = 0

    public init(_ limits: Limits = .default) { self.limits = limits }

    /// Charges a file's size before it is parsed.
    package mutating func spend(bytes count: Int, file: String?) throws {
        bytes += count
        if bytes > limits.maxBytes {
            throw YAMLError(
                .overBudget, "the files read together pass \(limits.maxBytes) bytes (the limit for one commit or render, max-manifest-bytes)", file: file)
        }
    }
}
