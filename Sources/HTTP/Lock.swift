import Foundation

/// `NSLock` with a closure API; the module's only synchronisation primitive.
final class Lock: @unchecked Sendable {
    // Safe: NSLock is thread-safe.
    private let lock = NSLock()
    func withLock<R>(_ body: () throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
