import Foundation
import Testing

/// Waits for a condition: effects arrive asynchronously, so a test polls for the state it expects
/// instead of sleeping for a guess. On timeout it records a failure naming `what` (at the
/// caller's line) and returns false, so a caller can add what it knows (a log) or stop.
///
/// Polled, not spun: a spinning test starves the timing-sensitive ones beside it.
@discardableResult
public func eventually(
    _ what: String, timeout: Double = 15, every interval: Duration = .milliseconds(20), sourceLocation: SourceLocation = #_sourceLocation,
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
