/// Git error messages and URLs can carry `user:token@host`; everything that leaves this module
/// goes through here first so credentials never reach a log or an error.
public enum Redaction {
    public static func scrubURLCredentials(_ text: String) -> String {
        guard text.contains("@"), text.contains("://") else { return text }
        var out = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            // A password may hold `/`, `@` or `#` unencoded: the user info runs to the last `@`
            // before the URL ends, unless that `@` is in a path (no `:` before the first `/`).
            let end = rest.firstIndex(where: { $0.isWhitespace || $0 == "'" || $0 == "\"" || $0 == ">" }) ?? rest.endIndex
            let span = rest[..<end]
            guard let last = span.lastIndex(of: "@") else { continue }
            let before = span[..<last]
            var at: Substring.Index? = last
            if let slash = before.firstIndex(of: "/"), !before[..<slash].contains(":") {
                at = before[..<slash].lastIndex(of: "@")
            }
            if let at {
                out += "***@"
                rest = rest[rest.index(after: at)...]
            }
        }
        return out + rest
    }
}
