import Foundation
public import Kube
public import Manifests
public import Sync
public import YAML

public struct SyncOptions: Sendable {
    /// Names the source in ownership marks and its inventory.
    public var source: String
    /// Where the inventory ConfigMap lives.
    public var inventoryNamespace: String
    /// Dry runs and applies in flight at once.
    public var concurrency: Int
    /// Delete objects that left git (only those this source applied and still marks as its own).
    public var prune: Bool
    /// Allow a commit with no objects to prune everything (off: an empty path is usually a mistake).
    public var allowEmpty: Bool
    /// The source's objects are applied as this manager (`sluice/<source>`); the inventory as
    /// the controller's (`sluice`).
    public var fieldManager: String
    /// How long to wait for a new CustomResourceDefinition to be Established.
    public var crdTimeout: Double
    /// Keep, for each item, the live object, the server's merged answer and a unified diff:
    /// what a person reading the plan needs (`sluice diff`, `sluice sync`). A controller needs
    /// only the action and a fingerprint; holding three copies of thousands of objects until the
    /// apply ends would make its peak memory several times its steady state.
    public var detailedPlan: Bool
    /// The namespaces this source may write in (empty: any). With a list, cluster-scoped kinds
    /// are refused unless `allowClusterScoped` (a Namespace named in the list excepted).
    public var targetNamespaces: [String]
    /// Nil: allowed exactly when `targetNamespaces` is empty.
    public var allowClusterScoped: Bool?
    var clusterScopedAllowed: Bool { allowClusterScoped ?? targetNamespaces.isEmpty }
    /// Take over live objects no Sluice source marks (objects that predate Sluice). Another
    /// source's objects are never taken.
    public var adopt: Bool
    /// Namespaces written only by a source whose `targetNamespaces` names them: the
    /// controller's own, where its service account, its Secrets and its Lease live (a
    /// Deployment there could run as the controller).
    public var protectedNamespaces: [String]

    public init(
        source: String, inventoryNamespace: String = "default", concurrency: Int = 16, prune: Bool = true, allowEmpty: Bool = false,
        fieldManager: String? = nil, crdTimeout: Double = 60, detailedPlan: Bool = true, targetNamespaces: [String] = [],
        allowClusterScoped: Bool? = nil, adopt: Bool = false, protectedNamespaces: [String] = []
    ) {
        self.protectedNamespaces = protectedNamespaces
        self.targetNamespaces = targetNamespaces
        self.allowClusterScoped = allowClusterScoped
        self.adopt = adopt
        self.detailedPlan = detailedPlan
        self.source = source
        self.inventoryNamespace = inventoryNamespace
        self.concurrency = max(1, concurrency)
        self.prune = prune
        self.allowEmpty = allowEmpty
        self.fieldManager = fieldManager ?? Ownership.fieldManager(source: source)
        self.crdTimeout = crdTimeout
    }
}

/// What applying a plan did.
public struct SyncResult: Sendable {
    public var applied: [ObjectReference] = []
    public var pruned: [ObjectReference] = []
    /// Objects that failed, with why.
    public var failures: [(ObjectReference, String)] = []
    public var status: SourceStatus
    /// The inventory as saved; nil when the stored one could not be read (nothing was saved).
    public var inventory: Inventory?

    public var succeeded: Bool { failures.isEmpty && status.sync == .synced }
}

/// Plans and applies desired state against a cluster. The decisions are in `Plan`, `Ordering`,
/// `Normalize` and `Health`; this type does the I/O.
public final class Syncer: Sendable {
    /// What reads, dry-runs, applies and prunes the source's objects: the controller's own
    /// client, or one impersonating the source's service account, so the API server's RBAC for
    /// that account decides what the source may change.
    public let client: any KubeAPI
    /// What reads and writes the inventory in Sluice's own namespace (the controller's client).
    let inventoryClient: any KubeAPI
    public let options: SyncOptions

    public init(client: any KubeAPI, inventoryClient: (any KubeAPI)? = nil, options: SyncOptions) {
        self.client = client
        self.inventoryClient = inventoryClient ?? client
        self.options = options
    }

    var inventoryRef: ObjectReference {
        ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: options.inventoryNamespace, name: Inventory.configMapName(options.source))
    }

    /// The stored inventory, nil before the first sync.
    public func loadInventory() async throws -> Inventory? {
        guard let cm = try await inventoryClient.getIfExists(inventoryRef) else { return nil }
        return try Inventory(configMap: cm)
    }

    /// Records in the inventory's status that a commit was refused before anything was applied
    /// (an unverified signature), so `sluice status` shows it; objects and the applied commit
    /// stay as they are. An inventory that cannot be read is left alone.
    public func recordRefusal(_ message: String) async {
        guard let previous = try? await loadInventory() else { return }
        var inventory = previous ?? Inventory(source: options.source)
        var status = inventory.status ?? SourceStatus(sync: .unknown, health: .missing, commit: inventory.commit, commitMessage: nil, time: Self.now())
        status.sync = .failed
        status.errors = [message]
        status.message = message
        status.time = Self.now()
        inventory.status = status
        // Only what `sluice status` shows: the refusal itself is already logged and recorded as
        // an event, and nothing is applied whether or not this write lands.
        try? await saveInventory(inventory)
    }

    public func saveInventory(_ inventory: Inventory) async throws {
        _ = try await inventoryClient.apply(try inventory.configMap(namespace: options.inventoryNamespace), fieldManager: Ownership.fieldManager)
    }

    // MARK: plan

    struct Resolved: Sendable {
        var manifest: Manifest
        var ref: ObjectReference
        var object: Value
        var note: String?
        var error: String?
    }

    /// Kinds defined by CRDs in the desired set: their objects cannot be dry-run before the CRD exists.
    static func kindsDefined(by manifests: [Manifest]) -> Set<String> {
        Set(
            manifests.filter { $0.kind == "CustomResourceDefinition" }.compactMap { m in
                guard let group = m.object[path: ["spec", "group"]]?.stringValue, let kind = m.object[path: ["spec", "names", "kind"]]?.stringValue else {
                    return nil
                }
                return "\(group)/\(kind)"
            })
    }

    func resolve(_ manifests: [Manifest], revision: String?) async -> [Resolved] {
        let pendingKinds = Self.kindsDefined(by: manifests)
        var out: [Resolved] = []
        for m in manifests {
            var marked = Ownership.mark(m.object, source: options.source)
            if m.kind == "ModelDeployment", m.reference.group == "sluice.dev" {
                // The rollout controller reports which commit a version came from, and reverts
                // it in the right file when asked to.
                if let revision { marked.set(.string(revision), at: ["metadata", "annotations", Ownership.revisionAnnotation]) }
                marked.set(.string(m.source.file), at: ["metadata", "annotations", Ownership.sourcePathAnnotation])
            }
            do {
                let (_, ns) = try await client.locate(apiVersion: m.apiVersion, kind: m.kind, namespace: m.namespace)
                var object = marked
                if let ns { object.set(.string(ns), at: ["metadata", "namespace"]) } else { object.set(nil, at: ["metadata", "namespace"]) }
                let ref = ObjectReference(apiVersion: m.apiVersion, kind: m.kind, namespace: ns, name: m.name)
                out.append(Resolved(manifest: m, ref: ref, object: object, error: scopeProblem(ref)))
            } catch let e as KubeError where e.reason == .unknownKind {
                let group = m.reference.group
                if pendingKinds.contains("\(group)/\(m.kind)") {
                    // Namespaced or not is decided by the CRD: assume the manifest says what it means.
                    let ns = m.namespace ?? client.defaultNamespace
                    var object = marked
                    object.set(.string(ns), at: ["metadata", "namespace"])
                    let ref = ObjectReference(apiVersion: m.apiVersion, kind: m.kind, namespace: ns, name: m.name)
                    out.append(
                        Resolved(manifest: m, ref: ref, object: object, note: "its CustomResourceDefinition is created in this sync", error: scopeProblem(ref)))
                } else {
                    out.append(
                        Resolved(
                            manifest: m, ref: m.reference, object: marked,
                            error: "\(m.kind) (\(m.apiVersion)) is not served by the cluster: is its CustomResourceDefinition installed?"))
                }
            } catch {
                out.append(Resolved(manifest: m, ref: m.reference, object: marked, error: "\(error)"))
            }
        }
        return out
    }

    /// Why this source may not write `ref` (outside its target namespaces, or cluster-scoped
    /// where that is not allowed), or nil.
    func scopeProblem(_ ref: ObjectReference) -> String? {
        if let ns = ref.namespace ?? (ref.kind == "Namespace" && ref.group.isEmpty ? ref.name : nil), options.protectedNamespaces.contains(ns),
            !options.targetNamespaces.contains(ns)
        {
            return "namespace \(ns) is the controller's own: source \(options.source) writes there only when its targetNamespaces names it"
        }
        guard !options.targetNamespaces.isEmpty else { return nil }
        guard let ns = ref.namespace else {
            if ref.kind == "Namespace", ref.group.isEmpty, options.targetNamespaces.contains(ref.name) { return nil }
            if options.clusterScopedAllowed { return nil }
            return
                "\(ref.kind) \(ref.name) is cluster-scoped: source \(options.source) may write only in \(options.targetNamespaces.joined(separator: ", ")) (allowClusterScoped lets it)"
        }
        if options.targetNamespaces.contains(ns) { return nil }
        return "namespace \(ns) is not among source \(options.source)'s targetNamespaces (\(options.targetNamespaces.joined(separator: ", ")))"
    }

    /// Dry-runs every desired object and compares it with what is live; adds prunes from the
    /// inventory. Nothing in the cluster changes.
    public func plan(_ manifests: [Manifest], includePrunes: Bool = true, revision: String? = nil) async -> Plan {
        var planErrors: [String] = []
        let resolved = await resolve(manifests, revision: revision)
        // The inventory first: what this source owns decides whether a live object may be
        // applied over, and what may be pruned.
        let read: InventoryRead
        do {
            read = try await loadInventory().map(InventoryRead.found) ?? .absent
        } catch {
            read = .unreadable(Self.describe(error))
            planErrors.append("cannot read the inventory \(inventoryRef): \(error)")
        }
        let inventory = read.inventory
        let owned: Set<ObjectReference.Key>?
        if case .unreadable = read { owned = nil } else { owned = Set((inventory?.objects ?? []).map(\.key)) }
        let newNamespaces = Set(resolved.filter { $0.ref.kind == "Namespace" && $0.ref.group.isEmpty }.map(\.ref.name))
        let items = await boundedMap(resolved, limit: options.concurrency) { r in
            self.finish(await self.planItem(r, newNamespaces: newNamespaces, owned: owned))
        }
        var all = items
        if includePrunes, manifests.isEmpty, let inventory, !inventory.objects.isEmpty, !options.allowEmpty {
            planErrors.append(
                "the source has no objects but \(inventory.objects.count) were applied before: refusing to prune everything (an empty path after a bad commit?); pass --allow-empty if this is intended"
            )
        } else if options.prune, includePrunes, let inventory {
            let desired = Set(resolved.map(\.ref.key))
            let candidates = inventory.objects.filter { !desired.contains($0.key) }
            let prunes = await boundedMap(candidates, limit: options.concurrency) { ref in await self.pruneItem(ref).map(self.finish) }
            all += prunes.compactMap { $0 }
        }
        let ordered = all.sorted { (Ordering.wave(of: $0.ref), $0.ref) < (Ordering.wave(of: $1.ref), $1.ref) }
        return Plan(source: options.source, items: ordered, errors: planErrors, inventory: read)
    }

    /// Fingerprints what the object will look like, and drops what only a reader of the plan needs.
    func finish(_ item: PlanItem) -> PlanItem {
        var item = item
        if let merged = item.merged { item.fingerprint = Fingerprint(merged) }
        if !options.detailedPlan {
            item.live = nil
            item.merged = nil
        }
        return item
    }

    func diff(live: Value?, merged: Value?) -> String {
        options.detailedPlan ? PlanItem.render(live: live, merged: merged) : ""
    }

    /// `owned`: the keys in this source's inventory (nil: it could not be read, and the plan
    /// fails on that anyway).
    func planItem(_ r: Resolved, newNamespaces: Set<String>, owned: Set<ObjectReference.Key>? = []) async -> PlanItem {
        if let error = r.error {
            return PlanItem(ref: r.ref, action: .error, source: r.manifest.source, desired: r.object, error: error)
        }
        if r.note != nil {
            return PlanItem(
                ref: r.ref, action: .create, source: r.manifest.source, desired: r.object, merged: Normalize.forDiff(r.object),
                diff: diff(live: nil, merged: Normalize.forDiff(r.object)), note: r.note)
        }
        do {
            let raw = try await client.getIfExists(r.ref)
            if let raw, let owned,
                let conflict = Ownership.conflict(
                    raw, ref: "\(r.ref)", source: options.source, inInventory: owned.contains(r.ref.key), adoptUnowned: options.adopt)
            {
                return PlanItem(ref: r.ref, action: .error, source: r.manifest.source, desired: r.object, error: conflict)
            }
            let live = Normalize.stripAllocated(raw.map(Normalize.forDiff), desired: r.object)
            if live == nil, let ns = r.ref.namespace, newNamespaces.contains(ns),
                // A failed read is an error for this item (below), not "the namespace is absent".
                try await client.getIfExists(ObjectReference(apiVersion: "v1", kind: "Namespace", namespace: nil, name: ns)) == nil
            {
                let merged = Normalize.forDiff(r.object)
                return PlanItem(
                    ref: r.ref, action: .create, source: r.manifest.source, desired: r.object, merged: merged, diff: diff(live: nil, merged: merged),
                    note: "its namespace is created in this sync")
            }
            let dryRun = try await client.apply(r.object, fieldManager: options.fieldManager, force: true, dryRun: true, subresource: nil)
            let merged = Normalize.stripAllocated(Normalize.forDiff(dryRun), desired: r.object)!
            var action = PlanItem.action(live: live, merged: merged)
            var note: String?
            if action == .unchanged, let raw, Ownership.hasSharedManagerFields(raw) {
                action = .update
                note = "its fields move from the field manager \(Ownership.fieldManager) to \(options.fieldManager)"
            }
            return PlanItem(
                ref: r.ref, action: action, source: r.manifest.source, desired: r.object, live: live, merged: merged,
                diff: action == .unchanged ? "" : diff(live: live, merged: merged), note: note)
        } catch {
            return PlanItem(ref: r.ref, action: .error, source: r.manifest.source, desired: r.object, error: Self.describe(error))
        }
    }

    func pruneItem(_ ref: ObjectReference) async -> PlanItem? {
        do {
            guard let live = try await client.getIfExists(ref) else { return nil }
            // Someone else's now, or protected: never deleted.
            guard Ownership.isOwned(live, by: options.source), !Ownership.pruneDisabled(live) else { return nil }
            let normalized = Normalize.forDiff(live)
            return PlanItem(ref: ref, action: .prune, live: normalized, diff: diff(live: normalized, merged: nil))
        } catch let e as KubeError where e.reason == .unknownKind {
            return nil  // its kind (and so the object) is gone
        } catch {
            return PlanItem(ref: ref, action: .error, error: "cannot check \(ref) for pruning: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let e = error as? KubeError else { return "\(error)" }
        var text = e.message
        let causes = e.causes.filter { !$0.message.isEmpty && !text.contains($0.message) }
        if !causes.isEmpty { text += " (" + causes.map { $0.message }.joined(separator: "; ") + ")" }
        return text
    }

    // MARK: apply

    /// Applies a plan: nothing at all when any object failed its dry run; otherwise creates and
    /// updates wave by wave (waiting for new CRDs), then prunes — unless something failed, in
    /// which case nothing is pruned and the inventory keeps every object not confirmed deleted.
    /// `render` is how the source's render was isolated (nil: as before).
    public func apply(_ plan: Plan, commit: CommitSummary?, url: String? = nil, path: String? = nil, render: String? = nil) async -> SyncResult {
        let previous: Inventory?
        switch plan.inventory {
        case .found(let inventory): previous = inventory
        case .absent: previous = nil
        case .unreadable(let problem): return inventoryUnreadable(problem, commit: commit)
        case nil:
            do {
                previous = try await loadInventory()
            } catch {
                return inventoryUnreadable(Self.describe(error), commit: commit)
            }
        }
        if plan.hasErrors { return await refused(plan, previous: previous, commit: commit, render: render) }
        var result = SyncResult(
            status: SourceStatus(sync: .unknown, health: .missing, commit: commit?.id, commitMessage: commit?.summary, time: Self.now()))
        let failed = await applyWaves(plan, into: &result)
        let confirmedDeleted = failed ? [] : await prune(plan, into: &result)
        return await record(
            plan, result, previous: previous, applyFailed: failed, deleted: confirmedDeleted, commit: commit, source: (url, path, render))
    }

    /// The record of what this source owns cannot be read (a failed request after retries, a
    /// timeout, a damaged ConfigMap): nothing is applied, nothing pruned, and no inventory is
    /// written, since any inventory written now would be built on not knowing.
    func inventoryUnreadable(_ reason: String, commit: CommitSummary?) -> SyncResult {
        let problem = "cannot read the inventory \(inventoryRef): \(reason); nothing was applied, pruned or recorded"
        let status = SourceStatus(
            sync: .failed, health: .missing, commit: nil, commitMessage: nil, time: Self.now(), errors: [problem],
            message: "commit \(commit?.short ?? "?") not applied: the inventory cannot be read")
        var result = SyncResult(status: status)
        result.failures = [(inventoryRef, problem)]
        return result
    }

    /// Waits for a CRD to be Established, reacting to a watch on it (polling only when the
    /// watch cannot be opened), then refreshes discovery so its kinds can be applied.
    func waitEstablished(_ ref: ObjectReference) async -> String? {
        let deadline = Date().addingTimeInterval(options.crdTimeout)
        while Date() < deadline {
            // A failed read is looked at again (and watched) until the deadline, then reported.
            if let crd = try? await client.getIfExists(ref), Health.of(crd).0 == .healthy {
                await refreshDiscovery(for: crd)
                return nil
            }
            let remaining = Int(deadline.timeIntervalSinceNow.rounded(.up))
            let watch = WatchOptions(fieldSelector: "metadata.name=\(ref.name)", allowBookmarks: false, timeoutSeconds: max(1, remaining))
            // A watch that cannot be opened: poll (above) after a short pause instead.
            if let events = try? await client.watch(apiVersion: ref.apiVersion, kind: ref.kind, namespace: nil, options: watch) {
                do {
                    for try await event in events where event.kind != .deleted && Health.of(event.object).0 == .healthy {
                        await refreshDiscovery(for: event.object)
                        return nil
                    }
                } catch {
                    // The watch broke: look again (and watch again) while there is time.
                }
            } else {
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        return "not Established after \(Int(options.crdTimeout)) s"
    }

    func refreshDiscovery(for crd: Value) async {
        let group = crd[path: ["spec", "group"]]?.stringValue ?? ""
        for v in crd[path: ["spec", "versions"]]?.arrayValue ?? [] {
            // A refresh that fails leaves the kind unknown: its apply fails with "not served",
            // loudly, rather than anything being guessed from a stale discovery.
            if let name = v["name"]?.stringValue { try? await client.refreshDiscovery("\(group)/\(name)") }
        }
    }

    /// The worst health among workload objects (others are healthy once applied).
    public func assessHealth(_ refs: [ObjectReference]) async -> (Health, String?) {
        let workloads = refs.filter { ["Deployment", "StatefulSet", "ReplicaSet", "CustomResourceDefinition"].contains($0.kind) }
        let results = await boundedMap(workloads, limit: options.concurrency) { ref -> (ObjectReference, Health, String) in
            do {
                let (h, m) = Health.of(try await self.client.getIfExists(ref))
                return (ref, h, m)
            } catch {
                // Not "missing": the object may be there and well. Shown as not yet healthy,
                // with why, so the status never claims a health nobody read.
                return (ref, .progressing, "its health cannot be read: \(error)")
            }
        }
        guard let worst = results.max(by: { $0.1 < $1.1 }), worst.1 != .healthy else { return (.healthy, nil) }
        return (worst.1, "\(worst.0): \(worst.2)")
    }

    static func now() -> String { Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false)) }
}

/// `transform` over `items` with at most `limit` running at once, results in input order.
public func boundedMap<T: Sendable, R: Sendable>(_ items: [T], limit: Int, _ transform: @escaping @Sendable (T) async -> R) async -> [R] {
    await withTaskGroup(of: (Int, R).self) { group in
        var results = [R?](repeating: nil, count: items.count)
        var next = 0
        for _ in 0..<min(limit, items.count) {
            let i = next
            group.addTask { (i, await transform(items[i])) }
            next += 1
        }
        while let (i, r) = await group.next() {
            results[i] = r
            if next < items.count {
                let j = next
                group.addTask { (j, await transform(items[j])) }
                next += 1
            }
        }
        return results.map { $0! }
    }
}
