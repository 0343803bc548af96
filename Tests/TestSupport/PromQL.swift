import Foundation
import YAML

/// PromQL checked by Prometheus' own parser: `promtool check rules` on recording rules made of
/// the expressions (promtool has no command for a bare expression).
public enum PromQL {
    /// Returns promtool's output when any expression does not parse, nil when all do.
    public static func problems(_ expressions: [String]) async throws -> String? {
        let rules: Value = [
            "groups": [
                [
                    "name": "check",
                    "rules": .array(expressions.enumerated().map { ["record": .string("check:query_\($0.offset)"), "expr": .string($0.element)] }),
                ]
            ]
        ]
        let dir = TemporaryDirectory(prefix: "sluice-promql")
        let file = try dir.write("rules.yaml", try YAML.emit(rules))
        let check = try await run("promtool", ["check", "rules", file])
        return check.status == 0 ? nil : check.stdout + check.stderr
    }
}
