/// The protobuf wire format: a sequence of (field number, wire type, payload). Only what the
/// Kubernetes types use: varints, 64-bit, length-delimited (strings, bytes, messages, packed
/// scalars) and 32-bit fields.
struct ProtobufReader {
    enum Payload: Equatable {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes(ArraySlice<UInt8>)
        case fixed32(UInt32)
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while let b = bytes.popFirst() {
            result |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
            if shift > 63 { throw Malformed(description: "varint longer than 10 bytes") }
        }
        throw Malformed(description: "truncated varint")
    }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count else { throw Malformed(description: "field of \(n) bytes runs past the end") }
        let out = bytes.prefix(n)
        bytes = bytes.dropFirst(n)
        return out
    }

    /// The next field, nil at the end.
    mutating func next() throws -> (number: Int, payload: Payload)? {
        guard !bytes.isEmpty else { return nil }
        let key = try varint()
        let number = Int(key >> 3)
        switch key & 7 {
        case 0: return (number, .varint(try varint()))
        case 1:
            let b = try take(8)
            return (number, .fixed64(b.reversed().reduce(0) { $0 << 8 | UInt64($1) }))
        case 2: return (number, .bytes(try take(Int(try varint()))))
        case 5:
            let b = try take(4)
            return (number, .fixed32(b.reversed().reduce(0) { $0 << 8 | UInt32($1) }))
        default: throw Malformed(description: "wire type \(key & 7) of field \(number) is not supported")
        }
    }

    /// Every field of a message, in order.
    static func fields(_ bytes: ArraySlice<UInt8>) throws -> [(number: Int, payload: Payload)] {
        var r = ProtobufReader(bytes)
        var out: [(Int, Payload)] = []
        while let f = try r.next() { out.append(f) }
        return out
    }
}
