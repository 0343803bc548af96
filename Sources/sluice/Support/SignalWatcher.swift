import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into something a task can await, so commands stop cleanly (leases
/// released, child processes stopped) instead of dying mid-write.
final class SignalWatcher: @unchecked Sendable {
    // Safe: `sources` is written only in init, before the object is shared; the rest is in `state`.
    private var sources: [any DispatchSourceSignal] = []
    private let state = Mutex<(received: Int32?, waiters: [CheckedContinuation<Int32, Never>])>((nil, []))

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
        let toResume = state.withLock { state in
            if state.received == nil { state.received = s }
            defer { state.waiters = [] }
            return state.waiters
        }
        toResume.forEach { $0.resume(returning: s) }
    }

    /// Returns the first signal received.
    @discardableResult
    func wait() async -> Int32 {
        await withCheckedContinuation { c in
            let already = state.withLock { state -> Int32? in
                if let r = state.received { return r }
                state.waiters.append(c)
                return nil
            }
            if let already { c.resume(returning: already) }
        }
    }
}
