public import OrderedCollections

/// The value model every layer of Sluice shares: what a YAML document or a JSON body means once
/// scalars are resolved. It is the JSON data model (Kubernetes speaks JSON) with exact 64-bit
/// integers kept apart from floating-point numbers, and mapping keys kept in source order.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([Value])
    case object(OrderedDictionary<String, Value>)
}

extension Value {
    public static let emptyObject = Value.object([:])

    public var isNull: Bool { if case .null = self { true } else { false } }

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    public var arrayValue: [Value]? { if case .array(let a) = self { a } else { nil } }
    public var objectValue: OrderedDictionary<String, Value>? { if case .object(let o) = self { o } else { nil } }

    /// The name of this value's type as error messages show it.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .int: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "list"
        case .object: "mapping"
        }
    }

    /// Member access on a mapping; `nil` for a missing key or a value that is not a mapping.
    public subscript(key: String) -> Value? {
        get { objectValue?[key] }
        set {
            guard case .object(var o) = self else { return }
            self = .null  // release the payload so the dictionary mutates in place
            o[key] = newValue
            self = .object(o)
        }
    }

    /// Walks a path of mapping keys.
    public subscript(path path: [String]) -> Value? {
        var current: Value? = self
        for key in path { current = current?[key] }
        return current
    }

    /// Sets (or, with `nil`, removes) the value at a path of mapping keys, creating
    /// intermediate mappings on the way when setting.
    public mutating func set(_ value: Value?, at path: ArraySlice<String>) {
        guard let first = path.first else {
            if let value { self = value }
            return
        }
        guard case .object(var o) = self else { return }
        self = .null  // release the payload so the dictionary mutates in place
        if path.count == 1 {
            o[first] = value
        } else if value == nil {
            if var child = o[first] {
                child.set(nil, at: path.dropFirst())
                o[first] = child
            }
        } else {
            var child = o[first] ?? .emptyObject
            if child.objectValue == nil { child = .emptyObject }
            child.set(value, at: path.dropFirst())
            o[first] = child
        }
        self = .object(o)
    }

    public mutating func set(_ value: Value?, at path: [String]) { set(value, at: path[...]) }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .object(OrderedDictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension Value {
    /// A deep copy that shares no storage with `self`. Swift strings and collections are
    /// copy-on-write, so a few fields picked out of a large parsed object keep that object's
    /// string buffers alive, scattered over pages the rest of it freed; a long-lived cache
    /// copies what it keeps so those pages can be returned.
    public func detached() -> Value {
        switch self {
        case .null, .bool, .int, .double: return self
        case .string(let s): return .string(s.detached())
        case .array(let a): return .array(a.map { $0.detached() })
        case .object(let o):
            var copy = OrderedDictionary<String, Value>(minimumCapacity: o.count)
            for (k, v) in o { copy[k.detached()] = v.detached() }
            return .object(copy)
        }
    }
}

extension String {
    /// A copy with storage of its own (see `Value.detached()`).
    public func detached() -> String { String(decoding: Array(utf8), as: UTF8.self) }
}
