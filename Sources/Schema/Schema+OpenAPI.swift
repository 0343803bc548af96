public import Values

extension Schema {
    /// This schema as a CRD's OpenAPI v3 schema (`apiextensions.k8s.io/v1`, structural): what
    /// the API server validates and defaults with, and what `kubectl explain` shows.
    public var openAPI: Value {
        var v = Value.emptyObject
        switch kind {
        case .string(let minLength, let values):
            v["type"] = "string"
            if minLength > 0 { v["minLength"] = .int(Int64(minLength)) }
            if let values { v["enum"] = .array(values.map(Value.string)) }
        case .integer(let lo, let hi):
            v["type"] = "integer"
            if let lo { v["minimum"] = .int(lo) }
            if let hi { v["maximum"] = .int(hi) }
        case .number(let range):
            v["type"] = "number"
            if let lo = range.minimum { v["minimum"] = Self.number(lo) }
            if range.exclusiveMinimum { v["exclusiveMinimum"] = true }
            if let hi = range.maximum { v["maximum"] = Self.number(hi) }
            if range.exclusiveMaximum { v["exclusiveMaximum"] = true }
        case .boolean:
            v["type"] = "boolean"
        case .duration(_, let keywords):
            // Text (`30s`, `1m30s`) or whole seconds, as the reader takes them.
            v["x-kubernetes-int-or-string"] = true
            v["pattern"] = .string((["^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$", "^[0-9]+$"] + keywords.map { "^\($0)$" }).joined(separator: "|"))
        case .list(let item, let minItems):
            v["type"] = "array"
            if minItems > 0 { v["minItems"] = .int(Int64(minItems)) }
            v["items"] = item.openAPI
        case .object(let fields):
            v["type"] = "object"
            let required = fields.filter(\.required).map { Value.string($0.name) }
            if !required.isEmpty { v["required"] = .array(required) }
            var properties = Value.emptyObject
            for field in fields { properties[field.name] = field.schema.openAPI }
            v["properties"] = properties
        case .map(let item):
            v["type"] = "object"
            v["additionalProperties"] = item.openAPI
        case .mapping:
            v["type"] = "object"
            v["x-kubernetes-preserve-unknown-fields"] = true
        case .any:
            v["x-kubernetes-preserve-unknown-fields"] = true
        }
        if !description.isEmpty { v["description"] = .string(Self.plain(description)) }
        if let defaultValue { v["default"] = defaultValue }
        return v
    }

    static func number(_ x: Double) -> Value { x == x.rounded() && abs(x) < 1e15 ? .int(Int64(x)) : .double(x) }

    /// Markdown as `kubectl explain` prints it: without code marks, emphasis and link targets.
    static func plain(_ markdown: String) -> String {
        let chars = Array(markdown.replacingOccurrences(of: "**", with: ""))
        var out = ""
        var i = 0
        while i < chars.count {
            if chars[i] == "[", let close = chars[i...].firstIndex(of: "]"), close + 1 < chars.count, chars[close + 1] == "(",
                let end = chars[(close + 1)...].firstIndex(of: ")")
            {
                out += String(chars[(i + 1)..<close])
                i = end + 1
                continue
            }
            if chars[i] != "`" { out.append(chars[i]) }
            i += 1
        }
        return out
    }
}
