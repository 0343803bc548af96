/// Text from hostile input (a name in git, a field of an object) made safe to put in a message:
/// control characters (`isControl`) are shown as `\xNN` or `\u{NNNN}`, so a name cannot move
/// the cursor, clear a terminal, start a forged log line or reorder what is shown around it.
/// Everything else is kept as it is. The one definition of "control" for every sink: messages,
/// the terminal, commit messages.
public enum Printable {
    /// `s` escaped, cut to `limit` characters of the result.
    public static func escaped(_ s: String, limit: Int = .max) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            if isControl(scalar) {
                out += escape(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
            if out.count >= limit { break }
        }
        return String(out.prefix(limit))
    }

    /// C0 and C1 controls, DEL, the line and paragraph separators, and the bidirectional
    /// overrides and isolates (which reorder the text shown after them: "Trojan Source").
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7f...0x9f).contains(s.value) || s == "\u{2028}" || s == "\u{2029}" || (0x202a...0x202e).contains(s.value)
            || (0x2066...0x2069).contains(s.value)
    }

    /// `\xNN` up to U+00FF, `\u{NNNN}` above.
    public static func escape(_ s: Unicode.Scalar) -> String {
        s.value <= 0xff ? "\\x" + hex(UInt8(s.value)) : "\\u{\(String(s.value, radix: 16))}"
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
