import Foundation
public import Manifests
public import YAML

/// A source's health and sync state, as `sluice status` shows it.
public struct SourceStatus: Sendable, Codable, Equatable {
    public enum SyncState: String, Sendable, Codable { case synced = "Synced", outOfSync = "OutOfSync", failed = "Failed", unknown = "Unknown" }

    public var sync: SyncState
    public var health: Health
    public var commit: String?
    public var commitMessage: String?
    /// RFC 3339.
    public var time: String
    public var errors: [String]
    public var objects: Int
    public var message: String?

    public init(sync: SyncState, health: Health, commit: String?, commitMessage: String?, time: String, errors: [String] = [], objects: Int = 0, message: String? = nil) {
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

    public init(configMap: Value) throws {
        guard let text = configMap[path: ["data", "inventory.json"]]?.stringValue else {
            throw SyncError.inventory("ConfigMap \(configMap[path: ["metadata", "name"]]?.stringValue ?? "?") has no inventory.json")
        }
        self = try JSONDecoder().decode(Inventory.self, from: Data(text.utf8))
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}

public enum SyncError: Error, CustomStringConvertible {
    case inventory(String)
    public var description: String {
        switch self {
        case .inventory(let s): "inventory: \(s)"
        }
    }
}
