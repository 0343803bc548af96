import ChildProcess
import Foundation
import Synchronization

// Tests wait on their own threads the way the product does.
@_exported import func ChildProcess.onOwnThread

/// What a finished child process left behind.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum RunError: Error, CustomStringConvertible {
    case notFound(String)
    case failed(command: String, result: ProcessResult)

    public var description: String {
        switch self {
        case .notFound(let c): return "\(c) is not installed (run scripts/setup)"
        case .failed(let c, let r): return "\(c) exited \(r.status)\nstdout: \(r.stdout)\nstderr: \(r.stderr)"
        }
    }
}

/// Runs a program to completion and captures its output. Used by tests to drive real tools
/// (`git`, `kubectl`, the built `sluice` binary) the way a user would.
@discardableResult
public func run(
    _ executable: String, _ arguments: [String], cwd: String? = nil, environment: [String: String] = [:],
    stdin: String? = nil, check: Bool = false, timeout: Double? = 300
) throws -> ProcessResult {
    guard let path = which(executable) else { throw RunError.notFound(executable) }
    var env = ChildProcess.currentEnvironment()
    for (k, v) in environment { env[k] = v }
    let done = try ChildProcess.run(path, arguments, input: stdin.map { Array($0.utf8) }, environment: env, directory: cwd, timeout: timeout)
    let result = ProcessResult(
        status: done.status, stdout: done.stdoutText, stderr: done.stderrText + (done.timedOut ? "\n(killed after \(timeout ?? 0) s)" : ""))
    if check, result.status != 0 {
        throw RunError.failed(command: ([executable] + arguments).joined(separator: " "), result: result)
    }
    return result
}

public func which(_ name: String) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// A value behind a lock, for handing results across threads in test helpers.
public final class LockedBox<T: Sendable>: Sendable {
    private let state: Mutex<T>
    public init(_ value: T) { state = Mutex(value) }
    public var value: T {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
    public func withValue<R>(_ body: (inout sending T) throws -> sending R) rethrows -> R {
        try state.withLock { try body(&$0) }
    }
}

/// The same as `run`, for async tests: the child is waited for on a thread of its own, so a test
/// that drives a server living in this process (the emulator) never starves Swift's cooperative
/// thread pool, which that server needs to answer.
@discardableResult
public func run(
    _ executable: String, _ arguments: [String], cwd: String? = nil, environment: [String: String] = [:],
    stdin: String? = nil, check: Bool = false, timeout: Double? = 300
) async throws -> ProcessResult {
    try await onOwnThread {
        try run(executable, arguments, cwd: cwd, environment: environment, stdin: stdin, check: check, timeout: timeout)
    }
}
