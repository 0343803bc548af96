/// The SSH wire encoding (RFC 4251 §5): big-endian lengths before strings.
struct SSHWireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ b: some Sequence<UInt8>) { bytes += b }

    mutating func uint32(_ v: UInt32) { bytes += [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }

    mutating func string(_ b: some Collection<UInt8>) {
        uint32(UInt32(b.count))
        bytes += b
    }

    mutating func string(_ s: String) { string(Array(s.utf8)) }
}

/// Reads what `SSHWireWriter` writes; every read is bounds-checked (the input is untrusted).
struct SSHWireReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }
    var remaining: ArraySlice<UInt8> { bytes[offset...] }

    mutating func raw(_ n: Int) throws(SigningError) -> [UInt8] {
        guard n >= 0, n <= bytes.count - offset else { throw SigningError("truncated data") }
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }

    mutating func uint32() throws(SigningError) -> UInt32 {
        let b = try raw(4)
        return UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
    }

    mutating func string() throws(SigningError) -> [UInt8] { try raw(Int(try uint32())) }

    mutating func text() throws(SigningError) -> String { String(decoding: try string(), as: UTF8.self) }
}

/// A key or signature Sluice cannot use, and why (never the key's bytes).
public struct SigningError: Error, Sendable, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
