internal import OrderedCollections
public import Values

extension Schema {
    /// Every problem with `value` against this schema, each naming its field; an absent field is
    /// checked by the object holding it (required or not).
    public func check(_ value: Value, at path: [String]) -> [FieldError] {
        if value.isNull { return [] }
        func fail(_ message: String) -> [FieldError] {
            [FieldError(path: path, message: reason.map { "\(message): \($0)" } ?? message)]
        }
        switch kind {
        case .string(let minLength, let values):
            guard let s = value.stringValue else { return fail("must be a string, not a \(value.typeName)\(Self.quoteHint(value))") }
            if s.count < minLength { return fail(minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters") }
            if let values, !values.contains(s) { return fail("must be \(Self.alternatives(values)), not '\(Printable.escaped(s, limit: 80))'") }
            return []
        case .integer(let lo, let hi):
            guard case .int(let i) = value else { return fail("must be an integer, not a \(value.typeName)") }
            if let lo, i < lo { return fail("must be at least \(lo)") }
            if let hi, i > hi { return fail("must be at most \(hi)") }
            return []
        case .number(let range):
            guard let d = value.doubleValue else { return fail("must be a number, not a \(value.typeName)") }
            return range.contains(d) ? [] : fail("must be a number \(range.text)")
        case .boolean:
            return value.boolValue == nil ? fail("must be true or false, not a \(value.typeName)") : []
        case .duration(let minimum, let keywords):
            if let s = value.stringValue, keywords.contains(s) { return [] }
            guard let seconds = Self.seconds(value) else {
                let or = keywords.isEmpty ? "" : " (or \(keywords.joined(separator: ", ")))"
                return fail("must be a duration such as 30s, 2m or 1h\(or)")
            }
            return seconds < minimum ? fail("must be at least \(DurationText.format(minimum))") : []
        case .list(let item, let minItems):
            guard let items = value.arrayValue else { return fail("must be a list, not a \(value.typeName)") }
            if items.count < minItems { return fail(minItems == 1 ? "must not be empty" : "must have at least \(minItems) items") }
            return items.enumerated().flatMap { item.check($1, at: path + [String($0)]) }
        case .object(let fields):
            guard let mapping = value.objectValue else { return fail("must be a mapping, not a \(value.typeName)") }
            return Self.check(mapping, fields: fields, at: path)
        case .map(let item):
            guard let mapping = value.objectValue else { return fail("must be a mapping, not a \(value.typeName)") }
            return mapping.flatMap { item.check($1, at: path + [$0]) }
        case .mapping:
            return value.objectValue == nil ? fail("must be a mapping, not a \(value.typeName)") : []
        case .any:
            return []
        }
    }

    static func check(_ mapping: OrderedDictionary<String, Value>, fields: [Field], at path: [String]) -> [FieldError] {
        let known = Set(fields.map(\.name))
        var errors: [FieldError] = []
        for (key, suggestion) in FieldNames.unknown(in: .object(mapping), known: known) {
            errors.append(FieldError(path: path + [key], message: FieldNames.message(suggestion, known: known), unknownField: true))
        }
        for field in fields {
            guard let v = mapping[field.name], !v.isNull else {
                if field.required { errors.append(FieldError(path: path + [field.name], message: "required")) }
                continue
            }
            errors += field.schema.check(v, at: path + [field.name])
        }
        return errors
    }

    /// Seconds of a duration field: text (`1m30s`) or whole seconds.
    public static func seconds(_ value: Value) -> Double? {
        switch value {
        case .string(let s): DurationText.parse(s)
        case .int(let i) where i >= 0: Double(i)
        default: nil
        }
    }

    static func alternatives(_ values: [String]) -> String {
        values.count <= 1 ? values.joined() : values.dropLast().joined(separator: ", ") + " or " + values.last!
    }

    /// A number or a boolean where text belongs (`version: 2025-11-03` reads as a date-like
    /// number in some YAML, `true` as a boolean) is fixed by quoting it.
    static func quoteHint(_ value: Value) -> String {
        switch value {
        case .int, .double, .bool: " (quote it: \"...\")"
        default: ""
        }
    }
}
