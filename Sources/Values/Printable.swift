/// Text from hostile input (a name in git, a field of an object) made safe to put in a message:
/// C0 control characters and DEL are shown as `\xNN`, so a name cannot move the cursor, clear
/// a terminal or start a forged log line. Everything else is kept as it is.
public enum Printable {
    /// `s` escaped, cut to `limit` characters of the result.
    public static func escaped(_ s: String, limit: Int = .max) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f {
                out += "\\x" + hex(UInt8(scalar.value))
            } else {
                out.unicodeScalars.append(scalar)
            }
            if out.count >= limit { break }
        }
        return String(out.prefix(limit))
    }

    /// Bytes that may not be UTF-8 (a git tree entry's name): as `escaped` when they are text;
    /// otherwise printable ASCII kept and every other byte (and `\`) as `\xNN`.
    public static func escaped(bytes: some Collection<UInt8>) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return bytes.map { (0x20..<0x7f).contains($0) && $0 != UInt8(ascii: "\\") ? String(UnicodeScalar($0)) : "\\x" + hex($0) }.joined()
        }
        return escaped(text)
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}
