import ArgumentParser
import ChildProcess

/// `git` in a benchmark's scratch repository, with no system or user configuration.
enum BenchGit {
    static func run(_ args: [String], in dir: String) throws {
        let r = try ChildProcess.run(
            "git", args, environment: ChildProcess.currentEnvironment().merging(["GIT_CONFIG_NOSYSTEM": "1", "HOME": dir]) { $1 }, directory: dir)
        guard r.status == 0 else { throw ValidationError("git \(args.joined(separator: " ")) failed: \(r.stderrText)") }
    }
}
