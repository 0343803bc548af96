import Foundation

/// A git repository a test owns: a working copy where it commits with the `git` CLI, pushed to a
/// bare "remote" that Sluice reads through libgit2 (directly, or through a loopback server).
public final class GitFixture: Sendable {
    public let root: TemporaryDirectory
    public var work: String { root.file("work") }
    /// The bare repository that plays the remote.
    public var bare: String { root.file("remote.git") }

    public init(branch: String = "main") throws {
        root = TemporaryDirectory(prefix: "sluice-git")
        try git(["init", "-q", "--bare", "-b", branch, bare], cwd: root.path)
        try git(["init", "-q", "-b", branch, work], cwd: root.path)
        try git(["config", "user.name", "Test Author"])
        try git(["config", "user.email", "author@example.com"])
        try git(["remote", "add", "origin", bare])
        // Receive-pack over HTTP requires this on the bare side.
        try git(["config", "http.receivepack", "true"], cwd: bare)
        try git(["config", "user.name", "Test Author"], cwd: bare)
        try git(["config", "user.email", "author@example.com"], cwd: bare)
    }

    @discardableResult
    public func git(_ args: [String], cwd: String? = nil) throws -> String {
        let r = try run("git", args, cwd: cwd ?? work, environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": root.path], check: true)
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func write(_ path: String, _ contents: String) throws {
        try root.write("work/\(path)", contents)
    }

    public func remove(_ path: String) throws {
        try git(["rm", "-q", "-r", path])
    }

    /// Commits everything in the working copy and pushes it. Returns the new commit id.
    @discardableResult
    public func commit(_ message: String, push: Bool = true, branch: String = "main") throws -> String {
        try git(["add", "-A"])
        try git(["commit", "-q", "--allow-empty", "-m", message])
        if push { try git(["push", "-q", "-f", "origin", "HEAD:\(branch)"]) }
        return try git(["rev-parse", "HEAD"])
    }

    public func head() throws -> String { try git(["rev-parse", "HEAD"]) }
}

/// An entry of a tree written byte for byte, so a test can commit what `git add` and `git mktree`
/// refuse (names holding `/`, `..`, `.git`): what a hostile client pushes to a host with
/// `receive.fsckObjects` off.
public indirect enum RawTreeEntry: Sendable {
    case file(name: [UInt8], contents: String)
    case directory(name: [UInt8], entries: [RawTreeEntry])

    var sortKey: [UInt8] {
        switch self {
        case .file(let name, _): return name
        case .directory(let name, _): return name + [UInt8(ascii: "/")]
        }
    }

    public static func file(_ name: String, _ contents: String) -> RawTreeEntry { .file(name: Array(name.utf8), contents: contents) }
    public static func directory(_ name: String, _ entries: [RawTreeEntry]) -> RawTreeEntry {
        .directory(name: Array(name.utf8), entries: entries)
    }
}

extension GitFixture {
    /// Commits a tree of exactly `entries` on top of the remote's branch, written straight into
    /// the remote's object database: some of these trees `git push` itself will not send (an
    /// empty name), and a host that stores what it is given is the case being tested. The
    /// working copy is left alone.
    @discardableResult
    public func commitRawTree(_ entries: [RawTreeEntry], message: String, branch: String = "main") throws -> String {
        let tree = try writeTree(entries)
        let parent = try? git(["rev-parse", "-q", "--verify", "refs/heads/\(branch)"], cwd: bare)
        let commit = try git(["commit-tree", tree, "-m", message] + (parent.map { ["-p", $0] } ?? []), cwd: bare)
        try git(["update-ref", "refs/heads/\(branch)", commit], cwd: bare)
        return commit
    }

    private func writeTree(_ entries: [RawTreeEntry]) throws -> String {
        var bytes: [UInt8] = []
        // In git's order (a directory sorts as if its name ended in `/`): libgit2 looks names up
        // by binary search.
        let sorted = entries.sorted { $0.sortKey.lexicographicallyPrecedes($1.sortKey) }
        for entry in sorted {
            switch entry {
            case .file(let name, let contents):
                _ = try root.write("blob", contents)
                let id = try git(["hash-object", "-w", root.file("blob")], cwd: bare)
                bytes += Array("100644 ".utf8) + name + [0] + Self.rawID(id)
            case .directory(let name, let children):
                let id = try writeTree(children)
                bytes += Array("40000 ".utf8) + name + [0] + Self.rawID(id)
            }
        }
        let file = root.file("tree-\(UUID().uuidString)")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return try git(["hash-object", "-w", "-t", "tree", "--literally", file], cwd: bare)
    }

    private static func rawID(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let next = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<next], radix: 16)!)
            i = next
        }
        return out
    }
}
