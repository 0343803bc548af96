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
