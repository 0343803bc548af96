/// A commit Sluice will not read: a hostile or broken entry, or a tree over its limits. Nothing
/// of that commit is used, so whatever was applied before stays.
public struct TreeError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Reason: Sendable, Equatable {
        case unsafeName
        case duplicate
        case tooManyFiles
        case tooLarge
    }

    public var commit: ObjectID
    /// The entry's path as far as it was read (its parent directories, then the name as stored,
    /// control characters shown escaped).
    public var path: String
    public var reason: Reason
    public var message: String

    public init(commit: ObjectID, path: String, reason: Reason, message: String) {
        self.commit = commit
        self.path = path
        self.reason = reason
        self.message = message
    }

    public var description: String { "commit \(commit.short) is refused: tree entry '\(path)': \(message)" }

    /// A name as it may be printed: what is not printable ASCII or UTF-8 text, escaped.
    static func printable(_ bytes: some Collection<UInt8>) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return bytes.map { (0x20..<0x7f).contains($0) && $0 != UInt8(ascii: "\\") ? String(UnicodeScalar($0)) : "\\x" + hex($0) }.joined()
        }
        return text.unicodeScalars.map { s in
            s.value < 0x20 || s.value == 0x7f ? "\\x" + hex(UInt8(s.value)) : String(s)
        }.joined()
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}
