import Foundation
import YAML

/// State as each release wrote it to the cluster (Tests/Fixtures/stored-state/RELEASE).
public enum StoredStateFixtures {
    public static let directory = "\(SluiceBinary.repositoryRoot)/Tests/Fixtures/stored-state"

    /// Every release with fixtures, oldest first.
    public static var releases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasSuffix(".md") }.sorted {
            $0.split(separator: ".").compactMap { Int($0) }.lexicographicallyPrecedes($1.split(separator: ".").compactMap { Int($0) })
        }
    }

    public static func value(_ release: String, _ file: String) throws -> Value {
        try JSON.parse(String(contentsOfFile: "\(directory)/\(release)/\(file)", encoding: .utf8))
    }

    /// A ModelDeployment's `.status`: `progressing`, `rolledback` or `succeeded`.
    public static func status(_ release: String, _ name: String) throws -> Value { try value(release, "status-\(name).json") }

    public static func inventoryConfigMap(_ release: String) throws -> Value { try value(release, "inventory-configmap.json") }

    public static func deployments(_ release: String, _ name: String = "deployments") throws -> [Value] {
        try value(release, "\(name).json").arrayValue ?? []
    }
}
