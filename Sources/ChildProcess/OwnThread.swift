import Foundation

/// Runs blocking work (waiting for a child process, a blocking read) on a thread of its own and
/// awaits its result. Swift's cooperative pool has one thread per core on Linux and never grows,
/// so work that blocks one of them holds back every task in the process for as long as it blocks.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

extension ChildProcess {
    /// `run(_:_:input:environment:directory:timeout:)` for async code: the wait for the child
    /// happens on a thread of its own, never on the cooperative pool.
    public static func run(
        _ executable: String, _ arguments: [String], input: [UInt8]? = nil, environment: [String: String]? = nil,
        directory: String? = nil, timeout: Double? = nil
    ) async throws -> CompletedProcess {
        try await onOwnThread {
            try run(executable, arguments, input: input, environment: environment, directory: directory, timeout: timeout)
        }
    }
}
