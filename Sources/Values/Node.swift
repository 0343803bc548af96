public import OrderedCollections

/// A parsed YAML node: the resolved value plus where each part of it came from, so that every
/// later layer can point a user at the exact line of a bad field.
public struct Node: Sendable {
    public enum Content: Sendable {
        /// A resolved scalar: never `.array` or `.object`.
        case scalar(Value)
        case sequence([Node])
        case mapping(OrderedDictionary<String, Entry>)
    }

    public struct Entry: Sendable {
        public var keyMark: Mark
        public var value: Node

        package init(keyMark: Mark, value: Node) {
            self.keyMark = keyMark
            self.value = value
        }
    }

    public var content: Content
    public var mark: Mark

    public init(_ content: Content, mark: Mark) {
        self.content = content
        self.mark = mark
    }

    /// The value without positions.
    public var value: Value {
        switch content {
        case .scalar(let v):
            return v
        case .sequence(let items):
            return .array(items.map(\.value))
        case .mapping(let entries):
            var o = OrderedDictionary<String, Value>(minimumCapacity: entries.count)
            for (k, e) in entries { o[k] = e.value.value }
            return .object(o)
        }
    }

    public subscript(key: String) -> Node? {
        if case .mapping(let entries) = content { return entries[key]?.value }
        return nil
    }

    /// The position of the deepest node along a path of mapping keys and list indexes (as
    /// decimal strings): where an error about that field should point. Falls back to the
    /// closest ancestor that exists.
    public func mark(at path: [String]) -> Mark {
        var node = self
        var best = mark
        for component in path {
            switch node.content {
            case .mapping(let entries):
                guard let e = entries[component] else { return best }
                best = e.keyMark
                node = e.value
            case .sequence(let items):
                guard let i = Int(component), items.indices.contains(i) else { return best }
                node = items[i]
                best = node.mark
            case .scalar:
                return best
            }
        }
        return best
    }

    /// Node count including every nested node; what alias expansion is bounded by.
    var weight: Int {
        switch content {
        case .scalar: return 1
        case .sequence(let items): return items.reduce(1) { $0 + $1.weight }
        case .mapping(let entries): return entries.values.reduce(1) { $0 + $1.value.weight }
        }
    }
}

/// One document of a YAML stream.
public struct Document: Sendable {
    public var root: Node
    /// 0-based index of the document in its stream.
    public var index: Int

    public init(root: Node, index: Int) {
        self.root = root
        self.index = index
    }

    /// An empty document (nothing but comments, or `---` with nothing after it).
    public var isEmpty: Bool {
        if case .scalar(.null) = root.content { return true }
        return false
    }
}
