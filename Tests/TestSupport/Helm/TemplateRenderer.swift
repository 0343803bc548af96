import Foundation
import YAML

/// Renders parsed templates against a context (`.`) and the root (`$`).
struct TemplateRenderer {
    let defines: [String: [TemplateNode]]
    let templateName: String
    var depth = 0

    func render(_ nodes: [TemplateNode], dot: Value, root: Value) throws -> String {
        var out = ""
        for node in nodes {
            switch node {
            case .text(let t): out += t
            case .action(let p, let line):
                out += try wrap(line) { try TemplateFunctions.text(try evaluate(p, dot: dot, root: root)) }
            case .conditional(let branches, let otherwise, let line):
                var taken = false
                for (condition, body) in branches where try wrap(line, { TemplateFunctions.truthy(try evaluate(condition, dot: dot, root: root)) }) {
                    out += try render(body, dot: dot, root: root)
                    taken = true
                    break
                }
                if !taken { out += try render(otherwise, dot: dot, root: root) }
            case .range(let p, let body, let otherwise, let line):
                let v = try wrap(line) { try evaluate(p, dot: dot, root: root) }
                let items: [Value]
                switch v {
                case .array(let a): items = a
                case .object(let o): items = o.keys.sorted().map { o[$0]! }
                case .null: items = []
                default: throw TemplateError(template: templateName, line: line, message: "range over a \(v.typeName)")
                }
                if items.isEmpty { out += try render(otherwise, dot: dot, root: root) }
                for item in items { out += try render(body, dot: item, root: root) }
            case .with(let p, let body, let otherwise, let line):
                let v = try wrap(line) { try evaluate(p, dot: dot, root: root) }
                out += TemplateFunctions.truthy(v) ? try render(body, dot: v, root: root) : try render(otherwise, dot: dot, root: root)
            }
        }
        return out
    }

    func wrap<T>(_ line: Int, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as TemplateFunctions.Failure {
            throw TemplateError(template: templateName, line: line, message: e.message)
        }
    }

    func evaluate(_ p: Pipeline, dot: Value, root: Value) throws -> Value {
        var previous: Value?
        for command in p.commands {
            var args = try command.arguments.map { try operand($0, dot: dot, root: root) }
            if let previous { args.append(previous) }
            if let f = command.function {
                previous = try TemplateFunctions.call(f, args) { name, context in
                    guard let body = defines[name] else { throw TemplateFunctions.Failure("no template named \(name)") }
                    guard depth < 50 else { throw TemplateFunctions.Failure("include nested too deeply") }
                    var inner = self
                    inner.depth += 1
                    return try inner.render(body, dot: context, root: root)
                }
            } else {
                guard args.count == 1 else { throw TemplateFunctions.Failure("a value cannot take arguments") }
                previous = args[0]
            }
        }
        return previous ?? .null
    }

    func operand(_ o: Operand, dot: Value, root: Value) throws -> Value {
        switch o {
        case .field(let fromRoot, let path):
            var v = fromRoot ? root : dot
            for key in path {
                guard case .object(let map) = v else {
                    if v == .null { return .null }
                    throw TemplateFunctions.Failure("cannot take .\(key) of a \(v.typeName)")
                }
                v = map[key] ?? .null
            }
            return v
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .pipeline(let p): return try evaluate(p, dot: dot, root: root)
        }
    }
}
