import Synchronization

/// Waits for `work` at most `seconds`: its result, or nil when the time runs out or the caller
/// is cancelled. Either way the caller goes on at once; `work` is cancelled but not waited for.
///
/// A task group cannot do this: it waits for every child, even a cancelled one, so a child stuck
/// in a request that does not notice cancellation holds the caller past the deadline.
func withDeadline<T: Sendable>(seconds: Double, _ work: Task<T, Never>) async -> T? {
    let outcome = FirstOutcome<T?>()
    let result = await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            // Cancelled before it began: the answer is already in, start nothing.
            guard outcome.wait(continuation) else { return }
            let timer = Task {
                try? await Task.sleep(for: .seconds(seconds))
                outcome.resume(nil)
            }
            Task {
                outcome.resume(await work.value)
                timer.cancel()
            }
        }
    } onCancel: {
        outcome.resume(nil)
    }
    if result == nil { work.cancel() }
    return result
}

/// Hands a continuation the first value offered; later offers are dropped. An offer made
/// before the continuation arrives (cancellation can come first) is kept for it.
private final class FirstOutcome<T: Sendable>: Sendable {
    private enum State {
        case waiting
        case continuation(CheckedContinuation<T, Never>)
        case value(T)
        case done
    }
    private let state = Mutex<State>(.waiting)

    /// False when a value was already offered: the continuation has been resumed with it.
    func wait(_ continuation: CheckedContinuation<T, Never>) -> Bool {
        let early: T? = state.withLock { s in
            switch s {
            case .waiting:
                s = .continuation(continuation)
                return nil
            case .value(let v):
                s = .done
                return v
            case .continuation, .done: preconditionFailure("one continuation only")
            }
        }
        guard let early else { return true }
        continuation.resume(returning: early)
        return false
    }

    func resume(_ value: T) {
        let continuation: CheckedContinuation<T, Never>? = state.withLock { s in
            switch s {
            case .waiting:
                s = .value(value)
                return nil
            case .continuation(let c):
                s = .done
                return c
            case .value, .done: return nil
            }
        }
        continuation?.resume(returning: value)
    }
}
