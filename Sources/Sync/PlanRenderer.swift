public import Values

/// A plan as a person reads it (kubectl-diff style) or as a CI bot reads it (JSON).
public enum PlanRenderer {
    struct Style {
        var color: Bool
        func paint(_ code: String, _ s: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        func header(_ s: String) -> String { paint("1", s) }
        func removed(_ s: String) -> String { paint("31", s) }
        func added(_ s: String) -> String { paint("32", s) }
        func hunk(_ s: String) -> String { paint("36", s) }
        func error(_ s: String) -> String { paint("1;31", s) }
    }

    static func path(_ item: PlanItem) -> String {
        "\(item.ref.apiVersion)/\(item.ref.kind)/" + (item.ref.namespace.map { "\($0)/" } ?? "") + item.ref.name
    }

    /// Every changed object as a unified diff under a header naming it, errors after, and the
    /// summary line last.
    public static func text(_ plan: Plan, color: Bool) -> String {
        let style = Style(color: color)
        var out = ""
        for item in plan.items where item.action != .unchanged {
            let origin = item.source.map { "  from \($0)" } ?? ""
            switch item.action {
            case .create, .update, .prune:
                out += style.header("=== \(item.ref) — \(item.action.rawValue)\(origin)") + "\n"
                if let note = item.note { out += "# \(note)\n" }
                out += style.removed("--- live/\(path(item))") + "\n"
                out += style.added("+++ desired/\(path(item))") + "\n"
                for line in item.diff.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                    if line.hasPrefix("@@") {
                        out += style.hunk(String(line)) + "\n"
                    } else if line.hasPrefix("-") {
                        out += style.removed(String(line)) + "\n"
                    } else if line.hasPrefix("+") {
                        out += style.added(String(line)) + "\n"
                    } else {
                        out += line + "\n"
                    }
                }
            case .error:
                out += style.error("=== \(item.ref) — error\(origin)") + "\n" + (item.error ?? "") + "\n"
            case .unchanged:
                break
            }
        }
        for e in plan.errors { out += style.error("error: ") + e + "\n" }
        return out + plan.summary + "\n"
    }

    /// A machine-readable plan: summary counts and one entry per object (unchanged ones
    /// included), with the diff text and any error.
    public static func json(_ plan: Plan, commit: String? = nil) -> Value {
        var objects: [Value] = []
        for item in plan.items {
            var o: Value = [
                "apiVersion": .string(item.ref.apiVersion), "kind": .string(item.ref.kind), "name": .string(item.ref.name),
                "action": .string(item.action.rawValue),
            ]
            if let ns = item.ref.namespace { o["namespace"] = .string(ns) }
            if let s = item.source { o["source"] = ["file": .string(s.file), "document": .int(Int64(s.document + 1)), "line": .int(Int64(s.line))] }
            if !item.diff.isEmpty { o["diff"] = .string(item.diff) }
            if let e = item.error { o["error"] = .string(e) }
            if let n = item.note { o["note"] = .string(n) }
            objects.append(o)
        }
        var out: Value = [
            "source": .string(plan.source),
            "summary": [
                "create": .int(Int64(plan.count(.create))), "update": .int(Int64(plan.count(.update))), "prune": .int(Int64(plan.count(.prune))),
                "unchanged": .int(Int64(plan.count(.unchanged))), "errors": .int(Int64(plan.count(.error) + plan.errors.count)),
            ],
            "hasChanges": .bool(plan.hasChanges), "errors": .array(plan.errors.map { .string($0) }), "objects": .array(objects),
        ]
        if let commit { out["commit"] = .string(commit) }
        return out
    }
}
