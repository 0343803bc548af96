public import ClusterSync
public import CommitSigning
public import ControllerRuntime
public import DesiredState
import Foundation
public import Git
public import Kube
public import Logging
public import ManifestLoading
public import Manifests
public import Sync
import Synchronization
import YAML

/// Why a source reconciles.
public enum SyncTrigger: Sendable, Equatable {
    case start
    case poll
    case webhook
    /// Managed objects that no longer match what was applied (someone ran kubectl edit).
    case drift(Set<ObjectReference.Key>)
}

/// Keeps one git source applied: on a timer, on webhooks, and when managed objects drift.
/// A poll that finds the same commit costs nothing but an incremental fetch; drift is seen
/// through watches, so a quiet cluster costs no API calls at all.
///
/// It runs through `ReconcileWorkers` like every controller, with one worker (a source is one
/// repository and one inventory) and three keys: `Key.poll` (fetch; apply when the commit
/// moved; requeued every interval), `Key.resync` (fetch and apply whatever the commit: start and
/// webhooks) and `Key.heal` (re-apply the objects that drifted since the last pass).
public actor SourceController: Reconciler {
    public enum Key {
        public static let poll = "poll"
        public static let resync = "resync"
        public static let heal = "heal"
    }

    public nonisolated let name: String
    let git: GitSource
    let syncer: Syncer
    let interval: Double
    let logger: Logger
    let onStatus: @Sendable (String, SourceStatus) -> Void
    let metrics: SluiceMetrics?
    let events: EventRecorder?
    /// Namespaces drift is watched in (empty: cluster-wide watches, one per kind). With
    /// namespace-scoped RBAC, a cluster-wide watch is forbidden.
    let namespaces: [String]
    public nonisolated let queue = WorkQueue<String>()
    /// Drifted objects seen since the last heal: a burst of edits is healed in one plan.
    private nonisolated let drifted = Mutex(Set<ObjectReference.Key>())
    /// The commit last synced in full: what the cluster holds, and what drift is healed from
    /// and recorded as (never a newer commit whose sync failed).
    private var lastSynced: CommitInfo?
    private let applied = AppliedObjects()
    private var watchers: [String: Task<Void, Never>] = [:]
    public private(set) var status: SourceStatus?
    public private(set) var reconciles = 0
    public private(set) var lastFetchError: String?
    /// With it, only commits carrying a signature it accepts are applied.
    let verifier: SignatureVerifier?

    public init(
        name: String, git: GitSource, syncer: Syncer, interval: Double, logger: Logger, metrics: SluiceMetrics? = nil, events: EventRecorder? = nil,
        namespaces: [String] = [], verifier: SignatureVerifier? = nil, onStatus: @escaping @Sendable (String, SourceStatus) -> Void = { _, _ in }
    ) {
        self.verifier = verifier
        self.name = name
        self.namespaces = namespaces
        self.git = git
        self.syncer = syncer
        self.interval = interval
        self.logger = logger
        self.metrics = metrics
        self.events = events
        self.onStatus = { name, status in
            metrics?.sourceStatus(source: name, status: status)
            onStatus(name, status)
        }
    }

    public nonisolated func trigger(_ reason: SyncTrigger) async {
        switch reason {
        case .start, .webhook: await queue.add(Key.resync)
        case .poll: await queue.add(Key.poll)
        case .drift(let keys):
            drifted.withLock { $0.formUnion(keys) }
            await queue.add(Key.heal)
        }
    }

    /// Runs until cancelled.
    public func run() async {
        await trigger(.start)
        await queue.add(Key.poll, after: nextPoll())
        defer { for w in watchers.values { w.cancel() } }
        await ReconcileWorkers.runUntilCancelled(self, queue: queue, count: 1, controller: "sync", metrics: metrics, logger: logger)
    }

    /// Jitter keeps many replicas and sources from polling in lockstep.
    nonisolated func nextPoll() -> Double { interval * Double.random(in: 0.9...1.1) }

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        switch key {
        case Key.heal:
            await heal(takeDrifted())
            return .done
        case Key.resync:
            return ReconcileResult(failed: !(await reconcile(force: true)))
        default:
            return ReconcileResult(requeueAfter: nextPoll(), failed: !(await reconcile(force: false)))
        }
    }

    /// Fetches and, when the commit moved (or `force`), plans and applies. False when the pass
    /// failed (recorded in `status`; the next poll tries again).
    @discardableResult
    public func reconcile(force: Bool = false) async -> Bool {
        reconciles += 1
        let started = Date()
        guard let commit = await fetchedCommit(started: started) else { return false }
        if commit.id == lastSynced?.id && !force {
            await checkPolledKinds()
            return true
        }
        guard await verified(commit) else { return false }
        let loaded: LoadResult
        do {
            loaded = UnknownSpecFields.holdBack(try await git.load(commit.id, keepNodes: false))
        } catch {
            await record(failure: "reading \(commit.id.short): \(error)")
            return false
        }
        return await apply(loaded, commit: commit, started: started)
    }

    /// The source's commit after a fetch; nil (recorded) when the fetch or the ref failed.
    private func fetchedCommit(started: Date) async -> CommitInfo? {
        do {
            try await git.fetch()
            metrics?.gitFetched(source: name, seconds: Date().timeIntervalSince(started), succeeded: true)
            lastFetchError = nil
        } catch {
            metrics?.gitFetched(source: name, seconds: Date().timeIntervalSince(started), succeeded: false)
            lastFetchError = "\(error)"
            logger.warning("git fetch failed; keeping the last applied commit", metadata: ["source": "\(name)", "error": "\(error)"])
            await record(failure: "git fetch failed: \(error)")
            return nil
        }
        do {
            return try await git.resolve()
        } catch {
            logger.warning("cannot resolve the source's ref", metadata: ["source": "\(name)", "error": "\(error)"])
            await record(failure: "\(error)")
            return nil
        }
    }

    /// True when no signature is asked for or the commit's is accepted; otherwise the refusal is
    /// recorded (status, inventory, Event) and the last verified commit stays applied.
    private func verified(_ commit: CommitInfo) async -> Bool {
        guard let verifier else { return true }
        let problem: String?
        do {
            problem = verifier.problem(try await git.signature(of: commit.id))
        } catch {
            problem = "its signature cannot be read: \(error)"
        }
        guard let problem else { return true }
        let message = "commit \(commit.id.short) is not applied: \(problem); the last verified commit stays applied"
        logger.error("unverified commit", metadata: ["source": "\(name)", "commit": "\(commit.id.short)", "why": "\(problem)"])
        await record(failure: message)
        await syncer.recordRefusal(message)
        if let events {
            let inventory = ObjectReference(
                apiVersion: "v1", kind: "ConfigMap", namespace: syncer.options.inventoryNamespace, name: Inventory.configMapName(name))
            await events.post(inventory, uid: nil, kind: .warning, reason: "UnverifiedCommit", message: message)
        }
        return false
    }

    /// Plans and applies one commit's objects; true when it synced.
    private func apply(_ loaded: LoadResult, commit: CommitInfo, started: Date) async -> Bool {
        let plan = await syncer.plan(loaded.manifests, revision: commit.id.hex).withLoadErrors(loaded.errors)
        let result = await syncer.apply(plan, commit: CommitSummary(commit), url: git.spec.description, path: git.spec.path, render: loaded.renderIsolation)
        defer { if plan.items.count > 200 { MemoryTuning.trim() } }
        status = result.status
        onStatus(name, result.status)
        let meta: Logger.Metadata = ["source": "\(name)", "commit": "\(commit.id.short)"]
        guard result.status.sync == .synced else {
            await recordEvents(result, commit: commit)
            // Keep the last good commit: the next poll tries this one again.
            logger.error("sync failed", metadata: meta.merging(["errors": "\(result.status.errors.prefix(5).joined(separator: "; "))"]) { $1 })
            return false
        }
        lastSynced = commit
        applied.replaceManifests(loaded.manifests)
        applied.remember(plan)
        logger.info(
            "synced",
            metadata: meta.merging([
                "applied": "\(result.applied.count)", "pruned": "\(result.pruned.count)", "seconds": "\(Date().timeIntervalSince(started))",
            ]) { $1 })
        await watchKinds(
            Set(plan.items.filter { $0.desired != nil }.map { "\($0.ref.apiVersion)|\($0.ref.kind)|\($0.ref.namespace == nil ? "cluster" : "namespaced")" }))
        await recordEvents(result, commit: commit)
        return true
    }

    /// Events on the inventory ConfigMap (one per sync) and on each pruned object's namespace.
    private func recordEvents(_ result: SyncResult, commit: CommitInfo) async {
        guard let events else { return }
        let inventory = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: syncer.options.inventoryNamespace, name: Inventory.configMapName(name))
        let (kind, reason, message): (EventRecorder.Kind, String, String) =
            result.status.sync == .synced
            ? (.normal, "Synced", "synced \(commit.id.short) \"\(commit.summary)\": \(result.applied.count) applied, \(result.pruned.count) pruned")
            : (.warning, "SyncFailed", result.status.message ?? result.status.errors.first ?? "sync failed")
        await events.post(inventory, uid: nil, kind: kind, reason: reason, message: message)
        for ref in result.pruned {
            await events.post(
                ref, uid: nil, kind: .normal, reason: "Pruned", message: "pruned by source \(name): no longer in git at \(commit.id.short)")
        }
    }

    /// Re-applies only the drifted objects.
    func heal(_ keys: Set<ObjectReference.Key>) async {
        guard let commit = lastSynced else { return }
        let manifests: [Manifest]
        do {
            let files = applied.files(of: keys)
            guard !files.isEmpty else { return }
            manifests = try await git.load(commit.id, files: files).manifests.filter { keys.contains($0.reference.key) }
        } catch {
            // The synced commit is in the local mirror, so this is a damaged cache; a full sync,
            // as at start, fetches and re-reads everything.
            logger.warning("cannot re-read drifted objects from git; syncing the whole source", metadata: ["source": "\(name)", "error": "\(error)"])
            await trigger(.start)
            return
        }
        guard !manifests.isEmpty else { return }
        reconciles += 1
        let plan = await syncer.plan(manifests, includePrunes: false, revision: commit.id.hex)
        guard plan.hasChanges else {
            applied.remember(plan)
            return
        }
        let result = await syncer.apply(plan, commit: CommitSummary(commit), url: git.spec.description, path: git.spec.path)
        applied.remember(plan)
        logger.info(
            "drift healed",
            metadata: [
                "source": "\(name)", "objects": "\(plan.items.filter { $0.action != .unchanged }.map { "\($0.ref)" }.joined(separator: ", "))",
                "sync": "\(result.status.sync.rawValue)",
            ])
    }

    private func record(failure: String) async {
        var s = status ?? SourceStatus(sync: .unknown, health: .missing, commit: lastSynced?.id.hex, commitMessage: lastSynced?.summary, time: "")
        s.errors = [failure]
        s.time = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
        s.message = failure
        if s.sync == .synced { s.sync = .outOfSync }
        status = s
        onStatus(name, s)
    }

    // MARK: drift

    /// Kinds whose drift is found by reading each object at every poll instead of a watch:
    /// Secrets, so that no source needs to list and watch every Secret of the cluster (the
    /// chart grants get, not list or watch).
    static let polledKinds: Set<String> = ["v1|Secret"]

    /// The polled kinds' objects, read again: those that drifted are healed as watched ones are.
    private func checkPolledKinds() async {
        let keys = Self.polledKinds.flatMap { kind in
            let parts = kind.split(separator: "|").map(String.init)
            let group = parts[0].contains("/") ? String(parts[0].split(separator: "/")[0]) : ""
            return applied.keys(group: group, kind: parts[1])
        }
        guard !keys.isEmpty else { return }
        drifted.withLock { $0.formUnion(keys) }
        await heal(takeDrifted())
    }

    /// The objects seen drifting since the last heal, forgotten as they are taken.
    private nonisolated func takeDrifted() -> Set<ObjectReference.Key> {
        drifted.withLock { d in
            defer { d = [] }
            return d
        }
    }

    /// Starts a watch for each kind (`apiVersion|kind|scope`) not yet watched: cluster-wide, or
    /// one per namespace in scope (cluster-scoped kinds are then healed by polls only).
    private func watchKinds(_ kinds: Set<String>) async {
        for kind in kinds {
            let parts = kind.split(separator: "|").map(String.init)
            if Self.polledKinds.contains("\(parts[0])|\(parts[1])") { continue }
            let scopes: [String?] = namespaces.isEmpty ? [nil] : parts[2] == "namespaced" ? namespaces : []
            for namespace in scopes {
                let key = "\(parts[0])|\(parts[1])|\(namespace ?? "*")"
                guard watchers[key] == nil else { continue }
                let informer = Informer(
                    client: syncer.client, apiVersion: parts[0], kind: parts[1], namespace: namespace,
                    labelSelector: "\(Ownership.managedByLabel)=\(Ownership.managedByValue)",
                    // The cache only needs to know what exists; events are checked for drift as
                    // they arrive and only drifted objects' references are kept.
                    transform: InformerTransform.identityOnly)
                let events = await informer.events(keeping: applied.drift)
                watchers[key] = Task {
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { await informer.run() }
                        group.addTask {
                            for await event in events { await self.observe(event) }
                        }
                    }
                }
            }
        }
    }

    /// Events come filtered by `AppliedObjects.drift`: each one is an object to heal.
    private func observe(_ event: InformerEvent) async {
        guard let ref = try? KubeClient.reference(of: event.object) else { return }
        await trigger(.drift([ref.key]))
    }
}
