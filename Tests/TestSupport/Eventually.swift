import Foundation
import Testing

/// Waits for a condition: effects arrive asynchronously, so a test polls for the state it expects
/// instead of sleeping for a guess. On timeout it records a failure naming `what` (at the
/// caller's line) and returns false, so a caller can add what it knows (a log) or stop.
///
/// Polled, not spun, and not too often: the suite runs hundreds of tests at once on two cores,
/// and a condition that makes a request costs them all. A test whose condition is cheap and
/// whose timing matters polls faster with `every`.
@discardableResult
public func eventually(
    _ what: String, timeout: Double = 15, every interval: Duration = .milliseconds(50), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    }
    if try await condition() { return true }
    Issue.record("not within \(timeout) s: \(what)", sourceLocation: sourceLocation)
    return false
}
