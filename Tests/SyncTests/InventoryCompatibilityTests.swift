import Foundation
import Manifests
import Sync
import TestSupport
import Testing
import YAML

/// Every release's inventory ConfigMap (Tests/Fixtures/stored-state) means the same to this
/// build: the demo source, its four objects and its last synced commit.
@Suite(.offThePool) struct InventoryCompatibilityTests {
    @Test(arguments: StoredStateFixtures.releases)
    func aStoredInventoryIsReadWhole(_ release: String) throws {
        let cm = try StoredStateFixtures.inventoryConfigMap(release)
        let inventory = try Inventory(configMap: cm)
        #expect(inventory.source == "demo")
        #expect(
            inventory.objects.map { "\($0.kind)/\($0.name)" }.sorted() == [
                "ConfigMap/churn-features", "CustomResourceDefinition/modeldeployments.sluice.dev", "ModelDeployment/churn", "Namespace/ml-demo",
            ])
        #expect(inventory.commit?.count == 40)
        #expect(inventory.status?.sync == .synced && inventory.status?.objects == 4 && inventory.status?.commit == inventory.commit)
        // Written back by this release, it reads the same and keeps every key it had.
        let rewritten = try inventory.configMap(namespace: "default")
        #expect(try Inventory(configMap: rewritten) == inventory)
        let before = try JSON.parse(try #require(cm[path: ["data", "inventory.json"]]?.stringValue))
        let after = try JSON.parse(try #require(rewritten[path: ["data", "inventory.json"]]?.stringValue))
        for key in before.objectValue?.keys ?? [] { #expect(after[key] != nil, "\(key) is dropped") }
    }

    @Test func missingKeysTakeDefaultsButTheObjectsAreRequired() throws {
        func inventory(_ json: String) throws -> Inventory {
            try Inventory(configMap: ["metadata": ["name": "sluice-inventory-x", "namespace": "default"], "data": ["inventory.json": .string(json)]])
        }
        let minimal = try inventory(#"{"source":"x","objects":[{"apiVersion":"v1","kind":"ConfigMap","name":"a","namespace":"n"}],"status":{"sync":"Synced"}}"#)
        #expect(minimal.objects.count == 1 && minimal.commit == nil && minimal.status?.health == .missing && minimal.status?.errors == [])
        #expect(try inventory(#"{"source":"x","objects":[],"newerField":{"a":1}}"#).objects.isEmpty)

        let noObjects = try #require(throws: StoredStateError.self) { try inventory(#"{"source":"x"}"#) }
        #expect(noObjects.field == "objects" && noObjects.problem == "required")
        let wrongType = try #require(throws: StoredStateError.self) { try inventory(#"{"source":"x","objects":{}}"#) }
        #expect(wrongType.description.hasPrefix("the inventory in ConfigMap default/sluice-inventory-x cannot be read: objects:"))
        let none = try #require(throws: StoredStateError.self) { try Inventory(configMap: ["metadata": ["name": "c"], "data": [:]]) }
        #expect(none.field == "data.inventory.json")
    }
}
