import Foundation

/// The name of a source, which names its inventory ConfigMap: derived the same way by every
/// command (`sync`, `diff`, `run`), so they all read and write the same inventory for the same
/// repository and path.
public enum SourceName {
    /// Lowercase letters, digits and '-', at most 50 characters: fits object names and labels.
    public static func sanitize(_ s: String) -> String {
        let mapped = String(s.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        let joined = mapped.split(separator: "-").joined(separator: "-")
        let cut = String(joined.prefix(50)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return cut.isEmpty ? "default" : cut
    }

    /// The name for a source given none: the repository's name (without `.git`) and the path.
    public static func derive(repo: String, path: String) -> String {
        let base = repo.split(separator: "/").last.map(String.init) ?? "repo"
        let name = base.hasSuffix(".git") ? String(base.dropLast(4)) : base
        return sanitize(path.isEmpty ? name : "\(name)-\(path)")
    }

    /// A GitSource's: `namespace.name`, which no source of the settings can take (their
    /// sanitized names have no dot).
    public static func of(namespace: String, name: String) -> String { "\(namespace).\(name)" }
}
