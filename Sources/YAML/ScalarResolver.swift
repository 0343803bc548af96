/// Resolves plain scalars the way Kubernetes' YAML decoder (sigs.k8s.io/yaml, a go-yaml v2 fork)
/// does, so that a manifest means to Sluice exactly what it means to `kubectl`: YAML 1.1 booleans
/// (`yes`, `on`, `y`...), Go's integer syntax (`0x1F`, `0o12`, `012`, `1_000`), integers beyond
/// 64 bits as floats, and timestamps left as strings.
public enum ScalarResolver {
    public enum Tag: String, Sendable {
        case null = "tag:yaml.org,2002:null"
        case bool = "tag:yaml.org,2002:bool"
        case int = "tag:yaml.org,2002:int"
        case float = "tag:yaml.org,2002:float"
        case str = "tag:yaml.org,2002:str"
        case binary = "tag:yaml.org,2002:binary"
        case timestamp = "tag:yaml.org,2002:timestamp"
        case merge = "tag:yaml.org,2002:merge"
        case map = "tag:yaml.org,2002:map"
        case seq = "tag:yaml.org,2002:seq"
    }

    /// A resolved plain scalar, or the merge key `<<`.
    public enum Resolved: Equatable, Sendable {
        case value(Value)
        case merge
    }

    private static let table: [String: Resolved] = {
        var t: [String: Resolved] = [:]
        for s in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { t[s] = .value(.bool(true)) }
        for s in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] { t[s] = .value(.bool(false)) }
        for s in ["", "~", "null", "Null", "NULL"] { t[s] = .value(.null) }
        for s in [".nan", ".NaN", ".NAN"] { t[s] = .value(.double(.nan)) }
        for s in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { t[s] = .value(.double(.infinity)) }
        for s in ["-.inf", "-.Inf", "-.INF"] { t[s] = .value(.double(-.infinity)) }
        t["<<"] = .merge
        return t
    }()

    /// What an untagged plain scalar means.
    public static func resolvePlain(_ s: String) -> Resolved {
        guard let first = s.utf8.first else { return .value(.null) }
        // Every entry of the table starts with one of these; skip the hash for the rest.
        if mayBeInTable(first), s.utf8.count <= 5, let hit = table[s] { return hit }
        switch first {
        case UInt8(ascii: "."):
            if let d = goParseFloat(s[...]) { return .value(.double(d)) }
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            if let v = resolveNumber(s) { return .value(v) }
        default:
            break
        }
        return .value(.string(s))
    }

    private static func mayBeInTable(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
            UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "~"), UInt8(ascii: "."),
            UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "<"):
            return true
        default:
            return false
        }
    }

    /// True when `s`, written as a plain scalar, would read back as something other than this string.
    public static func needsQuoting(_ s: String) -> Bool {
        if case .value(.string) = resolvePlain(s) { return false }
        return true
    }

    /// go-yaml's 'D'/'S' branch: integer (Go syntax, underscores ignored), then unsigned, then
    /// YAML-style float; anything else is a string.
    static func resolveNumber(_ s: String) -> Value? {
        let plain = s.utf8.contains(UInt8(ascii: "_")) ? s.replacingAll("_") : s
        if let i = goParseInt(plain) { return .int(i) }
        if let u = goParseUInt(plain) { return .double(Double(u)) }  // beyond int64: kubectl's JSON decoding turns it into a float
        if isYAMLStyleFloat(plain.utf8), let d = goParseFloat(plain[...]) { return .double(d) }
        return nil
    }

    /// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`, `0o`, `0b` or a leading `0`
    /// for octal.
    static func goParseInt(_ s: String) -> Int64? {
        var utf8 = Substring(s).utf8[...]
        var negative = false
        if let c = utf8.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            negative = c == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        guard let magnitude = parseUnsignedMagnitude(utf8) else { return nil }
        if negative {
            if magnitude <= UInt64(Int64.max) { return -Int64(magnitude) }
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// Go's `strconv.ParseUint(s, 0, 64)`: no sign allowed.
    static func goParseUInt(_ s: String) -> UInt64? {
        parseUnsignedMagnitude(Substring(s).utf8[...])
    }

    private static func parseUnsignedMagnitude(_ bytes: Substring.UTF8View.SubSequence) -> UInt64? {
        var digits = bytes
        guard !digits.isEmpty else { return nil }
        var radix: UInt64 = 10
        if digits.first == UInt8(ascii: "0"), digits.count > 1 {
            let second = digits[digits.index(after: digits.startIndex)]
            switch second {
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                radix = 16
                digits = digits.dropFirst(2)
            case UInt8(ascii: "o"), UInt8(ascii: "O"):
                radix = 8
                digits = digits.dropFirst(2)
            case UInt8(ascii: "b"), UInt8(ascii: "B"):
                radix = 2
                digits = digits.dropFirst(2)
            default:
                radix = 8
                digits = digits.dropFirst(1)
            }
            guard !digits.isEmpty else { return nil }
        }
        var result: UInt64 = 0
        for c in digits {
            let d: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt64(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt64(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            guard d < radix else { return nil }
            let (m, o1) = result.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            result = a
        }
        return result
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    static func isYAMLStyleFloat(_ s: String.UTF8View) -> Bool {
        var it = s.makeIterator()
        var c = it.next()
        func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 48 && $0 <= 57 } ?? false }
        if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { c = it.next() }
        if c == UInt8(ascii: ".") {
            c = it.next()
            guard isDigit(c) else { return false }
            while isDigit(c) { c = it.next() }
        } else {
            guard isDigit(c) else { return false }
            while isDigit(c) { c = it.next() }
            if c == UInt8(ascii: ".") {
                c = it.next()
                while isDigit(c) { c = it.next() }
            }
        }
        if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            c = it.next()
            if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { c = it.next() }
            guard isDigit(c) else { return false }
            while isDigit(c) { c = it.next() }
        }
        return c == nil
    }

    /// Go's `strconv.ParseFloat(s, 64)` for the decimal forms YAML can reach here; overflow is an
    /// error in Go (so the scalar stays a string), and so it is here.
    static func goParseFloat(_ s: Substring) -> Double? {
        guard !s.isEmpty, s.utf8.allSatisfy({ isFloatChar($0) }) else { return nil }
        guard let d = Double(s), d.isFinite else { return nil }
        return d
    }

    private static func isFloatChar(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
            || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
    }
}

extension String {
    func replacingAll(_ character: Character) -> String {
        String(self.filter { $0 != character })
    }
}
