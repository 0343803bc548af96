import Manifests
import Sync
import Testing
import YAML

/// The sync's decisions, as pure functions: what an object's plan entry is, and what the
/// source owns after an apply.
@Suite struct PlanDecisionTests {
    static func cm(_ data: String, revision: String? = nil, extra: [String: Value] = [:]) -> Value {
        var o: Value = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a", "namespace": "ml"], "data": ["k": .string(data)]]
        if let revision { o.set(.string(revision), at: ["metadata", "annotations", Ownership.revisionAnnotation]) }
        for (k, v) in extra { o.set(v, at: ["metadata", "labels", k]) }
        return o
    }

    @Test(arguments: [
        (nil, cm("1"), PlanItem.Action.create),
        (cm("1"), cm("1"), .unchanged),
        (cm("1"), cm("2"), .update),
        (cm("1", revision: "abc"), cm("1", revision: "def"), .unchanged),
        (cm("1", revision: "abc"), cm("2", revision: "def"), .update),
        (cm("1"), cm("1", extra: ["team": "a"]), .update),
    ])
    func anObjectsAction(live: Value?, merged: Value, expected: PlanItem.Action) {
        #expect(PlanItem.action(live: live, merged: merged) == expected)
    }

    static func ref(_ name: String) -> ObjectReference { ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "ml", name: name) }
    static func keys(_ names: [String]) -> Set<ObjectReference.Key> { Set(names.map { ref($0).key }) }

    @Test(arguments: [
        // A clean apply: what git wants, what was pruned gone.
        (["a", "b", "old"], ["a", "b", "new"], ["b", "new"], ["a"], ["old"], false, ["a", "b", "new"]),
        // A failed apply prunes nothing and keeps every earlier object; of the desired ones only
        // what was applied or already matched is added.
        (["a", "b"], ["a", "b", "new", "broken"], ["new"], ["a"], [], true, ["a", "b", "new"]),
        // A prune that failed keeps the object owned, to be tried again.
        (["a", "stuck"], ["a"], [], ["a"], [], false, ["a", "stuck"]),
        // First sync.
        ([], ["a"], ["a"], [], [], false, ["a"]),
    ])
    func whatASourceOwnsAfterAnApply(
        previous: [String], desired: [String], applied: [String], unchanged: [String], deleted: [String], failed: Bool, expected: [String]
    ) {
        let owned = Inventory.owned(
            previous: previous.map(Self.ref), desired: desired.map(Self.ref), applied: Self.keys(applied), unchanged: Self.keys(unchanged),
            deleted: Self.keys(deleted), applyFailed: failed)
        #expect(owned.map(\.name) == expected.sorted())
    }
}
