import OrderedCollections

/// JSON text → `Value`, keeping key order and exact 64-bit integers (Foundation's
/// JSONSerialization keeps neither). Numbers with a fraction or exponent, or beyond Int64, are
/// doubles, as Kubernetes' own decoder reads them.
public enum JSON {
    public static func parse(_ text: String, limits: ParseLimits = .default) throws -> Value {
        var text = text
        return try text.withUTF8 { try parse(utf8: $0, limits: limits) }
    }

    public static func parse(_ bytes: [UInt8], limits: ParseLimits = .default) throws -> Value {
        try bytes.withUnsafeBufferPointer { try parse(utf8: $0, limits: limits) }
    }

    public static func parse(utf8 buffer: UnsafeBufferPointer<UInt8>, limits: ParseLimits = .default) throws -> Value {
        var reader = JSONReader(bytes: buffer, maxDepth: limits.maxDepth)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.position == buffer.count else { throw reader.error("unexpected data after the JSON value") }
        return value
    }

    /// Parses a JSON object, handing each element of its top-level array `key` to `element` as
    /// soon as it is read instead of keeping it: a list response of hundreds of objects then
    /// never exists whole as values, only one object at a time. Returns the object without
    /// `key`.
    public static func parseObject(
        utf8 buffer: UnsafeBufferPointer<UInt8>, streaming key: String, limits: ParseLimits = .default, element: (Value) throws -> Void
    ) throws -> Value {
        var reader = JSONReader(bytes: buffer, maxDepth: limits.maxDepth)
        reader.skipWhitespace()
        guard reader.position < buffer.count, buffer[reader.position] == UInt8(ascii: "{") else { throw reader.error("expected a JSON object") }
        let value = try reader.readObject(depth: 1, streaming: key, element: element)
        reader.skipWhitespace()
        guard reader.position == buffer.count else { throw reader.error("unexpected data after the JSON value") }
        return value
    }
}

struct JSONReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    func error(_ message: String) -> YAMLError {
        var line = 1
        var column = 1
        for i in 0..<min(position, bytes.count) {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return YAMLError(.invalidJSON, message, mark: Mark(line: line, column: column))
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func expect(_ literal: StaticString, _ value: Value) throws -> Value {
        let n = literal.utf8CodeUnitCount
        guard position + n <= bytes.count else { throw error("unexpected end of input") }
        for i in 0..<n where bytes[position + i] != literal.utf8Start[i] { throw error("invalid literal") }
        position += n
        return value
    }

    mutating func readValue(depth: Int) throws -> Value {
        guard position < bytes.count else { throw error("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(bytes[position])))'")
        }
    }

    mutating func readObject(depth: Int, streaming streamed: String? = nil, element: (Value) throws -> Void = { _ in }) throws -> Value {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
        position += 1
        var object = OrderedDictionary<String, Value>()
        var streamedSeen = false
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try readString()
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected ':'") }
            position += 1
            skipWhitespace()
            if key == streamed, position < bytes.count, bytes[position] == UInt8(ascii: "[") {
                if streamedSeen { throw error("duplicate key \"\(key)\"") }
                streamedSeen = true
                try readArray(depth: depth + 1, element: element)
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                    continue
                }
                if bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(object)
                }
                throw error("expected ',' or '}'")
            }
            let value = try readValue(depth: depth)
            if object.updateValue(value, forKey: key) != nil { throw error("duplicate key \"\(key)\"") }
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(object)
            }
            throw error("expected ',' or '}'")
        }
    }

    mutating func readArray(depth: Int) throws -> Value {
        var items: [Value] = []
        try readArray(depth: depth) { items.append($0) }
        return .array(items)
    }

    mutating func readArray(depth: Int, element: (Value) throws -> Void) throws {
        guard depth <= maxDepth else { throw error("nesting deeper than \(maxDepth) levels") }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            try element(try readValue(depth: depth))
            skipWhitespace()
            guard position < bytes.count else { throw error("unexpected end of input") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return
            }
            throw error("expected ',' or ']'")
        }
    }

    mutating func readString() throws -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let c = bytes[position]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw error("control character in string") }
            position += 1
        }
        var out = Array(bytes[start..<position])
        while position < bytes.count {
            let c = bytes[position]
            position += 1
            switch c {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw error("unexpected end of input") }
                let e = bytes[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(try readEscapedScalar()) ?? "\u{FFFD}")).utf8))
                default:
                    throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
                }
            default:
                if c < 0x20 { throw error("control character in string") }
                out.append(c)
            }
        }
        throw error("unterminated string")
    }

    /// The scalar of a `\uXXXX` escape (its `\u` read), joining a surrogate pair; a lone
    /// surrogate becomes U+FFFD, as JSON parsers commonly do.
    mutating func readEscapedScalar() throws -> UInt32 {
        let scalar = try readHex4()
        if (0xDC00..<0xE000).contains(scalar) { return 0xFFFD }
        guard (0xD800..<0xDC00).contains(scalar) else { return scalar }
        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else { return 0xFFFD }
        position += 2
        let low = try readHex4()
        return (0xDC00..<0xE000).contains(low) ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
    }

    mutating func readHex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("unexpected end of input") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
            position += 1
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
            default: throw error("invalid \\u escape")
            }
            v = v << 4 | d
        }
        return v
    }

    mutating func readNumber() throws -> Value {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        func digits() -> Int {
            let s = position
            while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 { position += 1 }
            return position - s
        }
        let intDigits = digits()
        guard intDigits > 0 else { throw error("invalid number") }
        if intDigits > 1, bytes[position - intDigits] == UInt8(ascii: "0") { throw error("invalid number (leading zero)") }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard digits() > 0 else { throw error("invalid number") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw error("invalid number") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, let i = Int64(text) { return .int(i) }
        guard let d = Double(text) else { throw error("invalid number") }
        return .double(d)
    }
}

extension JSON {
    /// A stream of JSON values one after another, separated by whitespace: what a watch
    /// response and `kubectl -o json` over several objects produce.
    public static func parseSequence(_ text: String, limits: ParseLimits = .default) throws -> [Value] {
        var text = text
        return try text.withUTF8 { buffer in
            var reader = JSONReader(bytes: buffer, maxDepth: limits.maxDepth)
            var values: [Value] = []
            reader.skipWhitespace()
            while reader.position < buffer.count {
                values.append(try reader.readValue(depth: 0))
                reader.skipWhitespace()
            }
            return values
        }
    }
}
