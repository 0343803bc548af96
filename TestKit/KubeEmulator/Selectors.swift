import Foundation
import YAML

/// Label selectors as the API accepts them in `labelSelector=`: equality (`a=b`, `a==b`,
/// `a!=b`), set-based (`a in (x,y)`, `a notin (x)`), existence (`a`, `!a`), comma-separated.
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case `in`(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case notExists(String)
    }

    var requirements: [Requirement]

    init(_ text: String) throws {
        requirements = []
        var parts: [String] = []
        var depth = 0
        var current = ""
        for c in text {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if c == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { parts.append(current) }
        for raw in parts {
            let p = raw.trimmingCharacters(in: .whitespaces)
            if p.isEmpty { continue }
            if let r = p.range(of: " notin ") {
                requirements.append(.notIn(String(p[..<r.lowerBound]).trimmingCharacters(in: .whitespaces), try Self.set(p[r.upperBound...])))
            } else if let r = p.range(of: " in ") {
                requirements.append(.in(String(p[..<r.lowerBound]).trimmingCharacters(in: .whitespaces), try Self.set(p[r.upperBound...])))
            } else if let r = p.range(of: "!=") {
                requirements.append(.notEquals(String(p[..<r.lowerBound]), String(p[r.upperBound...])))
            } else if let r = p.range(of: "==") {
                requirements.append(.equals(String(p[..<r.lowerBound]), String(p[r.upperBound...])))
            } else if let r = p.range(of: "=") {
                requirements.append(.equals(String(p[..<r.lowerBound]), String(p[r.upperBound...])))
            } else if p.hasPrefix("!") {
                requirements.append(.notExists(String(p.dropFirst())))
            } else if p.allSatisfy({ $0.isLetter || $0.isNumber || "-_./".contains($0) }) {
                requirements.append(.exists(p))
            } else {
                throw APIError.badRequest("unable to parse requirement: \(p)")
            }
        }
    }

    private static func set(_ s: Substring) throws -> Set<String> {
        let t = s.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("("), t.hasSuffix(")") else { throw APIError.badRequest("unable to parse set: \(s)") }
        return Set(t.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { r in
            switch r {
            case .equals(let k, let v): labels[k] == v
            case .notEquals(let k, let v): labels[k] != v
            case .in(let k, let vs): labels[k].map { vs.contains($0) } ?? false
            case .notIn(let k, let vs): labels[k].map { !vs.contains($0) } ?? true
            case .exists(let k): labels[k] != nil
            case .notExists(let k): labels[k] == nil
            }
        }
    }

    func matches(_ object: Value) -> Bool {
        var labels: [String: String] = [:]
        for (k, v) in object.metadata("labels")?.objectValue ?? [:] { labels[k] = v.stringValue }
        return matches(labels)
    }
}

/// Field selectors: `metadata.name`, `metadata.namespace` and a few type-specific fields, with
/// `=`, `==` and `!=`.
struct FieldSelector: Sendable {
    var requirements: [(path: [String], value: String, equal: Bool)]

    init(_ text: String) throws {
        requirements = try text.split(separator: ",").map { part in
            let p = String(part)
            let (field, value, equal): (String, String, Bool)
            if let r = p.range(of: "!=") {
                (field, value, equal) = (String(p[..<r.lowerBound]), String(p[r.upperBound...]), false)
            } else if let r = p.range(of: "==") ?? p.range(of: "=") {
                (field, value, equal) = (String(p[..<r.lowerBound]), String(p[r.upperBound...]), true)
            } else {
                throw APIError.badRequest("invalid field selector: \(p)")
            }
            return (field.split(separator: ".").map(String.init), value, equal)
        }
    }

    func matches(_ object: Value) -> Bool {
        requirements.allSatisfy { r in
            let actual: String
            switch object[path: r.path] {
            case .string(let s)?: actual = s
            case .int(let i)?: actual = String(i)
            case .bool(let b)?: actual = String(b)
            default: actual = ""
            }
            return (actual == r.value) == r.equal
        }
    }
}
