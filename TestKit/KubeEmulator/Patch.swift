import Foundation
import YAML

/// The three classic patch formats of the Kubernetes API.
enum Patch {
    /// RFC 7386 JSON merge patch: maps merge, `null` deletes, anything else replaces.
    static func merge(_ target: Value?, _ patch: Value) -> Value {
        guard case .object(let p) = patch else { return patch }
        var result = target?.objectValue ?? [:]
        for (k, v) in p {
            if v.isNull {
                result[k] = nil
            } else {
                result[k] = merge(result[k], v)
            }
        }
        return .object(result)
    }

    /// Strategic merge patch (what `kubectl edit`, `kubectl patch` and client-side apply send for
    /// built-in kinds): a merge patch whose keyed lists merge item by item, with the `$patch`
    /// directives `delete` and `replace` and `$deleteFromPrimitiveList/...` left out.
    static func strategic(_ target: Value?, _ patch: Value, lists: ListSchema, names: [String] = []) -> Value {
        guard case .object(var p) = patch else { return patch }
        if p["$patch"]?.stringValue == "replace" {
            p["$patch"] = nil
            return .object(p)
        }
        var result = target?.objectValue ?? [:]
        for (k, v) in p {
            if k.hasPrefix("$setElementOrder/") || k.hasPrefix("$retainKeys") || k.hasPrefix("$deleteFromPrimitiveList/") { continue }
            let childNames = names + [k]
            if v.isNull {
                result[k] = nil
            } else if case .array(let items) = v, case .map(let keys) = lists.kind(at: childNames), case .array(var current)? = result[k] {
                for item in items {
                    let key = ListSchema.keyElement(item, keys: keys)
                    let index = current.firstIndex { ListSchema.keyElement($0, keys: keys) == key }
                    if item["$patch"]?.stringValue == "delete" {
                        if let index { current.remove(at: index) }
                    } else if let index {
                        current[index] = strategic(current[index], item, lists: lists, names: childNames)
                    } else {
                        current.append(strategic(nil, item, lists: lists, names: childNames))
                    }
                }
                result[k] = .array(current)
            } else if case .object = v {
                result[k] = strategic(result[k], v, lists: lists, names: childNames)
            } else {
                result[k] = v
            }
        }
        return .object(result)
    }

    /// RFC 6902 JSON patch: add, remove, replace, move, copy, test.
    static func json(_ target: Value, _ operations: Value) throws -> Value {
        guard let ops = operations.arrayValue else { throw APIError.badRequest("json patch must be a list of operations") }
        var doc = target
        for op in ops {
            guard let kind = op["op"]?.stringValue, let path = op["path"]?.stringValue else {
                throw APIError.badRequest("json patch operation needs op and path")
            }
            let pointer = try Self.pointer(path)
            switch kind {
            case "add": doc = try set(doc, pointer[...], op["value"] ?? .null, insert: true)
            case "replace":
                guard get(doc, pointer[...]) != nil else {
                    throw APIError(code: 422, reason: "Invalid", message: "replace operation does not apply: doc is missing path: \(path)")
                }
                doc = try set(doc, pointer[...], op["value"] ?? .null, insert: false)
            case "remove":
                guard get(doc, pointer[...]) != nil else {
                    throw APIError(code: 422, reason: "Invalid", message: "remove operation does not apply: doc is missing path: \(path)")
                }
                doc = try removing(doc, pointer[...])
            case "move", "copy":
                guard let from = op["from"]?.stringValue, let value = get(doc, try Self.pointer(from)[...]) else {
                    throw APIError(code: 422, reason: "Invalid", message: "\(kind) operation does not apply: missing from")
                }
                if kind == "move" { doc = try removing(doc, try Self.pointer(from)[...]) }
                doc = try set(doc, pointer[...], value, insert: true)
            case "test":
                guard get(doc, pointer[...]) == op["value"] else { throw APIError(code: 422, reason: "Invalid", message: "test operation failed at \(path)") }
            default:
                throw APIError.badRequest("unknown json patch operation \(kind)")
            }
        }
        return doc
    }

    static func pointer(_ s: String) throws -> [String] {
        guard s.isEmpty || s.hasPrefix("/") else { throw APIError.badRequest("invalid JSON pointer \(s)") }
        return s.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    static func get(_ v: Value, _ p: ArraySlice<String>) -> Value? {
        guard let first = p.first else { return v }
        switch v {
        case .object(let o): return o[first].flatMap { get($0, p.dropFirst()) }
        case .array(let a): return Int(first).flatMap { a.indices.contains($0) ? get(a[$0], p.dropFirst()) : nil }
        default: return nil
        }
    }

    static func set(_ v: Value, _ p: ArraySlice<String>, _ new: Value, insert: Bool) throws -> Value {
        guard let first = p.first else { return new }
        switch v {
        case .object(var o):
            if p.count == 1 {
                o[first] = new
            } else {
                guard let child = o[first] else { throw APIError(code: 422, reason: "Invalid", message: "path /\(p.joined(separator: "/")) does not exist") }
                o[first] = try set(child, p.dropFirst(), new, insert: insert)
            }
            return .object(o)
        case .array(var a):
            if p.count == 1 {
                if first == "-" {
                    a.append(new)
                    return .array(a)
                }
                guard let i = Int(first), i >= 0, i <= a.count else { throw APIError(code: 422, reason: "Invalid", message: "index \(first) out of range") }
                if insert { a.insert(new, at: i) } else if i < a.count { a[i] = new }
            } else {
                guard let i = Int(first), a.indices.contains(i) else { throw APIError(code: 422, reason: "Invalid", message: "index \(first) out of range") }
                a[i] = try set(a[i], p.dropFirst(), new, insert: insert)
            }
            return .array(a)
        default:
            throw APIError(code: 422, reason: "Invalid", message: "cannot add into a \(v.typeName)")
        }
    }

    static func removing(_ v: Value, _ p: ArraySlice<String>) throws -> Value {
        guard let first = p.first else { return .null }
        switch v {
        case .object(var o):
            if p.count == 1 { o[first] = nil } else if let child = o[first] { o[first] = try removing(child, p.dropFirst()) }
            return .object(o)
        case .array(var a):
            guard let i = Int(first), a.indices.contains(i) else { return v }
            if p.count == 1 { a.remove(at: i) } else { a[i] = try removing(a[i], p.dropFirst()) }
            return .array(a)
        default:
            return v
        }
    }
}
