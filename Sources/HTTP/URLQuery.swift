import Foundation

/// Query strings as servers parse them: every byte percent-encoded except RFC 3986's unreserved
/// characters (so `+`, `&`, `=` and spaces in PromQL or a filter survive).
public enum URLQuery {
    public static func escape(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    /// `a=1&b=2`, keys in the order given.
    public static func encode(_ pairs: [(String, String)]) -> String { pairs.map { "\($0.0)=\(escape($0.1))" }.joined(separator: "&") }
}
