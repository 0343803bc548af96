/// A value stored as itself inside a Codable record (a status field holding pod template fields),
/// so the record carries a mapping, not a JSON text inside a string.
extension Value: Codable {
    struct FieldKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: FieldKey.self) {
            var fields: [(String, Value)] = []
            for key in object.allKeys { fields.append((key.stringValue, try object.decode(Value.self, forKey: key))) }
            // Decoders do not promise an order of keys; sorted is stable across reads.
            self = .object(.init(uniqueKeysWithValues: fields.sorted { $0.0 < $1.0 }))
        } else if var list = try? decoder.unkeyedContainer() {
            var items: [Value] = []
            while !list.isAtEnd { items.append(try list.decode(Value.self)) }
            self = .array(items)
        } else {
            self = try Self.scalar(try decoder.singleValueContainer())
        }
    }

    static func scalar(_ c: any SingleValueDecodingContainer) throws -> Value {
        if c.decodeNil() { return .null }
        if let b = try? c.decode(Bool.self) { return .bool(b) }
        if let i = try? c.decode(Int64.self) { return .int(i) }
        if let d = try? c.decode(Double.self) { return .double(d) }
        return .string(try c.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let fields):
            var c = encoder.container(keyedBy: FieldKey.self)
            for (k, v) in fields { try c.encode(v, forKey: FieldKey(stringValue: k)) }
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for v in items { try c.encode(v) }
        default:
            var c = encoder.singleValueContainer()
            switch self {
            case .bool(let b): try c.encode(b)
            case .int(let i): try c.encode(i)
            case .double(let d): try c.encode(d)
            case .string(let s): try c.encode(s)
            default: try c.encodeNil()
            }
        }
    }
}
