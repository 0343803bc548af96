/// What a status's keys mean, for the reference docs' status table. A status is written by the
/// controller, not checked by a schema, so this lists its keys beside the type that writes them,
/// and a test holds the two together: a key the type writes that is in no row and not internal
/// fails it, as does a row naming a key the type does not write.
public struct StatusReference: Sendable {
    public struct Row: Sendable {
        public let keys: [String]
        public let meaning: String

        public init(_ keys: [String], _ meaning: String) {
            self.keys = keys
            self.meaning = meaning
        }
    }

    public let rows: [Row]
    /// Keys the controller keeps for itself (its memory from pass to pass), not for people.
    public let internalKeys: Set<String>

    public init(_ rows: [Row], internal internalKeys: Set<String> = []) {
        self.rows = rows
        self.internalKeys = internalKeys
    }

    public var documentedKeys: Set<String> { Set(rows.flatMap(\.keys)) }

    public func table() -> String {
        var lines = ["| field | meaning |", "|---|---|"]
        for row in rows {
            let names = row.keys.map { "`\($0)`" }.joined(separator: ", ")
            lines.append("| \(names) | \(row.meaning.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        return lines.joined(separator: "\n")
    }
}
