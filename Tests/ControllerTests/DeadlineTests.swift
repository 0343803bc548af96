import Foundation
import TestSupport
import Testing

@testable import LeaderElection

@Suite(.offThePool) struct DeadlineTests {
    /// Work that does not notice cancellation, like a transfer blocked on a thread of its own
    /// (blocking the concurrency pool instead would starve the timer, too).
    static func stubborn(_ seconds: Double) -> Task<Bool, Never> {
        Task.detached {
            _ = try? await onOwnThread { Thread.sleep(forTimeInterval: seconds) }
            return true
        }
    }

    @Test func workThatFinishesInTimeGivesItsResult() async {
        let start = Date()
        let r = await withDeadline(seconds: 60, Task { 42 })
        #expect(r == 42)
        // Bounds here are far from the durations they tell apart: a loaded machine running
        // the whole suite on two cores can hold any task back for seconds.
        #expect(Date().timeIntervalSince(start) < 30, "did not wait for the timer")
    }

    @Test func theCallerGoesOnAtTheDeadlineEvenIfTheWorkIgnoresCancellation() async {
        // A task group would wait the full 40 s for its stubborn child.
        let work = Self.stubborn(40)
        let start = Date()
        let r = await withDeadline(seconds: 0.2, work)
        let waited = Date().timeIntervalSince(start)
        #expect(r == nil)
        #expect(waited < 20, "waited \(waited) s for work it had given up on")
        #expect(work.isCancelled, "the abandoned work is told to stop")
    }

    @Test func aCancelledCallerGoesOnAtOnce() async {
        let work = Self.stubborn(40)
        let caller = Task { await withDeadline(seconds: 60, work) }
        // Meant to land while the caller waits; nothing shows that it does, so it gets a moment.
        // Landing earlier is the next test's case and gives the same answer: this cannot flake.
        try? await Task.sleep(for: .milliseconds(100))
        let start = Date()
        caller.cancel()
        let r = await caller.value
        #expect(r == nil)
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(work.isCancelled)
    }

    @Test func aCallerCancelledBeforeItWaitsGetsNil() async {
        let caller = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await withDeadline(seconds: 10, Self.stubborn(0.5))
        }
        #expect(await caller.value == nil)
    }
}
