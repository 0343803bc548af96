import Foundation
import Synchronization

/// The time a controller under test sees: it moves only when the test says so.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    /// For `clock:` parameters.
    var function: @Sendable () -> Date { { self.now } }
}
