import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into something a task can await, so commands stop cleanly (leases
/// released, child processes stopped) instead of dying mid-write.
final class SignalWatcher: @unchecked Sendable {
    // Safe: `sources` is written once in init; `received` is guarded by `lock`.
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received: Int32?
    private var waiters: [CheckedContinuation<Int32, Never>] = []

    init(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        for s in signals {
            signal(s, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: s, queue: .global())
            source.setEventHandler { [weak self] in self?.fire(s) }
            source.resume()
            sources.append(source)
        }
    }

    private func fire(_ s: Int32) {
        let toResume = lock.withLock { () -> [CheckedContinuation<Int32, Never>] in
            if received == nil { received = s }
            defer { waiters = [] }
            return waiters
        }
        toResume.forEach { $0.resume(returning: s) }
    }

    /// Returns the first signal received.
    @discardableResult
    func wait() async -> Int32 {
        await withCheckedContinuation { c in
            let already = lock.withLock { () -> Int32? in
                if let r = received { return r }
                waiters.append(c)
                return nil
            }
            if let already { c.resume(returning: already) }
        }
    }
}
