import Foundation
import Testing

/// Runs every test of a suite on threads of its own instead of Swift's cooperative pool.
///
/// On Linux that pool has exactly one thread per core and never grows: two tests blocked in a
/// `git` or `kubectl` run, a sync libgit2 fetch or a wait for a server's output stop every other
/// task in the process — including the emulator and the controllers under test in other tests —
/// for as long as they block (the CI machine has two cores; tasks were held back for seconds and
/// leader-election and end-to-end tests failed their timing bounds). Test bodies and their child
/// tasks run here, so they may block; unstructured tasks (the emulator's handlers, controllers,
/// `Task {}` in a test) stay on the cooperative pool, which nothing in a test then blocks.
public struct OffThePool: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(TestThreads.shared) { try await function() }
    }
}

extension Trait where Self == OffThePool {
    /// See `OffThePool`. Every suite carries it.
    public static var offThePool: OffThePool { OffThePool() }
}

/// Threads that run jobs in arrival order, one more whenever a job arrives and none is idle: a
/// queue behind blocked tests would hold back the jobs of the ones that are not (actors a test
/// body touched run their jobs here too, for every caller).
final class TestThreads: TaskExecutor, @unchecked Sendable {
    // Safe: `jobs` and `idle` are only touched with `condition` locked.
    static let shared = TestThreads()

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var idle = 0
    private var started = 0

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        let spawn = idle < jobs.count
        if spawn { started += 1 } else { condition.signal() }
        let number = started
        condition.unlock()
        if spawn {
            let thread = Thread { [unowned self] in self.loop() }
            thread.name = "test-\(number)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func loop() {
        while true {
            condition.lock()
            idle += 1
            while jobs.isEmpty { condition.wait() }
            idle -= 1
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
