import ControllerRuntime
import Foundation
import Testing

@Suite struct WorkQueueTests {
    /// The first key out of `queue`, or nil when none comes within 30 s.
    func firstKey(_ queue: WorkQueue<String>) async -> String? {
        let got = await withTaskGroup(of: String?.self) { group in
            group.addTask { await queue.next() }
            group.addTask {
                try? await Task.sleep(for: .seconds(30))
                await queue.shutdown()
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        await queue.shutdown()
        return got
    }

    /// A later, longer delay must not postpone a key already due sooner: the key comes out at
    /// the first delay (0.1 s), long before the second (60 s) would let it.
    @Test func aSoonerPendingDelayIsKept() async throws {
        let queue = WorkQueue<String>()
        await queue.add("a", after: 0.1)
        await queue.add("a", after: 60)
        #expect(await firstKey(queue) == "a")
    }

    /// A sooner request replaces a later pending one.
    @Test func aSoonerDelayReplacesALaterOne() async throws {
        let queue = WorkQueue<String>()
        await queue.add("a", after: 60)
        await queue.add("a", after: 0.1)
        #expect(await firstKey(queue) == "a")
    }
}
