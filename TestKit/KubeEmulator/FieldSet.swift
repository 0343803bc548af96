import OrderedCollections
import YAML

/// One step of a field path, as server-side apply names them in `managedFields`:
/// `f:name` (a field), `k:{"name":"web"}` (an item of a keyed list), `v:"x"` (an item of a set).
enum PathElement: Hashable, Comparable, Sendable {
    case field(String)
    case key(String)
    case value(String)

    var encoded: String {
        switch self {
        case .field(let f): "f:" + f
        case .key(let k): "k:" + k
        case .value(let v): "v:" + v
        }
    }

    static func decode(_ s: String) -> PathElement? {
        if s.hasPrefix("f:") { return .field(String(s.dropFirst(2))) }
        if s.hasPrefix("k:") { return .key(String(s.dropFirst(2))) }
        if s.hasPrefix("v:") { return .value(String(s.dropFirst(2))) }
        return nil
    }

    static func < (a: PathElement, b: PathElement) -> Bool { a.encoded < b.encoded }
}

/// A set of field paths, stored as a tree. A node that is itself a member (a leaf field, or a
/// list item owned as a whole) has `isMember`; FieldsV1 writes that as `".": {}` when the node
/// also has children.
struct FieldSet: Equatable, Sendable {
    var isMember = false
    var children: [PathElement: FieldSet] = [:]

    var isEmpty: Bool { !isMember && children.isEmpty }

    func contains(_ path: ArraySlice<PathElement>) -> Bool {
        guard let first = path.first else { return isMember }
        return children[first]?.contains(path.dropFirst()) ?? false
    }

    /// The path itself or anything below it is a member.
    func touches(_ path: ArraySlice<PathElement>) -> Bool {
        guard let first = path.first else { return !isEmpty }
        return children[first]?.touches(path.dropFirst()) ?? false
    }

    mutating func insert(_ path: ArraySlice<PathElement>) {
        guard let first = path.first else {
            isMember = true
            return
        }
        children[first, default: FieldSet()].insert(path.dropFirst())
    }

    func union(_ other: FieldSet) -> FieldSet {
        var out = self
        out.isMember = isMember || other.isMember
        for (k, v) in other.children { out.children[k] = (out.children[k] ?? FieldSet()).union(v) }
        return out
    }

    func subtracting(_ other: FieldSet) -> FieldSet {
        var out = FieldSet(isMember: isMember && !other.isMember)
        for (k, v) in children {
            let rest = other.children[k].map { v.subtracting($0) } ?? v
            if !rest.isEmpty { out.children[k] = rest }
        }
        return out
    }

    func intersection(_ other: FieldSet) -> FieldSet {
        var out = FieldSet(isMember: isMember && other.isMember)
        for (k, v) in children {
            if let o = other.children[k] {
                let both = v.intersection(o)
                if !both.isEmpty { out.children[k] = both }
            }
        }
        return out
    }

    /// Every member path, parents before children.
    var paths: [[PathElement]] {
        var out: [[PathElement]] = []
        func walk(_ node: FieldSet, _ prefix: [PathElement]) {
            if node.isMember { out.append(prefix) }
            for k in node.children.keys.sorted() { walk(node.children[k]!, prefix + [k]) }
        }
        walk(self, [])
        return out
    }

    // MARK: FieldsV1

    var fieldsV1: Value {
        var o = OrderedDictionary<String, Value>()
        if isMember && !children.isEmpty { o["."] = .emptyObject }
        for k in children.keys.sorted() { o[k.encoded] = children[k]!.fieldsV1 }
        return .object(o)
    }

    init(isMember: Bool = false, children: [PathElement: FieldSet] = [:]) {
        self.isMember = isMember
        self.children = children
    }

    init(fieldsV1 value: Value) {
        let o = value.objectValue ?? [:]
        isMember = o.isEmpty || o["."] != nil
        for (k, v) in o where k != "." {
            if let e = PathElement.decode(k) { children[e] = FieldSet(fieldsV1: v) }
        }
    }
}

/// Readable form of a path for conflict messages: `.spec.template.spec.containers[name="web"].image`.
func describePath(_ path: [PathElement]) -> String {
    var out = ""
    for e in path {
        switch e {
        case .field(let f): out += "." + f
        case .key(let k):
            if case .object(let o)? = try? JSON.parse(k) {
                out += "[" + o.map { "\($0.key)=\((try? JSON.serialize($0.value)) ?? "")" }.joined(separator: ",") + "]"
            } else {
                out += "[\(k)]"
            }
        case .value(let v): out += "[=\(v)]"
        }
    }
    return out
}
