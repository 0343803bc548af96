/// Unknown keys in a mapping, each with the known key it most likely misspells: a reader of an
/// API object that ignored `spec.rollbak` would silently turn a feature off.
public enum FieldNames {
    /// The keys of `value` (when it is a mapping) that are not in `known`, in the file's order,
    /// with the nearest known name when one is close.
    public static func unknown(in value: Value?, known: Set<String>) -> [(key: String, suggestion: String?)] {
        guard let fields = value?.objectValue else { return [] }
        return fields.keys.filter { !known.contains($0) }.map { ($0, nearest($0, in: known)) }
    }

    /// "unknown field; did you mean rollback?" or "unknown field (known: a, b, c)" (`noun`:
    /// what the key names, "setting" in a settings file).
    public static func message(_ suggestion: String?, known: Set<String>, noun: String = "field") -> String {
        if let suggestion { return "unknown \(noun); did you mean \(suggestion)?" }
        return "unknown \(noun) (known: \(known.sorted().joined(separator: ", ")))"
    }

    /// The known name within a third of the key's length in edits (at least one, at most three;
    /// case ignored), the closest first, ties by name.
    public static func nearest(_ key: String, in known: Set<String>) -> String? {
        let limit = min(3, max(1, key.count / 3))
        // The distance is at least the difference in length: a key far longer than every known
        // name (one from git may be megabytes) is compared with none.
        guard let longest = known.map(\.count).max(), key.count <= longest + limit else { return nil }
        return known.map { ($0, distance(key.lowercased(), $0.lowercased())) }.filter { $0.1 <= limit }
            .min { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }?.0
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// neighbours (`stpes` is one edit from `steps`).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a)
        let y = Array(b)
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[x.count][y.count]
    }
}
