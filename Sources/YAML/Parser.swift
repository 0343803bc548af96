internal import CYAML
import OrderedCollections

import struct Foundation.Data

/// Reads a YAML stream through libyaml's event API and builds `Document`s, resolving scalars as
/// Kubernetes does. All pointer work with libyaml stays in this file and `Emitter.swift`.
public enum YAML {
    /// Every document of a stream, empty ones included (callers decide whether to skip them).
    public static func documents(in text: String, file: String? = nil, limits: ParseLimits = .default) throws -> [Document] {
        var budget = ParseBudget(.unlimited)
        return try documents(in: text, file: file, limits: limits, budget: &budget)
    }

    public static func documents(in bytes: [UInt8], file: String? = nil, limits: ParseLimits = .default) throws -> [Document] {
        var budget = ParseBudget(.unlimited)
        return try documents(in: bytes, file: file, limits: limits, budget: &budget)
    }

    /// The documents of one file of several read together: `budget` is charged for its bytes and
    /// nodes, and the parse stops as soon as it is spent.
    public static func documents(in text: String, file: String? = nil, limits: ParseLimits = .default, budget: inout ParseBudget) throws -> [Document] {
        var text = text
        return try text.withUTF8 { try documents(inUTF8: $0, file: file, limits: limits, budget: &budget) }
    }

    public static func documents(in bytes: [UInt8], file: String? = nil, limits: ParseLimits = .default, budget: inout ParseBudget) throws -> [Document] {
        try bytes.withUnsafeBufferPointer { try documents(inUTF8: $0, file: file, limits: limits, budget: &budget) }
    }

    /// The single document of a stream (an empty stream is `null`).
    public static func parse(_ text: String, file: String? = nil, limits: ParseLimits = .default) throws -> Value {
        let docs = try documents(in: text, file: file, limits: limits)
        guard docs.count <= 1 else {
            throw YAMLError(.syntax, "expected a single document, found \(docs.count)", file: file, mark: docs[1].root.mark)
        }
        return docs.first?.root.value ?? .null
    }

    static func documents(inUTF8 input: UnsafeBufferPointer<UInt8>, file: String?, limits: ParseLimits, budget: inout ParseBudget) throws -> [Document] {
        guard input.count <= limits.maxInputBytes else {
            throw YAMLError(.tooLarge, "input is \(input.count) bytes; the limit is \(limits.maxInputBytes)", file: file)
        }
        try budget.spend(bytes: input.count, file: file)
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw YAMLError(.encoding, "libyaml could not initialise a parser", file: file)
        }
        defer { yaml_parser_delete(parser) }
        // libyaml keeps this pointer for the whole parse, which is why the parse runs inside the
        // caller's buffer scope.
        if let base = input.baseAddress {
            yaml_parser_set_input_string(parser, base, input.count)
        } else {
            var empty: UInt8 = 0
            yaml_parser_set_input_string(parser, &empty, 0)
        }
        var builder = TreeBuilder(file: file, limits: limits, input: input, budget: budget)
        // What the file spent counts even when it fails: a later file does not get it back.
        defer { budget = builder.budget }
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else {
                throw builder.syntaxError(parser.pointee)
            }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { break }
            try builder.handle(&event)
        }
        return builder.documents
    }
}

/// Turns libyaml events into nodes. A stack of open collections; anchors per document.
struct TreeBuilder {
    enum PendingKey {
        case name(String, Mark)
        case merge(Mark)
    }

    /// An open collection. Mutated in place at the top of the stack, so appending to a large
    /// sequence or mapping never copies it.
    struct Frame {
        enum Kind { case sequence, mapping }
        var kind: Kind
        var items: [Node] = []
        var entries: OrderedDictionary<String, Node.Entry> = [:]
        /// Keys written explicitly, tracked only once a merge has added keys that may be
        /// overridden (a duplicate check against `entries` suffices until then).
        var explicit: Set<String>?
        var pending: PendingKey?
        var mark: Mark
        var anchor: String?
        var weight = 1

        init(kind: Kind, mark: Mark, anchor: String?) {
            self.kind = kind
            self.mark = mark
            self.anchor = anchor
        }
    }

    let file: String?
    let limits: ParseLimits
    let input: UnsafeBufferPointer<UInt8>
    var documents: [Document] = []
    var stack: [Frame] = []
    var anchors: [String: (node: Node, weight: Int)] = [:]
    var documentWeight = 0
    var fileWeight = 0
    var fileAliasWeight = 0
    var budget: ParseBudget
    var root: Node?

    init(file: String?, limits: ParseLimits, input: UnsafeBufferPointer<UInt8>, budget: ParseBudget) {
        self.file = file
        self.limits = limits
        self.input = input
        self.budget = budget
    }

    func error(_ kind: YAMLError.Kind, _ message: String, at mark: Mark) -> YAMLError {
        YAMLError(kind, message, file: file, mark: mark)
    }

    static func mark(_ m: yaml_mark_t) -> Mark { Mark(line: m.line + 1, column: m.column + 1) }

    static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self))
    }

    mutating func handle(_ event: inout yaml_event_t) throws {
        let mark = Self.mark(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            anchors.removeAll(keepingCapacity: true)
            documentWeight = 0
            root = nil
        case YAML_DOCUMENT_END_EVENT:
            documents.append(Document(root: root ?? Node(.scalar(.null), mark: mark), index: documents.count))
            root = nil
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            let tag = Self.string(s.tag)
            let plain = s.style == YAML_PLAIN_SCALAR_STYLE
            let node: Node
            if tag == nil, plain, isMappingKeyPosition, ScalarResolver.resolvePlain(text) == .merge {
                try setPendingMerge(at: mark)
                return
            }
            node = Node(.scalar(try resolveScalar(text, tag: tag, plain: plain, mark: mark)), mark: mark)
            try complete(node, weight: 1, anchor: Self.string(s.anchor))
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let target = anchors[name] else {
                throw error(.unknownAnchor, "unknown anchor '\(name)' (an alias must come after its anchor)", at: mark)
            }
            try countAlias(target.weight, at: mark)
            try complete(Node(target.node.content, mark: mark), weight: target.weight, anchor: nil)
        case YAML_SEQUENCE_START_EVENT:
            try checkCollectionTag(Self.string(event.data.sequence_start.tag), allowed: .seq, at: mark)
            try push(Frame(kind: .sequence, mark: mark, anchor: Self.string(event.data.sequence_start.anchor)), at: mark)
        case YAML_MAPPING_START_EVENT:
            try checkCollectionTag(Self.string(event.data.mapping_start.tag), allowed: .map, at: mark)
            try push(Frame(kind: .mapping, mark: mark, anchor: Self.string(event.data.mapping_start.anchor)), at: mark)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            switch frame.kind {
            case .sequence:
                try complete(Node(.sequence(frame.items), mark: frame.mark), weight: frame.weight, anchor: frame.anchor, counted: true)
            case .mapping:
                if frame.pending != nil {
                    throw error(.syntax, "mapping ends with a key that has no value", at: mark)
                }
                try complete(Node(.mapping(frame.entries), mark: frame.mark), weight: frame.weight, anchor: frame.anchor, counted: true)
            }
        default:
            break
        }
    }

    var isMappingKeyPosition: Bool {
        guard let top = stack.last else { return false }
        return top.kind == .mapping && top.pending == nil
    }

    mutating func setPendingMerge(at mark: Mark) throws {
        stack[stack.count - 1].pending = .merge(mark)
    }

    mutating func push(_ frame: Frame, at mark: Mark) throws {
        guard stack.count < limits.maxDepth else {
            throw error(.tooDeep, "nesting deeper than \(limits.maxDepth) levels", at: mark)
        }
        try count(1, at: mark)
        stack.append(frame)
    }

    /// Charges `weight` nodes to the document, the file and the budget.
    mutating func count(_ weight: Int, at mark: Mark) throws {
        documentWeight += weight
        fileWeight += weight
        budget.nodes += weight
        if documentWeight > limits.maxNodesPerDocument {
            throw error(
                .aliasExpansion,
                "document expands to more than \(limits.maxNodesPerDocument) nodes (alias expansion or sheer size)",
                at: mark)
        }
        if fileWeight > limits.maxNodesPerFile {
            throw error(.aliasExpansion, "file expands to more than \(limits.maxNodesPerFile) nodes, all its documents together", at: mark)
        }
        if budget.nodes > budget.limits.maxNodes {
            throw error(
                .overBudget,
                "the files read together expand to more than \(budget.limits.maxNodes) nodes (the limit for one commit or render, max-manifest-nodes)",
                at: mark)
        }
    }

    /// An alias copies what its anchor holds: `weight` nodes that cost no input. Charged on top
    /// of `count`, which the alias's node also goes through.
    mutating func countAlias(_ weight: Int, at mark: Mark) throws {
        fileAliasWeight += weight
        budget.aliasNodes += weight
        if fileAliasWeight > limits.maxAliasNodesPerFile {
            throw error(.aliasExpansion, "aliases in this file expand to more than \(limits.maxAliasNodesPerFile) nodes", at: mark)
        }
        if budget.aliasNodes > budget.limits.maxAliasNodes {
            throw error(
                .overBudget,
                "aliases in the files read together expand to more than \(budget.limits.maxAliasNodes) nodes (the limit for one commit or render, max-alias-nodes)",
                at: mark)
        }
    }

    /// Adds a finished node to its parent. `counted` is true for collections, whose own node was
    /// counted when they opened and whose children were counted as they completed.
    mutating func complete(_ node: Node, weight: Int, anchor: String?, counted: Bool = false) throws {
        if !counted { try count(weight, at: node.mark) }
        if let anchor { anchors[anchor] = (node, weight) }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        switch stack[top].kind {
        case .sequence:
            stack[top].items.append(node)
            stack[top].weight += weight
        case .mapping:
            switch stack[top].pending {
            case nil:
                stack[top].pending = .name(try keyString(node), node.mark)
                return
            case .name(let key, let keyMark)?:
                let duplicate = stack[top].explicit.map { $0.contains(key) } ?? (stack[top].entries[key] != nil)
                if duplicate {
                    let first = stack[top].entries[key]?.keyMark.line ?? 0
                    throw error(.duplicateKey, "duplicate key \"\(key)\" (first defined at line \(first))", at: keyMark)
                }
                stack[top].explicit?.insert(key)
                stack[top].entries[key] = Node.Entry(keyMark: keyMark, value: node)
            case .merge(let mergeMark)?:
                if stack[top].explicit == nil { stack[top].explicit = Set(stack[top].entries.keys) }
                try merge(node, into: &stack[top].entries, at: mergeMark)
            }
            stack[top].pending = nil
            stack[top].weight += weight
        }
    }

    /// `<<: *base` or `<<: [*a, *b]`. Kubernetes' decoder applies merges in document order, so a
    /// merged key overrides an explicit key written before the `<<` (and earlier list entries win
    /// over later ones); this mirrors it so Sluice and kubectl agree.
    func merge(_ node: Node, into entries: inout OrderedDictionary<String, Node.Entry>, at mark: Mark) throws {
        switch node.content {
        case .mapping(let source):
            for (k, e) in source { entries[k] = e }
        case .sequence(let items):
            for item in items.reversed() {
                guard case .mapping(let source) = item.content else {
                    throw error(.invalidMerge, "a merge key '<<' takes a mapping or a list of mappings", at: item.mark)
                }
                for (k, e) in source { entries[k] = e }
            }
        case .scalar:
            throw error(.invalidMerge, "a merge key '<<' takes a mapping or a list of mappings", at: mark)
        }
    }

    /// Kubernetes turns non-string keys into strings when it converts YAML to JSON.
    func keyString(_ node: Node) throws -> String {
        switch node.content {
        case .scalar(.string(let s)): return s
        case .scalar(.int(let i)): return String(i)
        case .scalar(.bool(let b)): return b ? "true" : "false"
        case .scalar(.double(let d)): return GoFloatFormat.float32G(d)
        case .scalar(.null):
            throw error(.unsupportedKey, "a mapping key may not be null", at: node.mark)
        case .scalar(let other):
            throw error(.unsupportedKey, "unsupported mapping key of type \(other.typeName)", at: node.mark)
        case .sequence, .mapping:
            throw error(.unsupportedKey, "a mapping key must be a scalar, not a \(node.value.typeName)", at: node.mark)
        }
    }

    func checkCollectionTag(_ tag: String?, allowed: ScalarResolver.Tag, at mark: Mark) throws {
        guard let tag, tag != "!", tag != allowed.rawValue else { return }
        throw error(.unknownTag, "unknown tag '\(tag)'", at: mark)
    }

    func resolveScalar(_ text: String, tag: String?, plain: Bool, mark: Mark) throws -> Value {
        guard let tag else {
            if !plain { return .string(text) }
            switch ScalarResolver.resolvePlain(text) {
            case .value(let v): return v
            case .merge: return .string(text)
            }
        }
        if tag == "!" { return .string(text) }
        guard let known = ScalarResolver.Tag(rawValue: tag) else {
            throw error(.unknownTag, "unknown tag '\(tag)'", at: mark)
        }
        let resolved: Value
        switch ScalarResolver.resolvePlain(text) {
        case .value(let v): resolved = v
        case .merge: resolved = .string(text)
        }
        func mismatch() -> YAMLError {
            let prefix = "tag:yaml.org,2002:"
            let short = tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
            return error(.invalidTaggedValue, "cannot read '\(text.prefix(40))' as \(short)", at: mark)
        }
        switch known {
        case .str, .timestamp:
            return .string(text)
        case .binary:
            guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else { throw mismatch() }
            return .string(String(decoding: data, as: UTF8.self))
        case .null:
            guard case .null = resolved else { throw mismatch() }
            return .null
        case .bool:
            guard case .bool = resolved else { throw mismatch() }
            return resolved
        case .int:
            switch resolved {
            case .int: return resolved
            default: throw mismatch()
            }
        case .float:
            switch resolved {
            case .double: return resolved
            case .int(let i): return .double(Double(i))
            default: throw mismatch()
            }
        case .merge, .map, .seq:
            throw mismatch()
        }
    }

    func syntaxError(_ parser: yaml_parser_t) -> YAMLError {
        let mark = Self.mark(parser.problem_mark)
        var message = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(context): \(message)"
        }
        if parser.problem_offset < input.count, input[parser.problem_offset] == UInt8(ascii: "\t") {
            message = "tab character used for indentation (YAML allows only spaces) (\(message))"
        } else if let tab = tabAtIndentation(line: mark.line) {
            message = "tab character used for indentation at column \(tab) (YAML allows only spaces) (\(message))"
        }
        switch parser.error {
        case YAML_READER_ERROR: message = "invalid encoding: \(message)"
        case YAML_MEMORY_ERROR: message = "out of memory"
        default: break
        }
        return YAMLError(.syntax, message, file: file, mark: mark)
    }

    /// libyaml reports a tab in indentation as "found character that cannot start any token",
    /// pointing at the tab or just after the line it breaks; find it so the message says what is wrong.
    func tabAtIndentation(line: Int) -> Int? {
        var current = 1
        var i = 0
        while i < input.count, current < line {
            if input[i] == UInt8(ascii: "\n") { current += 1 }
            i += 1
        }
        var column = 1
        while i < input.count, input[i] == UInt8(ascii: " ") || input[i] == UInt8(ascii: "\t") {
            if input[i] == UInt8(ascii: "\t") { return column }
            column += 1
            i += 1
        }
        return nil
    }
}

extension YAML {
    /// Runs libyaml's parser over the input and only counts its events: no strings, no nodes.
    /// This is the floor any YAML reader built on libyaml can reach; benchmarks compare against it.
    public static func countEvents(in bytes: [UInt8]) throws -> Int {
        try bytes.withUnsafeBufferPointer { input in
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else { throw YAMLError(.encoding, "libyaml could not initialise a parser") }
            defer { yaml_parser_delete(parser) }
            yaml_parser_set_input_string(parser, input.baseAddress, input.count)
            var event = yaml_event_t()
            var count = 0
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else { throw YAMLError(.syntax, "invalid YAML") }
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                count += 1
                if done { return count }
            }
        }
    }
}
