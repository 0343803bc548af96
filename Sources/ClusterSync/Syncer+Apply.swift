import Foundation
import Manifests
import Sync

/// The phases of `Syncer.apply`: a refused plan recorded, creates and updates wave by wave,
/// prunes in reverse wave order, and the inventory that records what came of it.
extension Syncer {
    /// A plan with errors: nothing is applied; the inventory keeps what it had and records why.
    func refused(_ plan: Plan, previous: Inventory?, commit: CommitSummary?, render: String?) async -> SyncResult {
        let errors = plan.errors + plan.items.filter { $0.action == .error }.map { "\($0.ref)\($0.source.map { " (\($0))" } ?? ""): \($0.error ?? "")" }
        var result = SyncResult(
            status: SourceStatus(
                sync: .failed, health: previous?.status?.health ?? .missing, commit: previous?.commit, commitMessage: previous?.status?.commitMessage,
                time: Self.now(), errors: errors, objects: previous?.objects.count ?? 0,
                message: "commit \(commit?.short ?? "?") not applied: \(errors.count) problem\(errors.count == 1 ? "" : "s")"))
        result.failures = plan.items.filter { $0.action == .error }.map { ($0.ref, $0.error ?? "") }
        result.status.render = render ?? previous?.status?.render
        return await saved(result, in: previous ?? Inventory(source: options.source))
    }

    /// Creates and updates, wave by wave, waiting for each wave's new CRDs. True when anything
    /// failed: the waves after it are not applied.
    func applyWaves(_ plan: Plan, into result: inout SyncResult) async -> Bool {
        let toApply = plan.items.filter { $0.action == .create || $0.action == .update }
        for wave in Ordering.waves(toApply.map(\.ref)) {
            let items = toApply.filter { wave.contains($0.ref) }
            let outcomes = await boundedMap(items, limit: options.concurrency) { item -> (ObjectReference, String?) in
                do {
                    let applied = try await self.client.apply(item.desired!, fieldManager: self.options.fieldManager)
                    if Ownership.hasSharedManagerFields(applied) {
                        _ = try await self.client.apply(Ownership.releaseConfiguration(of: item.desired!), fieldManager: Ownership.fieldManager)
                    }
                    return (item.ref, nil)
                } catch {
                    return (item.ref, Self.describe(error))
                }
            }
            for (ref, error) in outcomes {
                if let error { result.failures.append((ref, error)) } else { result.applied.append(ref) }
            }
            if outcomes.contains(where: { $0.1 != nil }) { return true }
            // Every new CRD of the wave at once: the wait is the slowest one's, not their sum.
            let crds = items.filter { $0.ref.kind == "CustomResourceDefinition" }.map(\.ref)
            var failed = false
            for (ref, problem) in await boundedMap(crds, limit: max(1, crds.count), { ($0, await self.waitEstablished($0)) }) {
                if let problem {
                    result.failures.append((ref, problem))
                    failed = true
                }
            }
            if failed { return true }
        }
        return false
    }

    /// Deletes the plan's prunes, the last wave first; returns those confirmed deleted.
    func prune(_ plan: Plan, into result: inout SyncResult) async -> Set<ObjectReference.Key> {
        var confirmedDeleted = Set<ObjectReference.Key>()
        let prunes = plan.items.filter { $0.action == .prune }.map(\.ref)
        for wave in Ordering.waves(prunes).reversed() {
            let outcomes = await boundedMap(wave, limit: options.concurrency) { ref -> (ObjectReference, String?) in
                do {
                    _ = try await self.client.delete(ref)
                    return (ref, nil)
                } catch {
                    return (ref, Self.describe(error))
                }
            }
            for (ref, error) in outcomes {
                if let error {
                    result.failures.append((ref, "prune: \(error)"))
                } else {
                    result.pruned.append(ref)
                    confirmedDeleted.insert(ref.key)
                }
            }
        }
        return confirmedDeleted
    }

    /// The inventory after an apply: what git wants, plus anything applied before that was not
    /// confirmed gone; and the source's status with it.
    func record(
        _ plan: Plan, _ applied: SyncResult, previous: Inventory?, applyFailed failed: Bool, deleted: Set<ObjectReference.Key>, commit: CommitSummary?,
        source: (url: String?, path: String?, render: String?)
    ) async -> SyncResult {
        var result = applied
        let desiredRefs = plan.items.filter { $0.desired != nil }.map(\.ref)
        let unchanged = Set(plan.items.filter { $0.action == .unchanged }.map(\.ref.key))
        let owned = Inventory.owned(
            previous: previous?.objects ?? [], desired: desiredRefs, applied: Set(result.applied.map(\.key)), unchanged: unchanged, deleted: deleted,
            applyFailed: failed)
        let inventory = Inventory(
            source: options.source, url: source.url, path: source.path, commit: failed ? previous?.commit : commit?.id, objects: owned)
        let (health, healthMessage) = failed ? (Health.degraded, nil) : await assessHealth(desiredRefs)
        result.status = SourceStatus(
            sync: failed || !result.failures.isEmpty ? .failed : .synced, health: health, commit: inventory.commit,
            commitMessage: failed ? previous?.status?.commitMessage : commit?.summary, time: Self.now(),
            errors: result.failures.map { "\($0.0): \($0.1)" }, objects: inventory.objects.count,
            message: failed ? "apply of \(commit?.short ?? "?") failed; nothing was pruned" : healthMessage)
        result.status.render = source.render ?? previous?.status?.render
        return await saved(result, in: inventory)
    }

    /// `result`'s status recorded in `inventory`, and the inventory saved: a save that fails is
    /// a failure of the sync.
    func saved(_ result: SyncResult, in inventory: Inventory) async -> SyncResult {
        var result = result
        var inventory = inventory
        inventory.status = result.status
        result.inventory = inventory
        do {
            try await saveInventory(inventory)
        } catch {
            result.failures.append((inventoryRef, "saving the inventory: \(Self.describe(error))"))
            result.status.sync = .failed
        }
        return result
    }
}
