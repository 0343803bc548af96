import ControllerRuntime
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing

/// The loop every controller runs around its reconciler.
@Suite struct ReconcileWorkersTests {
    /// Fails each key's first pass, then asks to look again once, then is done.
    final class Flaky: Reconciler {
        let passes = Mutex<[String: Int]>([:])
        func reconcile(_ key: String) async throws -> ReconcileResult {
            let n = passes.withLock { p in
                p[key, default: 0] += 1
                return p[key]!
            }
            switch n {
            case 1: throw CancellationError()
            case 2: return ReconcileResult(requeueAfter: 0.01)
            default: return .done
            }
        }
    }

    @Test func aFailureIsRetriedARequeueIsHonouredAndDoneIsDone() async throws {
        let queue = WorkQueue<String>(baseDelay: 0.01, maxDelay: 0.05)
        let reconciler = Flaky()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let run = Task { await ReconcileWorkers.run(reconciler, queue: queue, count: 2, controller: "test", metrics: nil, logger: logger) }
        for key in ["a", "b", "c"] { await queue.add(key) }
        try await eventually("nine passes", timeout: 60, every: .milliseconds(10)) { reconciler.passes.withLock({ $0.values.reduce(0, +) }) >= 9 }
        #expect(reconciler.passes.withLock { $0 } == ["a": 3, "b": 3, "c": 3], "fail, requeue, done: three passes each, no more")
        await queue.shutdown()
        await run.value
        #expect(reconciler.passes.withLock { $0 } == ["a": 3, "b": 3, "c": 3])
    }
}
