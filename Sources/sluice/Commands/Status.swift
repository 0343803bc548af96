import ArgumentParser
import Foundation
import Kube
import Sync
import YAML

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show every sync source's state: synced or not, healthy or not, at which commit.")

    @OptionGroup var kube: KubeOptions

    @Argument(help: "Show only this source.")
    var name: String?

    @Option(name: .shortAndLong, help: "Output: text or json.")
    var output: Diff.Format = .text

    func run() async throws {
        let client = try kube.client()
        defer { client.shutdown() }
        let list = try await client.listAll(
            apiVersion: "v1", kind: "ConfigMap", namespace: kube.resolvedInventoryNamespace, options: ListOptions(labelSelector: "\(Inventory.label)=true"))
        var inventories = list.items.compactMap { try? Inventory(configMap: $0) }
        if let name { inventories = inventories.filter { $0.source == name } }
        if output == .json {
            let data = try JSONEncoder.pretty.encode(inventories)
            Terminal.out(String(decoding: data, as: UTF8.self) + "\n")
            return
        }
        if inventories.isEmpty {
            Terminal.out(name.map { "no source named \($0) in namespace \(kube.resolvedInventoryNamespace)\n" } ?? "no sync sources in namespace \(kube.resolvedInventoryNamespace)\n")
            if name != nil { throw ExitCode(1) }
            return
        }
        // Health is assessed now, not read from the last sync: rollouts finish after it.
        for i in inventories.indices where inventories[i].status != nil && inventories[i].status?.sync != .failed {
            let syncer = Syncer(client: client, options: SyncOptions(source: inventories[i].source, inventoryNamespace: kube.resolvedInventoryNamespace))
            let (health, message) = await syncer.assessHealth(inventories[i].objects)
            inventories[i].status?.health = health
            inventories[i].status?.message = message
        }
        var rows = [["SOURCE", "SYNC", "HEALTH", "COMMIT", "OBJECTS", "LAST SYNC", "MESSAGE"]]
        for inv in inventories.sorted(by: { $0.source < $1.source }) {
            let s = inv.status
            rows.append([
                inv.source, s?.sync.rawValue ?? "Unknown", s?.health.rawValue ?? "Unknown", String((inv.commit ?? "-").prefix(7)), String(inv.objects.count),
                s?.time ?? "-", s?.message ?? s?.commitMessage ?? "",
            ])
        }
        Terminal.out(Table.render(rows))
        for inv in inventories where !(inv.status?.errors.isEmpty ?? true) {
            Terminal.out("\n\(inv.source) errors:\n" + inv.status!.errors.map { "  - \($0)\n" }.joined())
        }
    }
}

extension JSONEncoder {
    static var pretty: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return e
    }
}

/// Columns padded to their widest cell, as kubectl prints tables.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        guard let first = rows.first else { return "" }
        var widths = Array(repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in i == r.count - 1 ? c : c.padding(toLength: widths[i] + 3, withPad: " ", startingAt: 0) }.joined()
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
