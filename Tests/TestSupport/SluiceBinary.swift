import Foundation
import Testing

extension Tag {
    /// Tests that drive the built `sluice` binary as a user would. Run them alone with
    /// `swift test --filter EndToEndTests` (or `scripts/test --filter EndToEndTests`).
    @Tag public static var endToEnd: Self
    /// The acceptance scenarios (the user's story, each ending with the invariants every
    /// scenario must keep). Run them alone with `scripts/test --filter AcceptanceTests`.
    @Tag public static var acceptance: Self
}

/// The built `sluice` executable, found next to the test bundle's build products.
public enum SluiceBinary {
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    public static var path: String {
        let env = ProcessInfo.processInfo.environment
        if let p = env["SLUICE_BINARY"] { return p }
        for config in ["debug", "release"] {
            let candidate = "\(repositoryRoot)/.build/\(config)/sluice"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "\(repositoryRoot)/.build/debug/sluice"
    }

    /// `sluice-controller`, the image's binary, built beside `sluice`.
    public static var controllerPath: String {
        URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("sluice-controller").path
    }

    /// Runs `sluice ARGS` to completion. A fresh cache directory is used unless one is given.
    @discardableResult
    public static func run(
        _ arguments: [String], cwd: String? = nil, environment: [String: String] = [:], stdin: String? = nil, timeout: Double = 120
    ) throws -> ProcessResult {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw RunError.notFound("\(path) (run `swift build` first)")
        }
        var env = ["NO_COLOR": "1"]
        for (k, v) in environment { env[k] = v }
        return try TestSupport.run(path, arguments, cwd: cwd, environment: env, stdin: stdin, timeout: timeout)
    }

    /// The same, awaiting the process from a thread of its own (see `run(...) async`).
    @discardableResult
    public static func run(
        _ arguments: [String], cwd: String? = nil, environment: [String: String] = [:], stdin: String? = nil, timeout: Double = 120
    ) async throws -> ProcessResult {
        try await onOwnThread { try run(arguments, cwd: cwd, environment: environment, stdin: stdin, timeout: timeout) }
    }

    /// `sluice` running in the background (a controller loop), stopped when released.
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> BackgroundProcess {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw RunError.notFound("\(path) (run `swift build` first)") }
        var env = ["NO_COLOR": "1"]
        for (k, v) in environment { env[k] = v }
        return try BackgroundProcess(path, arguments, environment: env)
    }
}
