import YAML

/// A kind the emulator serves: how it is addressed (group, version, plural) and how it behaves.
struct ResourceType: Sendable, Hashable {
    var group: String
    var version: String
    var kind: String
    var plural: String
    var singular: String
    var namespaced: Bool
    var shortNames: [String] = []
    var categories: [String] = []
    /// Has a `/status` subresource: main-resource writes keep status, status writes keep the rest.
    var hasStatus: Bool = false
    /// Subresources served (`status`, `scale`, `log`...).
    var subresources: [String] = []
    /// `metadata.generation` is kept and bumped on spec changes.
    var tracksGeneration: Bool = false
    /// kubectl `get` columns beyond NAME and AGE (CRD additionalPrinterColumns).
    var printerColumns: [PrinterColumn] = []
    /// Kinds defined by a CustomResourceDefinition carry its schema (for list-type hints).
    var schema: Value? = nil
    var verbs: [String] = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    struct PrinterColumn: Sendable, Hashable {
        var name: String
        var type: String
        var jsonPath: String
        var priority: Int = 0
        var description: String = ""
    }

    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    var listKind: String { kind + "List" }
    /// Identity of the type across versions: `deployments.apps`.
    var resourceKey: String { group.isEmpty ? plural : "\(plural).\(group)" }
    var groupVersion: String { apiVersion }
}
