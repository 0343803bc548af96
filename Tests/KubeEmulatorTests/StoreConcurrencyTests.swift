import Foundation
import Synchronization
import TestSupport
import Testing
import YAML

@testable import KubeEmulator

@Suite(.offThePool) struct StoreConcurrencyTests {
    /// Watches cancelled while writes yield to them. Swift runs a stream's onTermination with the
    /// cancelled task's status locked, and a write yields to the streams with the store locked
    /// (yielding takes the reader's task lock): a store that took its own lock in onTermination
    /// deadlocked, and the emulator stopped answering. With that store this test hung the test
    /// process within seconds (a failure CI only reports as a timeout); with the fix, 3,000
    /// cancellations take about 5 s.
    @Test func watchesCancelledDuringWritesDoNotDeadlock() async throws {
        let store = Store(historyLimit: 100)
        let stop = Atomic(false)
        let cancelled = Atomic(0)
        let rounds = 3_000
        Thread {
            var i: Int64 = 0
            while !stop.load(ordering: .relaxed) {
                store.mutate("configmaps", namespace: "default", name: "cm-\(i % 20)") { _ in
                    ["metadata": ["name": .string("cm-\(i % 20)")], "data": ["i": .int(i)]]
                }
                i += 1
            }
        }.start()
        Thread {
            for _ in 0..<rounds {
                let (stream, _) = try! store.watch("configmaps", namespace: nil, from: .now, initial: { _ in true })
                let reader = Task.detached { for await _ in stream {} }
                // Jitter, not a wait: cancellations land at random points of the watch's start.
                usleep(UInt32.random(in: 0...300))
                reader.cancel()
                cancelled.add(1, ordering: .relaxed)
            }
        }.start()
        let finished = try await eventually("\(rounds) watches opened and cancelled", timeout: 60, every: .milliseconds(50)) {
            cancelled.load(ordering: .relaxed) == rounds
        }
        stop.store(true, ordering: .relaxed)
        #expect(finished, "stuck after \(cancelled.load(ordering: .relaxed)) of \(rounds) cancelled watches")
        // A cancelled reader ends its stream asynchronously: wait for the store to drop them all.
        try await eventually("every cancelled watch is dropped", timeout: 30, every: .milliseconds(50)) { store.watcherCount == 0 }
    }
}
