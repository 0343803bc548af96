import Foundation
import Rollout
import Synchronization

/// A metrics source whose answers the test sets per model version: what Prometheus would say
/// about each version's SLO query, with every query it was asked kept for assertions.
final class ScriptedMetrics: MetricsSource {
    private struct State {
        var answers: [String: QueryOutcome] = [:]
        var fallback: QueryOutcome = .value(0.001)
        var asked: [String] = []
    }

    private let state = Mutex(State())

    /// What the query for `version` answers from now on.
    func answer(_ version: String, _ outcome: QueryOutcome) { state.withLock { $0.answers[version] = outcome } }
    /// What every other version's query answers (Prometheus down: `.error(...)`).
    func answerAll(_ outcome: QueryOutcome) {
        state.withLock {
            $0.answers.removeAll()
            $0.fallback = outcome
        }
    }

    var asked: [String] { state.withLock { $0.asked } }

    func query(_ promql: String) async -> QueryOutcome {
        state.withLock { s in
            s.asked.append(promql)
            // The SLO queries name the version as `version="..."` once rendered.
            let version = promql.components(separatedBy: "version=\"").dropFirst().first?.components(separatedBy: "\"").first ?? ""
            return s.answers[version] ?? s.fallback
        }
    }

    func queryVector(_ promql: String) async -> VectorOutcome { .error("this scripted source answers value queries only") }
}
