import Foundation

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
    stdin: String? = nil, check: Bool = false
) throws -> ProcessResult {
    let process = Process()
    guard let path = which(executable) else { throw RunError.notFound(executable) }
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    // Drain both pipes concurrently so a chatty child cannot block on a full pipe.
    let errData = LockedBox(Data())
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData.value = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    let result = ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.value, as: UTF8.self))
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
public final class LockedBox<T>: @unchecked Sendable {
    // Safe: every access to `_value` holds `lock`.
    private let lock = NSLock()
    private var _value: T
    public init(_ value: T) { _value = value }
    public var value: T {
        get { lock.withLock { _value } }
        set { lock.withLock { _value = newValue } }
    }
    public func withValue<R>(_ body: (inout T) throws -> R) rethrows -> R {
        try lock.withLock { try body(&_value) }
    }
}
