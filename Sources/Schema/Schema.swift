public import Values

/// One field of an API object, written once: its type and rules, its default and what it means.
/// The reader checks objects against it (`check`), fills its defaults (`defaulted`), and the
/// CRD's OpenAPI schema and the reference docs' tables are generated from it, so the three
/// cannot drift apart.
public struct Schema: Sendable {
    public indirect enum Kind: Sendable {
        case string(minLength: Int, values: [String]?)
        case integer(minimum: Int64?, maximum: Int64?)
        case number(NumberRange)
        case boolean
        /// `30s`, `2m`, `1h30m` (or whole seconds); `keywords` are words allowed instead (`auto`).
        case duration(minimum: Double, keywords: [String])
        case list(Schema, minItems: Int)
        case object([Field])
        /// A mapping of names to values of one schema (labels).
        case map(Schema)
        /// A mapping whose fields are checked where it is read (Kubernetes types passed through).
        case mapping
        /// Any value, checked where it is read.
        case any
    }

    public var kind: Kind
    public var description: String
    /// What an absent field means; the CRD's `default` and the docs' default column.
    public var defaultValue: Value?
    /// The docs' default column when the default is not a literal (`metadata.name`).
    public var defaultText: String?
    /// Why a bound exists, appended to the error that enforces it.
    public var reason: String?

    public init(_ kind: Kind, _ description: String = "", default defaultValue: Value? = nil, defaultText: String? = nil, reason: String? = nil) {
        self.kind = kind
        self.description = description
        self.defaultValue = defaultValue
        self.defaultText = defaultText
        self.reason = reason
    }
}

/// A named field of an object schema.
public struct Field: Sendable {
    public var name: String
    public var schema: Schema
    public var required: Bool

    public init(_ name: String, _ schema: Schema, required: Bool = false) {
        self.name = name
        self.schema = schema
        self.required = required
    }
}

/// Bounds of a number, each inclusive or not.
public struct NumberRange: Sendable, Equatable {
    public var minimum: Double?
    public var maximum: Double?
    public var exclusiveMinimum = false
    public var exclusiveMaximum = false

    public init(minimum: Double? = nil, maximum: Double? = nil, exclusiveMinimum: Bool = false, exclusiveMaximum: Bool = false) {
        self.minimum = minimum
        self.maximum = maximum
        self.exclusiveMinimum = exclusiveMinimum
        self.exclusiveMaximum = exclusiveMaximum
    }

    func contains(_ x: Double) -> Bool {
        if let m = minimum, exclusiveMinimum ? x <= m : x < m { return false }
        if let m = maximum, exclusiveMaximum ? x >= m : x > m { return false }
        return true
    }

    /// "from 0.5 up to (not including) 1", "greater than 0", "at most 1".
    var text: String {
        func n(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }
        switch (minimum, maximum) {
        case (let lo?, let hi?):
            let from = exclusiveMinimum ? "greater than \(n(lo)) and" : "from \(n(lo))"
            return exclusiveMaximum ? "\(from) up to (not including) \(n(hi))" : "\(from) \(exclusiveMinimum ? "at most" : "to") \(n(hi))"
        case (let lo?, nil): return exclusiveMinimum ? "greater than \(n(lo))" : "at least \(n(lo))"
        case (nil, let hi?): return exclusiveMaximum ? "less than \(n(hi))" : "at most \(n(hi))"
        case (nil, nil): return "any number"
        }
    }
}

extension Schema {
    /// The fields of an object schema (none for other kinds).
    public var fields: [Field] {
        if case .object(let fields) = kind { return fields }
        return []
    }

    /// The schema at a path of field names (list items are passed through).
    public subscript(path: [String]) -> Schema? {
        var current: Schema? = self
        for name in path {
            if case .list(let item, _)? = current?.kind { current = item }
            current = current?.fields.first { $0.name == name }?.schema
        }
        return current
    }
}
