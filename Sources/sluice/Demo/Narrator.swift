import Foundation

/// The demo's voice: acts, what happens, and a progress bar for the canary's share of traffic.
/// Colour on a terminal; plain text when piped.
struct Narrator: Sendable {
    let color: Bool

    func paint(_ code: String, _ s: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    func line(_ s: String) { Terminal.out(s + "\n") }
    func title(_ s: String) { line("\n" + paint("1", "▸ " + s)) }
    func act(_ s: String) { line("\n" + paint("1;36", s)) }
    func say(_ s: String) { line("  " + s) }
    func detail(_ s: String) { line("  " + paint("2", s)) }
    func success(_ s: String) { line("  " + paint("32", "✓ " + s)) }
    func failureNote(_ s: String) { line("  " + paint("33", "✗ " + s)) }
    func failure(_ s: String) { line(paint("1;31", "error: ") + s) }
    func prompt(_ s: String) { Terminal.out("  " + paint("2", "(\(s))") + " ") }

    func progress(weight: Int, label: String) {
        let filled = max(0, min(20, weight / 5))
        line("  [" + paint("32", String(repeating: "█", count: filled)) + String(repeating: "·", count: 20 - filled) + "] " + label)
    }

    /// Polls `condition`, failing with a clear message after `timeout` seconds.
    func waitFor(_ what: String, timeout: Double, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            try Task.checkCancellation()
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw DemoEnvironment.Failure(description: "timed out after \(Int(timeout)) s waiting for \(what)")
    }
}
