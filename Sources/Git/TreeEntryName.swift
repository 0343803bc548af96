/// What may name an entry of a tree Sluice reads. A git host with `receive.fsckObjects` off
/// stores whatever a client pushed, and libgit2 returns names as stored, so a name is checked
/// before it becomes part of a path: what git's own fsck refuses (empty, `.`, `..`, `.git` in any
/// case and its NTFS and HFS look-alikes, names holding `/`), and besides what no checkout
/// should hold (`\`, control characters, bytes that are not UTF-8).
public enum TreeEntryName {
    /// Why `bytes` (a name as the tree stores it) is refused, or nil when it is fine.
    public static func problem(_ bytes: some Collection<UInt8>) -> String? {
        if bytes.isEmpty { return "an empty name" }
        guard let name = String(validating: bytes, as: UTF8.self) else { return "a name that is not UTF-8" }
        if name == "." || name == ".." { return "'\(name)' climbs out of its directory" }
        if bytes.contains(UInt8(ascii: "/")) || bytes.contains(UInt8(ascii: "\\")) { return "a name holding a path separator" }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7f }) { return "a name holding a control character" }
        if isGitDirectory(name) { return "a name git reserves for its own directory" }
        return nil
    }

    public static func problem(_ name: String) -> String? { problem(Array(name.utf8)) }

    /// `.git` as Windows and macOS checkouts would see it: any case, trailing dots and spaces
    /// (NTFS drops them), an alternate data stream (`.git::$INDEX_ALLOCATION`), the 8.3 short
    /// name `git~1`, and code points HFS+ ignores.
    static func isGitDirectory(_ name: String) -> Bool {
        var folded = String(name.unicodeScalars.filter { !hfsIgnorable.contains($0.value) }).lowercased()
        if let colon = folded.firstIndex(of: ":") { folded = String(folded[..<colon]) }
        while let last = folded.last, last == "." || last == " " { folded.removeLast() }
        return folded == ".git" || folded == "git~1"
    }

    /// The code points HFS+ drops when it compares names (git's `is_hfs_dotgit`).
    static let hfsIgnorable: Set<UInt32> = [
        0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x206A, 0x206B, 0x206C, 0x206D, 0x206E, 0x206F, 0xFEFF,
    ]
}
