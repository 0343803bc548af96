import Crypto
import Foundation
import OrderedCollections
import YAML

/// The functions the supported subset offers, with Helm's (sprig's) behaviour.
enum TemplateFunctions {
    static let names: Set<String> = [
        "include", "toYaml", "toJson", "nindent", "indent", "quote", "squote", "default", "not", "and", "or", "eq", "ne", "gt", "ge", "lt", "le",
        "int", "join", "fail", "required", "sha256sum", "print", "empty", "lower", "upper", "trunc", "trimSuffix", "len",
    ]

    /// Go template truthiness: false, 0, nil and empty strings, lists and maps are false.
    static func truthy(_ v: Value) -> Bool {
        switch v {
        case .null: false
        case .bool(let b): b
        case .int(let i): i != 0
        case .double(let d): d != 0
        case .string(let s): !s.isEmpty
        case .array(let a): !a.isEmpty
        case .object(let o): !o.isEmpty
        }
    }

    /// How `{{ value }}` prints (Go's %v; Helm turns a missing value into nothing).
    static func text(_ v: Value) throws -> String {
        switch v {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e21 ? String(Int64(d)) : String(d)
        case .string(let s): return s
        case .array, .object: throw Failure("cannot print a \(v.typeName) directly: use toYaml")
        }
    }

    struct Failure: Error {
        var message: String
        init(_ m: String) { message = m }
    }

    static func indent(_ n: Int, _ s: String) -> String {
        let pad = String(repeating: " ", count: n)
        return s.split(separator: "\n", omittingEmptySubsequences: false).map { pad + $0 }.joined(separator: "\n")
    }

    /// sigs.k8s.io/yaml, as Helm's toYaml uses it: keys sorted, block style, no trailing newline.
    static func toYaml(_ v: Value) throws -> String {
        if case .object(let o) = v, o.isEmpty { return "{}" }
        if case .array(let a) = v, a.isEmpty { return "[]" }
        var text = try YAML.emit(sorted(v))
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    static func sorted(_ v: Value) -> Value {
        switch v {
        case .object(let o):
            var out = OrderedDictionary<String, Value>()
            for k in o.keys.sorted() { out[k] = sorted(o[k]!) }
            return .object(out)
        case .array(let a): return .array(a.map(sorted))
        default: return v
        }
    }

    static func int(_ v: Value) -> Int64 {
        switch v {
        case .int(let i): i
        case .double(let d): Int64(d)
        case .string(let s): Int64(s) ?? 0
        case .bool(let b): b ? 1 : 0
        default: 0
        }
    }

    static func compare(_ a: Value, _ b: Value) throws -> Int {
        switch (a, b) {
        case (.int, _), (.double, _):
            let x = a.doubleValue ?? 0
            let y = b.doubleValue ?? Double(int(b))
            return x < y ? -1 : x > y ? 1 : 0
        case (.string(let x), .string(let y)): return x < y ? -1 : x > y ? 1 : 0
        default: throw Failure("cannot compare \(a.typeName) with \(b.typeName)")
        }
    }

    static func call(_ name: String, _ args: [Value], include: (String, Value) throws -> String) throws -> Value {
        func arity(_ n: Int) throws {
            guard args.count == n else { throw Failure("\(name) takes \(n) arguments, got \(args.count)") }
        }
        switch name {
        case "include":
            try arity(2)
            guard case .string(let n) = args[0] else { throw Failure("include needs a template name") }
            return .string(try include(n, args[1]))
        case "toYaml":
            try arity(1)
            return .string(try toYaml(args[0]))
        case "toJson":
            try arity(1)
            return .string(try JSON.serialize(args[0]))
        case "nindent":
            try arity(2)
            return .string("\n" + indent(Int(int(args[0])), try text(args[1])))
        case "indent":
            try arity(2)
            return .string(indent(Int(int(args[0])), try text(args[1])))
        case "quote", "squote":
            let q = name == "quote" ? "\"" : "'"
            return .string(
                try args.filter { $0 != .null }.map { arg -> String in
                    let s = try text(arg)
                    return q + (name == "quote" ? s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") : s) + q
                }.joined(separator: " "))
        case "default":
            try arity(2)
            return truthy(args[1]) ? args[1] : args[0]
        case "not":
            try arity(1)
            return .bool(!truthy(args[0]))
        case "and": return args.first { !truthy($0) } ?? args.last ?? .null
        case "or": return args.first { truthy($0) } ?? args.last ?? .null
        case "eq":
            try arity(2)
            return .bool(args[0] == args[1] || (args[0].doubleValue != nil && args[0].doubleValue == args[1].doubleValue))
        case "ne":
            try arity(2)
            return .bool(!(args[0] == args[1]))
        case "gt":
            try arity(2)
            return .bool(try compare(args[0], args[1]) > 0)
        case "ge":
            try arity(2)
            return .bool(try compare(args[0], args[1]) >= 0)
        case "lt":
            try arity(2)
            return .bool(try compare(args[0], args[1]) < 0)
        case "le":
            try arity(2)
            return .bool(try compare(args[0], args[1]) <= 0)
        case "int":
            try arity(1)
            return .int(int(args[0]))
        case "join":
            try arity(2)
            guard case .string(let sep) = args[0] else { throw Failure("join needs a separator string") }
            return .string(try (args[1].arrayValue ?? []).map(text).joined(separator: sep))
        case "fail":
            try arity(1)
            throw Failure(try text(args[0]))
        case "required":
            try arity(2)
            guard truthy(args[1]) else { throw Failure(try text(args[0])) }
            return args[1]
        case "sha256sum":
            try arity(1)
            return .string(SHA256.hash(data: Array(try text(args[0]).utf8)).map { String(format: "%02x", $0) }.joined())
        case "print": return .string(try args.map(text).joined())
        case "empty":
            try arity(1)
            return .bool(!truthy(args[0]))
        case "lower":
            try arity(1)
            return .string(try text(args[0]).lowercased())
        case "upper":
            try arity(1)
            return .string(try text(args[0]).uppercased())
        case "trunc":
            try arity(2)
            return .string(String(try text(args[1]).prefix(Int(int(args[0])))))
        case "trimSuffix":
            try arity(2)
            let suffix = try text(args[0])
            let s = try text(args[1])
            return .string(s.hasSuffix(suffix) ? String(s.dropLast(suffix.count)) : s)
        case "len":
            try arity(1)
            switch args[0] {
            case .string(let s): return .int(Int64(s.count))
            case .array(let a): return .int(Int64(a.count))
            case .object(let o): return .int(Int64(o.count))
            default: return .int(0)
            }
        default: throw Failure("unknown function \(name)")
        }
    }
}
