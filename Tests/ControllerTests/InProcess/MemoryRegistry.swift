import ModelRegistry
import Promotion
import Synchronization

/// A model registry in memory with MLflow's semantics where the controller relies on them: an
/// alias points at one version at a time, tags are per version, an unset alias is "none", and a
/// registry that is down fails every call. Every write is kept for assertions.
final class MemoryRegistry: ModelRegistry {
    private struct State {
        var versions: [String: RegistryVersion] = [:]
        var down = false
        var writes: [String] = []
    }
    private let state = Mutex(State())

    func add(_ version: String, metrics: [String: Double] = [:]) {
        state.withLock { $0.versions[version] = RegistryVersion(version: version, source: "s3://mlflow/\(version)", runId: "run-\(version)", metrics: metrics) }
    }

    func set(down: Bool) { state.withLock { $0.down = down } }
    var writes: [String] { state.withLock { $0.writes } }
    func alias(_ alias: String) -> String? { state.withLock { s in s.versions.values.first { $0.aliases.contains(alias) }?.version } }
    func tags(_ version: String) -> [String: String] { state.withLock { $0.versions[version]?.tags ?? [:] } }

    private func read<T>(_ body: (State) -> T) throws(RegistryError) -> T {
        let (down, value) = state.withLock { ($0.down, body($0)) }
        if down { throw RegistryError(.unavailable, "MLflow at memory: connection refused") }
        return value
    }

    func version(alias: String) async throws(RegistryError) -> RegistryVersion? {
        try read { s in s.versions.values.first { $0.aliases.contains(alias) } }
    }

    func newestVersion(tagged tag: RegistryTag) async throws(RegistryError) -> RegistryVersion? {
        try read { s in s.versions.values.filter { $0.tags[tag.key] == tag.value }.max { Int($0.version)! < Int($1.version)! } }
    }

    func version(_ number: String) async throws(RegistryError) -> RegistryVersion? { try read { $0.versions[number] } }

    func setAlias(_ alias: String, version: String) async throws(RegistryError) {
        _ = try read { _ in () }
        state.withLock { s in
            for k in s.versions.keys { s.versions[k]?.aliases.removeAll { $0 == alias } }
            s.versions[version]?.aliases.append(alias)
            s.writes.append("alias \(alias)=\(version)")
        }
    }

    func setTag(version: String, key: String, value: String) async throws(RegistryError) {
        _ = try read { _ in () }
        state.withLock { s in
            s.versions[version]?.tags[key] = value
            s.writes.append("tag \(version) \(key)=\(value)")
        }
    }
}
