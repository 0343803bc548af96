import Foundation

/// An OpenSSH known_hosts file: which host keys Sluice accepts for which hosts. Plain host
/// patterns (`host`, `[host]:port`, comma-separated) are supported; hashed entries (`|1|...`,
/// from `ssh-keyscan -H`) are not and are skipped — write plain names for git hosts.
struct KnownHosts {
    struct Entry {
        var hosts: [String]
        var keyType: String
        var key: [UInt8]
    }

    var entries: [Entry]

    init(contents: String) {
        entries = contents.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, !fields[0].hasPrefix("#"), !fields[0].hasPrefix("|"), !fields[0].hasPrefix("@") else { return nil }
            guard let key = Data(base64Encoded: String(fields[2])) else { return nil }
            return Entry(hosts: fields[0].split(separator: ",").map(String.init), keyType: String(fields[1]), key: Array(key))
        }
    }

    /// nil when the file cannot be read: the caller refuses the host (fails closed).
    static func load(_ path: String) -> KnownHosts? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return KnownHosts(contents: text)
    }

    /// The names an entry would use for this host and port.
    static func patterns(host: String, port: Int?) -> [String] {
        if let port, port != 22 { return ["[\(host)]:\(port)"] }
        return [host, "[\(host)]:22"]
    }

    enum Verdict: Equatable {
        case trusted
        case unknownHost
        case mismatch
    }

    func verify(host: String, port: Int?, key: [UInt8]) -> Verdict {
        let names = Set(Self.patterns(host: host, port: port))
        let candidates = entries.filter { !names.isDisjoint(with: $0.hosts) }
        if candidates.isEmpty { return .unknownHost }
        return candidates.contains { $0.key == key } ? .trusted : .mismatch
    }
}
