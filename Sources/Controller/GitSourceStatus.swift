import Foundation
public import Sync
public import YAML

/// What a GitSource's status says: the sync state of its source, or why the object is not run,
/// and a `Ready` condition in the shape every Kubernetes tool reads (`kubectl wait
/// --for=condition=Ready`).
public struct GitSourceStatus: Sendable, Equatable {
    public var observedGeneration: Int
    public var ready: String
    public var reason: String
    public var message: String
    /// When `ready` last changed.
    public var transition: String
    public var sync: SourceStatus?

    static func now() -> String { Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false)) }

    /// `ready` with the transition time carried over from `previous` when it did not change.
    init(generation: Int, ready: String, reason: String, message: String, sync: SourceStatus?, previous: GitSourceStatus?) {
        observedGeneration = generation
        self.ready = ready
        self.reason = reason
        self.message = message
        self.sync = sync
        transition = previous?.ready == ready ? previous!.transition : Self.now()
    }

    public static func refused(_ why: String, generation: Int, previous: GitSourceStatus?) -> GitSourceStatus {
        GitSourceStatus(generation: generation, ready: "False", reason: "Invalid", message: why, sync: previous?.sync, previous: previous)
    }

    /// From the source's last pass; nil: started, nothing synced yet.
    public static func from(_ sync: SourceStatus?, generation: Int, previous: GitSourceStatus?) -> GitSourceStatus {
        guard let sync else {
            return GitSourceStatus(
                generation: generation, ready: "Unknown", reason: "Progressing", message: "started; first sync under way", sync: nil, previous: previous)
        }
        let ok = sync.sync == .synced
        let message = sync.message ?? sync.errors.first ?? (ok ? "synced \(sync.commit.map { String($0.prefix(12)) } ?? "")" : "sync failed")
        return GitSourceStatus(
            generation: generation, ready: ok ? "True" : "False", reason: ok ? "Synced" : "SyncFailed", message: message, sync: sync, previous: previous)
    }

    public var value: Value {
        var status: Value = [
            "observedGeneration": .int(Int64(observedGeneration)),
            "conditions": [
                [
                    "type": "Ready", "status": .string(ready), "reason": .string(reason), "message": .string(message),
                    "lastTransitionTime": .string(transition), "observedGeneration": .int(Int64(observedGeneration)),
                ]
            ],
        ]
        if let sync {
            if let commit = sync.commit { status["revision"] = .string(commit) }
            if let summary = sync.commitMessage { status["commitMessage"] = .string(summary) }
            status["sync"] = .string(sync.sync.rawValue)
            status["health"] = .string(sync.health.rawValue)
            status["objects"] = .int(Int64(sync.objects))
            if !sync.time.isEmpty { status["lastSyncTime"] = .string(sync.time) }
            if !sync.errors.isEmpty { status["errors"] = .array(sync.errors.prefix(20).map { .string($0) }) }
        }
        return status
    }
}
