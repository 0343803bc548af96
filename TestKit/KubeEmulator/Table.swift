import Foundation
import YAML

/// `kubectl get` asks for `as=Table`: rows of printable cells, with the columns a real server
/// prints for built-in kinds and a CRD's additionalPrinterColumns for custom ones.
enum Table {
    struct Column {
        var name: String
        var type: String
        var cell: (Value, Date) -> Value
        var priority = 0
    }

    static func make(_ type: ResourceType, _ objects: [Value], resourceVersion: String?, includeObject: String?, now: Date) -> Value {
        let columns = self.columns(type)
        var definitions: [Value] = []
        for c in columns {
            var d: Value = ["name": .string(c.name), "type": .string(c.type), "format": "", "description": "", "priority": .int(Int64(c.priority))]
            if c.name == "Name" { d["format"] = "name" }
            definitions.append(d)
        }
        let rows: [Value] = objects.map { o in
            var metadataOnly: Value = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"] ?? [:]]
            metadataOnly.set(nil, at: ["metadata", "managedFields"])
            return ["cells": .array(columns.map { $0.cell(o, now) }), "object": includeObject == "Object" ? o : metadataOnly]
        }
        var metadata: Value = [:]
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        return ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata, "columnDefinitions": .array(definitions), "rows": .array(rows)]
    }

    static func str(_ v: Value?) -> Value {
        switch v {
        case .string(let s)?: return .string(s)
        case .int(let i)?: return .int(i)
        case .double(let d)?: return .double(d)
        case .bool(let b)?: return .bool(b)
        case nil, .null?: return .string("")
        case let other?: return .string((try? JSON.serialize(other)) ?? "")
        }
    }

    static func columns(_ type: ResourceType) -> [Column] {
        if let builtin = PrinterColumns.columns(type) {
            return builtin.map { c in
                Column(
                    name: c.header, type: PrinterColumns.isInteger(c.cell) ? "integer" : "string", cell: { o, now in PrinterColumns.cell(c.cell, o, now: now) },
                    priority: c.wide ? 1 : 0)
            }
        }
        let name = Column(name: "Name", type: "string") { o, _ in .string(o.metadataString("name") ?? "") }
        let age = Column(name: "Age", type: "string") { o, now in .string(Self.age(o.metadataString("creationTimestamp"), now: now)) }
        let extra = type.printerColumns.map { c in
            Column(
                name: c.name, type: c.type,
                cell: { o, now in
                    let v = JSONPath.evaluate(c.jsonPath, in: o)
                    if c.type == "date", let s = v?.stringValue { return .string(Self.age(s, now: now)) }
                    return str(v)
                }, priority: c.priority)
        }
        return [name] + extra + (type.printerColumns.contains { $0.name == "Age" } ? [] : [age])
    }

    /// kubectl's short durations: 45s, 3m12s, 5h, 2d3h.
    static func age(_ timestamp: String?, now: Date) -> String {
        guard let timestamp, let date = try? Date(timestamp, strategy: .iso8601) else { return "<unknown>" }
        let s = max(0, Int(now.timeIntervalSince(date)))
        if s < 120 { return "\(s)s" }
        if s < 600 { return "\(s / 60)m\(s % 60 == 0 ? "" : "\(s % 60)s")" }
        if s < 3 * 3600 { return "\(s / 60)m" }
        if s < 8 * 3600 { return "\(s / 3600)h\((s % 3600) / 60 == 0 ? "" : "\((s % 3600) / 60)m")" }
        if s < 48 * 3600 { return "\(s / 3600)h" }
        return "\(s / 86400)d"
    }
}

/// The simple JSONPath subset CRD printer columns use: `.status.phase`, `.spec.items[0].name`.
enum JSONPath {
    static func evaluate(_ path: String, in value: Value) -> Value? {
        var current: Value? = value
        var p = path.trimmingCharacters(in: CharacterSet(charactersIn: "{}"))
        if p.hasPrefix("$") { p.removeFirst() }
        for raw in p.split(separator: ".") {
            var part = Substring(raw)
            var index: Int?
            if let open = part.firstIndex(of: "["), part.hasSuffix("]") {
                index = Int(part[part.index(after: open)..<part.index(before: part.endIndex)])
                part = part[..<open]
            }
            if !part.isEmpty { current = current?[String(part)] }
            if let index { current = current?.arrayValue.flatMap { $0.indices.contains(index) ? $0[index] : nil } }
        }
        return current
    }
}
