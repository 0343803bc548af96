import Manifests
import Sync
import Testing

/// The rule `sync`, `diff` and the source controller share: a commit with a file that did not
/// load prunes nothing, and plans everything else.
@Suite struct PlanLoadErrorsTests {
    static func item(_ name: String, _ action: PlanItem.Action) -> PlanItem {
        PlanItem(ref: ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "ml", name: name), action: action)
    }

    static let plan = Plan(source: "s", items: [item("a", .create), item("b", .prune), item("c", .update), item("d", .unchanged), item("e", .prune)])
    static let broken = ManifestError(file: "apps/bad.yaml", line: 3, message: "did not find expected key")

    @Test(arguments: [
        ([], ["a": PlanItem.Action.create, "b": .prune, "c": .update, "d": .unchanged, "e": .prune], 0),
        ([broken], ["a": .create, "c": .update, "d": .unchanged], 1),
        ([broken, ManifestError(file: "apps/other.yaml", message: "x")], ["a": .create, "c": .update, "d": .unchanged], 2),
    ])
    func aFileThatDidNotLoadPrunesNothing(errors: [ManifestError], expected: [String: PlanItem.Action], errorCount: Int) {
        let out = Self.plan.withLoadErrors(errors)
        #expect(Dictionary(uniqueKeysWithValues: out.items.map { ($0.ref.name, $0.action) }) == expected)
        #expect(out.errors.count == errorCount)
        #expect(out.errors.first.map { $0.contains("apps/bad.yaml") } ?? true, "the error names the file")
        #expect(out.hasErrors == !errors.isEmpty)
    }
}
