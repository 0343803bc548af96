public import Values

extension Schema {
    /// The reference docs' table of this object's fields: name, default, meaning. Fields named
    /// in `expanding` (dotted, relative to this object) are shown by their own fields
    /// (`analysis.interval`) instead of as one row.
    public func referenceTable(expanding: Set<String> = []) -> String {
        var lines = ["| field | default | meaning |", "|---|---|---|"]
        for (name, field) in rows(prefix: "", expanding: expanding) {
            let meaning = field.schema.description.replacingOccurrences(of: "|", with: "\\|")
            lines.append("| `\(name)` | \(field.defaultColumn) | \(meaning) |")
        }
        return lines.joined(separator: "\n")
    }

    func rows(prefix: String, expanding: Set<String>) -> [(String, Field)] {
        fields.flatMap { field -> [(String, Field)] in
            let name = prefix + field.name
            if expanding.contains(name) { return field.schema.rows(prefix: name + ".", expanding: expanding) }
            return [(name, field)]
        }
    }
}

extension Field {
    var defaultColumn: String {
        if required { return "**required**" }
        if let text = schema.defaultText { return text }
        guard let v = schema.defaultValue else { return "—" }
        switch v {
        case .int, .double, .bool: return Self.literal(v)
        default: return "`\(Self.literal(v))`"
        }
    }

    static func literal(_ v: Value) -> String {
        switch v {
        case .null: "null"
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .double(let d): String(d)
        case .string(let s): s
        case .array(let items): "[" + items.map(literal).joined(separator: ", ") + "]"
        case .object(let fields): "{" + fields.map { "\($0): \(literal($1))" }.joined(separator: ", ") + "}"
        }
    }
}
