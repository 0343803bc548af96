import Foundation
import Synchronization

/// What the emulator's HPA controller remembers: the load a test set on each Deployment (in
/// place of a metrics server), each HPA's recent recommendations, and whether its periodic
/// sync runs.
final class AutoscalerState: Sendable {
    private struct State {
        var load: [String: [String: Double]] = [:]
        var history: [String: [(time: Date, replicas: Int)]] = [:]
        var ticking = false
    }
    private let state = Mutex(State())

    static func key(_ ns: String, _ name: String) -> String { "\(ns)/\(name)" }

    func setLoad(_ ns: String, _ deployment: String, resource: String, pods: Double?) {
        state.withLock { $0.load[Self.key(ns, deployment), default: [:]][resource] = pods }
    }

    func load(_ ns: String, _ deployment: String) -> [String: Double] { state.withLock { $0.load[Self.key(ns, deployment)] ?? [:] } }

    func history(_ ns: String, _ hpa: String) -> [(time: Date, replicas: Int)] { state.withLock { $0.history[Self.key(ns, hpa)] ?? [] } }

    /// Keeps what the longest window can still use.
    func record(_ ns: String, _ hpa: String, _ replicas: Int, at time: Date, keeping seconds: Double) {
        state.withLock {
            var h = $0.history[Self.key(ns, hpa)] ?? []
            h.append((time, replicas))
            h.removeAll { $0.time < time.addingTimeInterval(-seconds) }
            $0.history[Self.key(ns, hpa)] = h
        }
    }

    func forget(_ ns: String, _ hpa: String) { _ = state.withLock { $0.history.removeValue(forKey: Self.key(ns, hpa)) } }

    /// True when the caller should start the periodic sync (it was not running).
    func startTicking() -> Bool {
        state.withLock {
            if $0.ticking { return false }
            $0.ticking = true
            return true
        }
    }

    func stopTicking() { state.withLock { $0.ticking = false } }
}
