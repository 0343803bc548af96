/// `Value` → JSON text. Keys in their order; integers exact; non-finite numbers are an error, as
/// JSON has no spelling for them.
extension JSON {
    public enum Style: Sendable {
        /// One line, no spaces: what goes over the wire.
        case compact
        /// Indented by the given number of spaces per level, keys on their own lines (`-o json`).
        case pretty(indent: Int)
    }

    public static func serialize(_ value: Value, style: Style = .compact) throws -> String {
        String(decoding: try bytes(value, style: style), as: UTF8.self)
    }

    public static func bytes(_ value: Value, style: Style = .compact) throws -> [UInt8] {
        var writer = JSONWriter(style: style)
        try writer.write(value, level: 0)
        return writer.out
    }
}

struct JSONWriter {
    let indent: Int?
    var out: [UInt8] = []

    init(style: JSON.Style) {
        switch style {
        case .compact: indent = nil
        case .pretty(let n): indent = n
        }
        out.reserveCapacity(256)
    }

    mutating func newline(_ level: Int) {
        guard let indent else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent * level))
    }

    mutating func write(_ value: Value, level: Int) throws {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            guard d.isFinite else {
                throw YAMLError(.nonFiniteNumber, "\(d) cannot be written as JSON")
            }
            out.append(contentsOf: d.description.utf8)
        case .string(let s): writeString(s)
        case .array(let items):
            if items.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                try write(item, level: level + 1)
            }
            newline(level)
            out.append(UInt8(ascii: "]"))
        case .object(let entries):
            if entries.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            var first = true
            for (k, v) in entries {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                newline(level + 1)
                writeString(k)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                try write(v, level: level + 1)
            }
            newline(level)
            out.append(UInt8(ascii: "}"))
        }
    }

    mutating func writeString(_ s: String) {
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            // Control characters, and the three characters YAML (and JavaScript) treat as line
            // breaks: escaped, so the JSON we write is also YAML that means the same thing.
            case 0..<0x20, 0x85, 0x2028, 0x2029:
                out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
                for shift in stride(from: 12, through: 0, by: -4) {
                    out.append(Self.hex[Int((scalar.value >> UInt32(shift)) & 0xF)])
                }
            case 0..<0x80:
                out.append(UInt8(scalar.value))
            default:
                out.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static let hex = Array("0123456789abcdef".utf8)
}
