import Foundation
import Synchronization
import YAML

/// The kinds the emulator serves: built-ins plus whatever CustomResourceDefinitions define.
final class Registry: Sendable {
    private let types = Mutex(BuiltinResources.all)

    var all: [ResourceType] { types.withLock { types in types } }

    func find(group: String, version: String, plural: String) -> ResourceType? {
        types.withLock { types in types.first { $0.group == group && $0.version == version && $0.plural == plural } }
    }

    func find(apiVersion: String, kind: String) -> ResourceType? {
        let (group, version) = Self.split(apiVersion)
        return types.withLock { types in types.first { $0.group == group && $0.version == version && $0.kind == kind } }
    }

    static func split(_ apiVersion: String) -> (group: String, version: String) {
        guard let slash = apiVersion.firstIndex(of: "/") else { return ("", apiVersion) }
        return (String(apiVersion[..<slash]), String(apiVersion[apiVersion.index(after: slash)...]))
    }

    /// Group → versions, in the order discovery lists them.
    var groups: [(group: String, versions: [String])] {
        var out: [(String, [String])] = []
        for t in all where !t.group.isEmpty {
            if let i = out.firstIndex(where: { $0.0 == t.group }) {
                if !out[i].1.contains(t.version) { out[i].1.append(t.version) }
            } else {
                out.append((t.group, [t.version]))
            }
        }
        return out
    }

    /// Registers (or replaces) the kinds a CRD serves. Returns the resource keys it defined.
    @discardableResult
    func register(crd: Value) -> [String] {
        let group = crd[path: ["spec", "group"]]?.stringValue ?? ""
        let names = crd[path: ["spec", "names"]] ?? [:]
        guard let kind = names["kind"]?.stringValue, let plural = names["plural"]?.stringValue else { return [] }
        let namespaced = crd[path: ["spec", "scope"]]?.stringValue != "Cluster"
        var defined: [ResourceType] = []
        for version in crd[path: ["spec", "versions"]]?.arrayValue ?? [] where version["served"] != .bool(false) {
            guard let v = version["name"]?.stringValue else { continue }
            let columns: [ResourceType.PrinterColumn] = (version["additionalPrinterColumns"]?.arrayValue ?? []).compactMap { c in
                guard let name = c["name"]?.stringValue, let path = c["jsonPath"]?.stringValue else { return nil }
                return ResourceType.PrinterColumn(
                    name: name, type: c["type"]?.stringValue ?? "string", jsonPath: path, priority: Int(c["priority"]?.intValue ?? 0),
                    description: c["description"]?.stringValue ?? "")
            }
            defined.append(
                ResourceType(
                    group: group, version: v, kind: kind, plural: plural,
                    singular: names["singular"]?.stringValue ?? kind.lowercased(), namespaced: namespaced,
                    shortNames: names["shortNames"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    categories: names["categories"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    hasStatus: version[path: ["subresources", "status"]] != nil,
                    subresources: ["status", "scale"].filter { version[path: ["subresources", $0]] != nil }, tracksGeneration: true,
                    printerColumns: columns, schema: version[path: ["schema", "openAPIV3Schema"]]))
        }
        types.withLock { types in
            types.removeAll { $0.group == group && $0.plural == plural }
            types.append(contentsOf: defined)
        }
        return defined.map(\.resourceKey)
    }

    func unregister(crd: Value) {
        let group = crd[path: ["spec", "group"]]?.stringValue ?? ""
        let plural = crd[path: ["spec", "names", "plural"]]?.stringValue ?? ""
        types.withLock { types in types.removeAll { $0.group == group && $0.plural == plural && !BuiltinResources.all.contains($0) } }
    }
}
