import Foundation
import OrderedCollections
import YAML

/// Server-side apply and field ownership, after Kubernetes' structured-merge-diff: each manager
/// owns a set of fields; applying merges a configuration into the live object, removes fields
/// the manager stopped applying (when nobody else owns them), and refuses to change a field
/// another manager owns unless forced.
struct FieldManager {
    let lists: ListSchema
    /// Owned by the subresource's writers only: the main resource's managers never own status.
    let subresource: String?

    struct Entry: Equatable {
        var manager: String
        var operation: String  // "Apply" or "Update"
        var apiVersion: String
        var time: String
        var subresource: String?
        var fields: FieldSet
    }

    struct Conflict: Error {
        var conflicts: [(manager: String, field: String)]
    }

    /// Whether an entry written through `other` owns fields of the same part of the object as
    /// this write: `status` has its own; the main resource and `scale` (spec.replicas, as the
    /// HPA controller writes it) share one, so a scale write takes replicas from an applier.
    func sharesFields(with other: String?) -> Bool { (subresource == "status") == (other == "status") }

    // MARK: field sets of values

    /// Fields the server owns and never tracks.
    static func isIgnored(_ path: [String], subresource: String?) -> Bool {
        guard let first = path.first else { return false }
        if subresource == "status" { return first != "status" }
        if first == "status" || first == "apiVersion" || first == "kind" { return true }
        if first == "metadata", path.count >= 2 {
            return [
                "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "deletionTimestamp",
                "deletionGracePeriodSeconds",
            ].contains(path[1])
        }
        return false
    }

    /// The fields a value sets: leaves of maps, whole atomic lists, keyed list items (with `.`).
    func fieldSet(of value: Value) -> FieldSet {
        var set = FieldSet()
        collect(value, names: [], into: &set, at: [])
        return set
    }

    private func collect(_ value: Value, names: [String], into set: inout FieldSet, at path: [PathElement]) {
        switch value {
        case .object(let o) where !o.isEmpty:
            for (k, v) in o {
                let childNames = names + [k]
                if Self.isIgnored(childNames, subresource: subresource) && names.count <= 1 { continue }
                collect(v, names: childNames, into: &set, at: path + [.field(k)])
            }
        case .array(let items):
            switch lists.kind(at: names) {
            case .map(let keys):
                guard !items.isEmpty else {
                    set.insert(path[...])
                    return
                }
                for item in items {
                    guard let e = ListSchema.keyElement(item, keys: keys) else {
                        set.insert(path[...])
                        return
                    }
                    set.insert((path + [e])[...])
                    collect(item, names: names, into: &set, at: path + [e])
                }
            case .set:
                guard !items.isEmpty else {
                    set.insert(path[...])
                    return
                }
                for item in items { if let e = ListSchema.valueElement(item) { set.insert((path + [e])[...]) } }
            case .atomic:
                set.insert(path[...])
            }
        default:
            if !path.isEmpty { set.insert(path[...]) }
        }
    }

    /// The value at a field path, nil when absent.
    func value(at path: ArraySlice<PathElement>, in value: Value?, names: [String] = []) -> Value? {
        guard let value, let first = path.first else { return value }
        switch first {
        case .field(let f):
            return self.value(at: path.dropFirst(), in: value[f], names: names + [f])
        case .key:
            guard let items = value.arrayValue, case .map(let keys) = lists.kind(at: names) else { return nil }
            let item = items.first { ListSchema.keyElement($0, keys: keys) == first }
            return self.value(at: path.dropFirst(), in: item, names: names)
        case .value:
            guard let items = value.arrayValue else { return nil }
            return items.first { ListSchema.valueElement($0) == first }
        }
    }

    // MARK: merge and removal

    /// `config` merged into `live`: maps recursively, keyed lists item by item, the rest replaced.
    func merge(_ live: Value?, _ config: Value, names: [String] = []) -> Value {
        switch (live, config) {
        case (.object(var l)?, .object(let c)):
            for (k, v) in c { l[k] = merge(l[k], v, names: names + [k]) }
            return .object(l)
        case (.array(var l)?, .array(let c)):
            switch lists.kind(at: names) {
            case .map(let keys):
                return .array(Self.mergeOrdered(l, c, key: { ListSchema.keyElement($0, keys: keys) }) { merge($0, $1, names: names) })
            case .set:
                return .array(Self.mergeOrdered(l, c, key: { ListSchema.valueElement($0) }) { _, item in item })
            case .atomic:
                return config
            }
        case (let l?, _) where l.semanticallyEquals(config):
            // The same number spelled differently (1000 and 1000.0) or the same map in another
            // key order: the live value stays, as a server holding typed objects would.
            return l
        default:
            return config
        }
    }

    /// Merges the items of a keyed (or set) list the way structured-merge-diff orders them: live
    /// items the config does not mention stay where they are, items in both come in the
    /// config's order, and new items go where the config puts them among those.
    static func mergeOrdered(_ live: [Value], _ config: [Value], key: (Value) -> PathElement?, combine: (Value?, Value) -> Value) -> [Value] {
        let configKeys = config.map(key)
        let inConfig = Set(configKeys.compactMap { $0.map(Self.describe) })
        var liveByKey: [String: Value] = [:]
        for item in live { if let k = key(item).map(Self.describe), liveByKey[k] == nil { liveByKey[k] = item } }
        let shared = configKeys.compactMap { $0.map(Self.describe) }.filter { liveByKey[$0] != nil }
        var nextShared = 0
        var out: [Value] = []
        var emitted = Set<String>()
        var i = 0
        var j = 0
        while i < live.count || j < config.count {
            let lk = i < live.count ? key(live[i]).map(Self.describe) : nil
            if i < live.count, j < config.count, let lk, lk == configKeys[j].map(Self.describe) {
                out.append(combine(live[i], config[j]))
                emitted.insert(lk)
                if nextShared < shared.count, shared[nextShared] == lk { nextShared += 1 }
                i += 1
                j += 1
                continue
            }
            if i < live.count {
                guard let lk, inConfig.contains(lk) else {
                    out.append(live[i])  // not in the config (or keyless): stays in place
                    i += 1
                    continue
                }
                if emitted.contains(lk) || (nextShared < shared.count && shared[nextShared] != lk) {
                    i += 1  // merged already, or its turn comes in the config's order
                    continue
                }
            }
            if j < config.count {
                let ck = configKeys[j].map(Self.describe)
                out.append(combine(ck.flatMap { liveByKey[$0] }, config[j]))
                if let ck {
                    emitted.insert(ck)
                    if nextShared < shared.count, shared[nextShared] == ck { nextShared += 1 }
                }
                j += 1
            } else {
                i += 1
            }
        }
        return out
    }

    static func describe(_ e: PathElement) -> String { "\(e)" }

    /// Removes a field path from a value. Maps left empty by the removal go too, unless `keep`
    /// says someone owns them.
    func remove(
        _ path: ArraySlice<PathElement>, from value: inout Value, names: [String] = [], prefix: [PathElement] = [], keep: (ArraySlice<PathElement>) -> Bool
    ) {
        guard let first = path.first else { return }
        let last = path.count == 1
        switch (first, value) {
        case (.field(let f), .object(var o)):
            if last {
                o[f] = nil
            } else if var child = o[f] {
                remove(path.dropFirst(), from: &child, names: names + [f], prefix: prefix + [first], keep: keep)
                if case .object(let c) = child, c.isEmpty, !keep((prefix + [first])[...]) {
                    o[f] = nil
                } else {
                    o[f] = child
                }
            }
            value = .object(o)
        case (.key, .array(var items)):
            guard case .map(let keys) = lists.kind(at: names),
                let i = items.firstIndex(where: { ListSchema.keyElement($0, keys: keys) == first })
            else { return }
            if last {
                items.remove(at: i)
            } else {
                remove(path.dropFirst(), from: &items[i], names: names, prefix: prefix + [first], keep: keep)
            }
            value = .array(items)
        case (.value, .array(var items)):
            items.removeAll { ListSchema.valueElement($0) == first }
            value = .array(items)
        default:
            return
        }
    }

    // MARK: operations

    static func decode(_ object: Value?) -> [Entry] {
        (object?.metadata("managedFields")?.arrayValue ?? []).compactMap { e in
            guard let manager = e["manager"]?.stringValue, let op = e["operation"]?.stringValue else { return nil }
            return Entry(
                manager: manager, operation: op, apiVersion: e["apiVersion"]?.stringValue ?? "", time: e["time"]?.stringValue ?? "",
                subresource: e["subresource"]?.stringValue, fields: FieldSet(fieldsV1: e["fieldsV1"] ?? .emptyObject))
        }
    }

    static func encode(_ entries: [Entry]) -> Value {
        .array(
            entries.filter { !$0.fields.isEmpty }.map { e in
                var v: Value = [
                    "manager": .string(e.manager), "operation": .string(e.operation), "apiVersion": .string(e.apiVersion),
                    "time": .string(e.time), "fieldsType": "FieldsV1", "fieldsV1": e.fields.fieldsV1,
                ]
                if let s = e.subresource { v["subresource"] = .string(s) }
                return v
            })
    }

    /// Server-side apply of `config` by `manager` onto `live` (nil when creating). Returns the new
    /// object (without server-set metadata) and the new managed-fields entries.
    func apply(live: Value?, config: Value, manager: String, apiVersion: String, force: Bool, now: String) throws -> (Value, [Entry]) {
        var entries = Self.decode(live)
        let configSet = fieldSet(of: config)
        let mine = entries.firstIndex { $0.manager == manager && $0.operation == "Apply" && $0.subresource == subresource }
        let previous = mine.map { entries[$0].fields } ?? FieldSet()

        // Conflicts: a field this config sets to a different value than live, owned by another manager.
        var conflicts: [(manager: String, field: String, path: [PathElement])] = []
        for path in configSet.paths {
            guard let liveValue = value(at: path[...], in: live) else { continue }
            let configValue = value(at: path[...], in: config)
            if case .key = path.last { continue }
            guard configValue != liveValue else { continue }
            for e in entries where e.manager != manager && sharesFields(with: e.subresource) && e.fields.contains(path[...]) {
                conflicts.append((e.manager, describePath(path), path))
            }
        }
        if !conflicts.isEmpty && !force {
            throw Conflict(conflicts: conflicts.map { ($0.manager, $0.field) })
        }
        var merged = merge(live, config)

        // Fields this manager applied before and no longer does: removed, unless owned elsewhere.
        let others = entries.enumerated().filter { $0.offset != mine && sharesFields(with: $0.element.subresource) }.map(\.element.fields)
        // Shortest paths first: a list item (or map) nobody else owns goes whole, with what the
        // server defaulted in it, and its own fields need no removal after it.
        let removed = previous.subtracting(configSet)
        var gone: [[PathElement]] = []
        for path in removed.paths.sorted(by: { $0.count < $1.count }) {
            if gone.contains(where: { path.starts(with: $0) }) { continue }
            if others.contains(where: { $0.touches(path[...]) }) || configSet.touches(path[...]) { continue }
            remove(path[...], from: &merged) { p in others.contains { $0.touches(p) } || configSet.touches(p) }
            gone.append(path)
        }

        // Forced conflicts move ownership to this manager.
        if force {
            for c in conflicts {
                for i in entries.indices where entries[i].manager == c.manager && sharesFields(with: entries[i].subresource) {
                    var lost = FieldSet()
                    lost.insert(c.path[...])
                    entries[i].fields = entries[i].fields.subtracting(lost)
                }
            }
        }
        let entry = Entry(manager: manager, operation: "Apply", apiVersion: apiVersion, time: now, subresource: subresource, fields: configSet)
        if let mine { entries[mine] = entry } else { entries.append(entry) }
        return (merged, entries.filter { !$0.fields.isEmpty })
    }

    /// A non-apply write (create, update, patch) by `manager`: it owns every field it changed or
    /// added; other managers lose those; fields that disappeared leave every set.
    func update(old: Value?, new: Value, manager: String, apiVersion: String, now: String) -> [Entry] {
        var entries = Self.decode(old)
        let oldSet = old.map { fieldSet(of: $0) } ?? FieldSet()
        let newSet = fieldSet(of: new)
        var changed = FieldSet()
        for path in newSet.paths {
            if case .key = path.last {
                if !oldSet.contains(path[...]) { changed.insert(path[...]) }
                continue
            }
            if value(at: path[...], in: old) != value(at: path[...], in: new) { changed.insert(path[...]) }
        }
        let gone = oldSet.subtracting(newSet)
        for i in entries.indices where sharesFields(with: entries[i].subresource) {
            entries[i].fields = entries[i].fields.subtracting(gone)
            if entries[i].manager != manager || entries[i].operation != "Update" {
                entries[i].fields = entries[i].fields.subtracting(changed)
            }
        }
        if !changed.isEmpty {
            if let i = entries.firstIndex(where: { $0.manager == manager && $0.operation == "Update" && $0.subresource == subresource }) {
                entries[i].fields = entries[i].fields.union(changed)
                entries[i].time = now
                entries[i].apiVersion = apiVersion
            } else {
                entries.append(Entry(manager: manager, operation: "Update", apiVersion: apiVersion, time: now, subresource: subresource, fields: changed))
            }
        }
        return entries.filter { !$0.fields.isEmpty }
    }
}
