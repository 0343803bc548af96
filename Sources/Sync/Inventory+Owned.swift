public import Manifests

extension Inventory {
    /// What a source owns after an apply, and so may prune later: everything it owned before that
    /// was not confirmed deleted, plus what git wants — all of it when the apply went through,
    /// only what was applied or already matched when it did not (an object whose apply failed
    /// may not exist, and one that exists but is not in the list is never pruned). Pure.
    public static func owned(
        previous: [ObjectReference], desired: [ObjectReference], applied: Set<ObjectReference.Key>, unchanged: Set<ObjectReference.Key>,
        deleted: Set<ObjectReference.Key>, applyFailed: Bool
    ) -> [ObjectReference] {
        var objects: [ObjectReference.Key: ObjectReference] = [:]
        for ref in previous where !deleted.contains(ref.key) { objects[ref.key] = ref }
        for ref in desired where !applyFailed || applied.contains(ref.key) || unchanged.contains(ref.key) { objects[ref.key] = ref }
        return objects.values.sorted()
    }
}
