import Foundation
public import Manifests
public import Values

/// A source's health and sync state, as `sluice status` shows it.
public struct SourceStatus: Sendable, Codable, Equatable {
    public enum SyncState: String, Sendable, Codable {
        case synced = "Synced"
        case outOfSync = "OutOfSync"
        case failed = "Failed"
        case unknown = "Unknown"
    }

    public var sync: SyncState
    public var health: Health
    public var commit: String?
    public var commitMessage: String?
    /// RFC 3339.
    public var time: String
    public var errors: [String]
    public var objects: Int
    public var message: String?
    /// For a rendered source: how its last render was isolated (whether the tool could read
    /// anything of the pod besides the tree).
    public var render: String?

    public init(
        sync: SyncState, health: Health, commit: String?, commitMessage: String?, time: String, errors: [String] = [], objects: Int = 0, message: String? = nil
    ) {
        self.sync = sync
        self.health = health
        self.commit = commit
        self.commitMessage = commitMessage
        self.time = time
        self.errors = errors
        self.objects = objects
        self.message = message
    }
}

/// What a source has applied: the objects Sluice may later prune, the last applied commit, and
/// the source's status. Kept in the cluster (a ConfigMap per source) so a restarted controller,
/// or another replica, knows what it owns.
public struct Inventory: Sendable, Codable, Equatable {
    public var source: String
    public var url: String?
    public var path: String?
    public var commit: String?
    public var objects: [ObjectReference]
    public var status: SourceStatus?

    public init(source: String, url: String? = nil, path: String? = nil, commit: String? = nil, objects: [ObjectReference] = [], status: SourceStatus? = nil) {
        self.source = source
        self.url = url
        self.path = path
        self.commit = commit
        self.objects = objects
        self.status = status
    }

    public static let label = "sluice.dev/inventory"

    /// `sluice-inventory-<source>`, a valid object name for any source name.
    public static func configMapName(_ source: String) -> String {
        let cleaned = source.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "-" }
        return String(("sluice-inventory-" + String(cleaned)).prefix(253)).trimmingCharacters(in: CharacterSet(charactersIn: "-."))
    }

    public func configMap(namespace: String) throws -> Value {
        let data = try JSONEncoder.sorted.encode(self)
        return [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": [
                "name": .string(Self.configMapName(source)), "namespace": .string(namespace),
                "labels": [Ownership.managedByLabel: .string(Ownership.managedByValue), Self.label: "true"],
            ],
            "data": ["inventory.json": .string(String(decoding: data, as: UTF8.self))],
        ]
    }

    /// Reads the inventory a ConfigMap holds. A ConfigMap without one, or with one that cannot
    /// be understood, throws: the record of what a source owns is never taken to be empty.
    public init(configMap: Value) throws(StoredStateError) {
        let name = "\(configMap[path: ["metadata", "namespace"]]?.stringValue ?? "")/\(configMap[path: ["metadata", "name"]]?.stringValue ?? "?")"
        let what = "the inventory in ConfigMap \(name)"
        guard let text = configMap[path: ["data", "inventory.json"]]?.stringValue else {
            throw StoredStateError(what: what, field: "data.inventory.json", problem: "missing")
        }
        self = try StoredState.decode(Inventory.self, from: Array(text.utf8), what: what)
    }
}

// Read back from the cluster, written by this release or another: every key but the ones an
// inventory is about (which objects, whose) takes its default when missing.
extension Inventory {
    enum CodingKeys: String, CodingKey { case source, url, path, commit, objects, status }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(String.self, forKey: .source)
        url = try c.value(.url, default: nil)
        path = try c.value(.path, default: nil)
        commit = try c.value(.commit, default: nil)
        // Required: every release wrote it, so an inventory without it is damaged, and taking it
        // for "owns nothing" would forget what to prune.
        objects = try c.decode([ObjectReference].self, forKey: .objects)
        status = try c.value(.status, default: nil)
    }
}

extension SourceStatus {
    enum CodingKeys: String, CodingKey { case sync, health, commit, commitMessage, time, errors, objects, message }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sync = try c.value(.sync, default: .unknown)
        health = try c.value(.health, default: .missing)
        commit = try c.value(.commit, default: nil)
        commitMessage = try c.value(.commitMessage, default: nil)
        time = try c.value(.time, default: "")
        errors = try c.value(.errors, default: [])
        objects = try c.value(.objects, default: 0)
        message = try c.value(.message, default: nil)
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
