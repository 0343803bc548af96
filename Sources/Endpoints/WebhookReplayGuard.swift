import Foundation
import Synchronization

/// The deliveries taken recently, so a captured request sent again is refused. Bounded in both
/// count and age: a flood of fresh ids pushes the oldest out instead of growing memory.
final class WebhookReplayGuard: Sendable {
    private struct State {
        var times: [String: Date] = [:]
        var order: [String] = []
        var head = 0
    }

    private let state = Mutex(State())
    let capacity: Int
    let lifetime: Double

    init(capacity: Int, lifetime: Double) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    var count: Int { state.withLock { $0.times.count } }

    /// True the first time `id` is seen within the lifetime; false for a replay.
    func first(_ id: String, now: Date) -> Bool {
        state.withLock { s in
            while s.head < s.order.count, let t = s.times[s.order[s.head]], now.timeIntervalSince(t) > lifetime || s.order.count - s.head >= capacity {
                s.times[s.order[s.head]] = nil
                s.head += 1
            }
            if s.head > capacity {
                s.order.removeFirst(s.head)
                s.head = 0
            }
            guard s.times[id] == nil else { return false }
            s.times[id] = now
            s.order.append(id)
            return true
        }
    }
}
