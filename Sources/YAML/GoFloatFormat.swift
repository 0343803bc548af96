/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`, which Kubernetes' YAML decoder uses to turn a
/// floating-point mapping key into a string (`1e6:` becomes the key `"1e+06"`).
enum GoFloatFormat {
    static func float32G(_ value: Double) -> String {
        let f = Float(value)
        if f.isNaN { return ".nan" }
        if f.isInfinite { return f < 0 ? "-.inf" : ".inf" }
        if f == 0 { return f.sign == .minus ? "-0" : "0" }
        let (negative, digits, dp) = shortestDigits(f.description)
        let exp = dp - 1
        var out = negative ? "-" : ""
        if exp < -4 || exp >= 6 {
            out.append(digits.first!)
            if digits.count > 1 {
                out.append(".")
                out.append(contentsOf: digits.dropFirst())
            }
            out.append("e")
            out.append(exp < 0 ? "-" : "+")
            let e = abs(exp)
            if e < 10 { out.append("0") }
            out.append(String(e))
            return out
        }
        if dp <= 0 {
            out.append("0.")
            out.append(String(repeating: "0", count: -dp))
            out.append(contentsOf: digits)
        } else if dp >= digits.count {
            out.append(contentsOf: digits)
            out.append(String(repeating: "0", count: dp - digits.count))
        } else {
            out.append(contentsOf: digits.prefix(dp))
            out.append(".")
            out.append(contentsOf: digits.dropFirst(dp))
        }
        return out
    }

    /// Splits Swift's shortest round-trip rendering into significant digits and the position of
    /// the decimal point (value = 0.DIGITS × 10^dp), as Go's decimal slice has them.
    private static func shortestDigits(_ text: String) -> (negative: Bool, digits: [Character], dp: Int) {
        var s = Substring(text)
        let negative = s.hasPrefix("-")
        if negative { s = s.dropFirst() }
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(s[s.index(after: e)...]) ?? 0
            s = s[..<e]
        }
        var digits: [Character] = []
        var dp = 0
        var seenPoint = false
        for c in s {
            if c == "." {
                seenPoint = true
                continue
            }
            digits.append(c)
            if !seenPoint { dp += 1 }
        }
        while let first = digits.first, first == "0" {
            digits.removeFirst()
            dp -= 1
        }
        while let last = digits.last, last == "0" { digits.removeLast() }
        return (negative, digits, dp + exponent)
    }
}
