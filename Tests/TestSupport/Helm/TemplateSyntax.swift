import Foundation

/// The subset of Go's text/template (as Helm uses it) that the chart is written in. Anything
/// outside it is a parse error naming the template and line, so the chart cannot drift into
/// constructs this renderer would get wrong. See charts/sluice/README.md for the list.
indirect enum TemplateNode {
    case text(String)
    case action(Pipeline, line: Int)
    case conditional(branches: [(condition: Pipeline, body: [TemplateNode])], otherwise: [TemplateNode], line: Int)
    case range(Pipeline, body: [TemplateNode], otherwise: [TemplateNode], line: Int)
    case with(Pipeline, body: [TemplateNode], otherwise: [TemplateNode], line: Int)
}

/// `a | f x | g`: each command's result is passed as the last argument of the next.
struct Pipeline {
    var commands: [Command]
}

/// A function call with arguments, or a single operand.
struct Command {
    var function: String?
    var arguments: [Operand]
}

indirect enum Operand {
    /// `.Values.a.b` (from dot), `$.Release.Name` (from the root); an empty path is `.` or `$`.
    case field(fromRoot: Bool, path: [String])
    case string(String)
    case int(Int64)
    case bool(Bool)
    case null
    case pipeline(Pipeline)
}

public struct TemplateError: Error, CustomStringConvertible {
    public var template: String
    public var line: Int
    public var message: String
    public var description: String { "\(template):\(line): \(message)" }
}

/// Splits a template into text and actions, applying `{{-` / `-}}` whitespace trimming, and
/// builds the node tree. `define` blocks are collected separately.
struct TemplateParser {
    let name: String
    let source: String

    enum Piece {
        case text(String)
        case action(String, line: Int)
    }

    func pieces() throws -> [Piece] {
        var out: [Piece] = []
        var rest = Substring(source)
        var line = 1
        while let open = rest.range(of: "{{") {
            var text = String(rest[..<open.lowerBound])
            var after = rest[open.upperBound...]
            let actionLine = line + text.filter { $0 == "\n" }.count
            if after.hasPrefix("-") && after.dropFirst().first.map({ $0 == " " || $0 == "\n" || $0 == "\t" }) == true {
                text = String(text.reversed().drop { $0.isWhitespace }.reversed())
                after = after.dropFirst()
            }
            guard let close = Self.closing(after) else { throw TemplateError(template: name, line: actionLine, message: "unclosed action") }
            var inner = after[..<close.lowerBound]
            var trimRight = false
            if inner.hasSuffix("-") && inner.dropLast().last.map({ $0 == " " || $0 == "\n" || $0 == "\t" }) == true {
                inner = inner.dropLast()
                trimRight = true
            }
            line = actionLine + after[..<close.upperBound].filter { $0 == "\n" }.count
            out.append(.text(text))
            out.append(.action(inner.trimmingCharacters(in: .whitespacesAndNewlines), line: actionLine))
            rest = after[close.upperBound...]
            if trimRight {
                let dropped = rest.prefix { $0.isWhitespace }
                line += dropped.filter { $0 == "\n" }.count
                rest = rest.dropFirst(dropped.count)
            }
        }
        out.append(.text(String(rest)))
        return out
    }

    /// The `}}` that ends an action, skipping any inside quoted strings (`{{ "}}" }}`).
    static func closing(_ s: Substring) -> Range<Substring.Index>? {
        var quote: Character?
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if let q = quote {
                if c == "\\" && q == "\"" {
                    i = s.index(after: i)
                } else if c == q {
                    quote = nil
                }
            } else if c == "\"" || c == "`" {
                quote = c
            } else if c == "}", s.index(after: i) < s.endIndex, s[s.index(after: i)] == "}" {
                return i..<s.index(i, offsetBy: 2)
            }
            if i < s.endIndex { i = s.index(after: i) }
        }
        return nil
    }

    /// The body of the template and the named templates it defines.
    func parse() throws -> (body: [TemplateNode], defines: [String: [TemplateNode]]) {
        var items = try pieces()[...]
        var defines: [String: [TemplateNode]] = [:]
        let (body, end) = try parseList(&items, defines: &defines)
        if let end { throw TemplateError(template: name, line: end.line, message: "unexpected {{\(end.keyword)}}") }
        return (body, defines)
    }

    typealias Terminator = (keyword: String, rest: String, line: Int)

    /// Parses nodes until `end`, `else` or `else if` (returned) or the input's end (nil).
    func parseList(_ items: inout ArraySlice<Piece>, defines: inout [String: [TemplateNode]]) throws -> ([TemplateNode], Terminator?) {
        var nodes: [TemplateNode] = []
        while let item = items.popFirst() {
            switch item {
            case .text(let t): if !t.isEmpty { nodes.append(.text(t)) }
            case .action(let a, let line):
                if a.hasPrefix("/*") {
                    guard a.hasSuffix("*/") else { throw TemplateError(template: name, line: line, message: "a comment must fill its action") }
                    continue
                }
                let (keyword, rest) = Self.split(a)
                switch keyword {
                case "end": return (nodes, ("end", "", line))
                case "else": return (nodes, ("else", rest, line))
                case "if":
                    var branches = [(try pipeline(rest, line: line), [TemplateNode]())]
                    var otherwise: [TemplateNode] = []
                    while true {
                        let (body, end) = try parseList(&items, defines: &defines)
                        guard let end else { throw TemplateError(template: name, line: line, message: "{{if}} without {{end}}") }
                        branches[branches.count - 1].1 = body
                        if end.keyword == "end" { break }
                        let (k, r) = Self.split(end.rest)
                        if k == "if" {
                            branches.append((try pipeline(r, line: end.line), []))
                            continue
                        }
                        guard end.rest.isEmpty else { throw TemplateError(template: name, line: end.line, message: "unsupported: else \(end.rest)") }
                        let (elseBody, elseEnd) = try parseList(&items, defines: &defines)
                        guard elseEnd?.keyword == "end" else { throw TemplateError(template: name, line: line, message: "{{else}} without {{end}}") }
                        otherwise = elseBody
                        break
                    }
                    nodes.append(.conditional(branches: branches, otherwise: otherwise, line: line))
                case "range", "with":
                    let p = try pipeline(rest, line: line)
                    let (body, end) = try parseList(&items, defines: &defines)
                    guard let end else { throw TemplateError(template: name, line: line, message: "{{\(keyword)}} without {{end}}") }
                    var otherwise: [TemplateNode] = []
                    if end.keyword == "else" {
                        let (e, ee) = try parseList(&items, defines: &defines)
                        guard ee?.keyword == "end" else { throw TemplateError(template: name, line: line, message: "{{else}} without {{end}}") }
                        otherwise = e
                    }
                    nodes.append(
                        keyword == "range" ? .range(p, body: body, otherwise: otherwise, line: line) : .with(p, body: body, otherwise: otherwise, line: line))
                case "define":
                    guard case .string(let defineName)? = try pipeline(rest, line: line).commands.first?.arguments.first else {
                        throw TemplateError(template: name, line: line, message: "define needs a quoted name")
                    }
                    let (body, end) = try parseList(&items, defines: &defines)
                    guard end?.keyword == "end" else { throw TemplateError(template: name, line: line, message: "{{define}} without {{end}}") }
                    defines[defineName] = body
                case "template", "block", "break", "continue":
                    throw TemplateError(template: name, line: line, message: "{{\(keyword)}} is outside the supported subset (use include)")
                default:
                    if a.contains(":=") || (a.hasPrefix("$") && a.contains("=")) {
                        throw TemplateError(template: name, line: line, message: "variables are outside the supported subset")
                    }
                    nodes.append(.action(try pipeline(a, line: line), line: line))
                }
            }
        }
        return (nodes, nil)
    }

    static func split(_ action: String) -> (String, String) {
        let keyword = action.prefix { !$0.isWhitespace }
        return (String(keyword), action.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces))
    }

    // MARK: pipelines

    enum Token: Equatable {
        case word(String)
        case string(String)
        case number(Int64)
        case open, close, bar
    }

    func tokens(_ s: String, line: Int) throws -> [Token] {
        var out: [Token] = []
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c.isWhitespace {
                i = s.index(after: i)
            } else if c == "(" {
                out.append(.open)
                i = s.index(after: i)
            } else if c == ")" {
                out.append(.close)
                i = s.index(after: i)
            } else if c == "|" {
                out.append(.bar)
                i = s.index(after: i)
            } else if c == "\"" {
                var value = ""
                var j = s.index(after: i)
                while j < s.endIndex && s[j] != "\"" {
                    if s[j] == "\\" {
                        j = s.index(after: j)
                        guard j < s.endIndex else { break }
                        switch s[j] {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        default: value.append(s[j])
                        }
                    } else {
                        value.append(s[j])
                    }
                    j = s.index(after: j)
                }
                guard j < s.endIndex else { throw TemplateError(template: name, line: line, message: "unterminated string") }
                out.append(.string(value))
                i = s.index(after: j)
            } else if c == "`" {
                guard let end = s[s.index(after: i)...].firstIndex(of: "`") else {
                    throw TemplateError(template: name, line: line, message: "unterminated raw string")
                }
                out.append(.string(String(s[s.index(after: i)..<end])))
                i = s.index(after: end)
            } else {
                let word = s[i...].prefix { !$0.isWhitespace && $0 != "(" && $0 != ")" && $0 != "|" }
                if let n = Int64(word) { out.append(.number(n)) } else { out.append(.word(String(word))) }
                i = s.index(i, offsetBy: word.count)
            }
        }
        return out
    }

    func pipeline(_ s: String, line: Int) throws -> Pipeline {
        var toks = try tokens(s, line: line)[...]
        let p = try parsePipeline(&toks, line: line)
        guard toks.isEmpty else { throw TemplateError(template: name, line: line, message: "unexpected tokens in '\(s)'") }
        return p
    }

    func parsePipeline(_ toks: inout ArraySlice<Token>, line: Int) throws -> Pipeline {
        var commands: [Command] = []
        var current: [Operand] = []
        var function: String?
        func finish() throws {
            guard function != nil || !current.isEmpty else { throw TemplateError(template: name, line: line, message: "empty command") }
            if function == nil && current.count > 1 { throw TemplateError(template: name, line: line, message: "a value cannot take arguments") }
            commands.append(Command(function: function, arguments: current))
            current = []
            function = nil
        }
        while let t = toks.first {
            switch t {
            case .close:
                try finish()
                return Pipeline(commands: commands)
            case .bar:
                toks.removeFirst()
                try finish()
            case .open:
                toks.removeFirst()
                let inner = try parsePipeline(&toks, line: line)
                guard toks.popFirst() == .close else { throw TemplateError(template: name, line: line, message: "unbalanced parentheses") }
                current.append(.pipeline(inner))
            case .string(let v):
                toks.removeFirst()
                current.append(.string(v))
            case .number(let n):
                toks.removeFirst()
                current.append(.int(n))
            case .word(let w):
                toks.removeFirst()
                if w.hasPrefix(".") || w.hasPrefix("$") {
                    let fromRoot = w.hasPrefix("$")
                    if fromRoot && w != "$" && !w.hasPrefix("$.") {
                        throw TemplateError(template: name, line: line, message: "variables are outside the supported subset: \(w)")
                    }
                    let path = w.drop { $0 == "$" }.split(separator: ".").map(String.init)
                    current.append(.field(fromRoot: fromRoot, path: path))
                } else if w == "true" || w == "false" {
                    current.append(.bool(w == "true"))
                } else if w == "nil" {
                    current.append(.null)
                } else if function == nil && current.isEmpty {
                    guard TemplateFunctions.names.contains(w) else {
                        throw TemplateError(template: name, line: line, message: "function \(w) is outside the supported subset")
                    }
                    function = w
                } else {
                    throw TemplateError(template: name, line: line, message: "unexpected '\(w)'")
                }
            }
        }
        try finish()
        return Pipeline(commands: commands)
    }
}
