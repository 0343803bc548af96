public import ControllerRuntime
import Foundation
public import Kube
public import Logging
public import Manifests
public import Sync
public import YAML

/// What turns a GitSource object into a running source: the composition root's part (it holds
/// the credentials, the cache and the clients), behind a seam the controller's tests replace.
public protocol SourceFactory: Sendable {
    associatedtype Definition: Equatable & Sendable
    /// What the object asks for, with everything it references read (its Secrets): a changed
    /// definition restarts the source. Throws a problem naming the field when the object may
    /// not be run as it stands.
    func definition(of object: Value) async throws -> Definition
    /// A source controller for the definition, not yet running, and its git source.
    func make(_ definition: Definition, name: String, onStatus: @escaping @Sendable (String, SourceStatus) -> Void) async throws -> SourceCatalog.Entry
}

/// Runs one source per GitSource object: starts it when the object appears, restarts it when
/// the object's spec or a Secret it names changes, stops it when the object goes (its objects
/// stay in the cluster: deleting a GitSource is not a request to delete what it applied), and
/// writes each source's sync state into the object's status.
public actor GitSourceController<Factory: SourceFactory>: Reconciler {
    public static var apiVersion: String { "sluice.dev/v1alpha1" }
    public static var kind: String { "GitSource" }
    public static var fieldManager: String { Ownership.fieldManager }
    /// How often a GitSource is read again without a change to it: the Secrets it names are
    /// not watched, and a rotated one takes effect within this.
    public static var recheck: Double { 60 }

    struct Running {
        var definition: Factory.Definition
        var generation: Int
        var controller: SourceController
        var task: Task<Void, Never>
    }

    let client: any KubeAPI
    let factory: Factory
    let catalog: SourceCatalog
    /// Told of every pass, to announce a source that starts failing.
    let failures: SourceFailureWatch?
    let logger: Logger
    let informers: [Informer]
    public let queue = WorkQueue<String>()
    private var running: [String: Running] = [:]
    /// The status last written per object, so a condition's transition time moves only when
    /// the condition does.
    private var written: [String: GitSourceStatus] = [:]

    public init(
        client: any KubeAPI, factory: Factory, catalog: SourceCatalog, namespaces: [String] = [], failures: SourceFailureWatch? = nil, logger: Logger
    ) {
        self.failures = failures
        self.client = client
        self.factory = factory
        self.catalog = catalog
        self.logger = logger
        informers = Watch.informers(client: client, apiVersion: Self.apiVersion, kind: Self.kind, namespaces: namespaces)
    }

    /// Watches GitSources until cancelled; then stops every source it started.
    public func run() async {
        let loop = ControllerLoop(name: "gitsource", keyLabel: "gitsource", workers: 1, metrics: nil, logger: logger)
        await loop.run(self, queue: queue, watches: informers.map(Watch.primary))
        await stopAll()
    }

    /// Stops every source this controller started.
    public func stopAll() async {
        for key in running.keys { await stop(key) }
    }

    /// True while the GitSource CRD is not installed (only the settings' sources run).
    public var crdMissing: Bool {
        get async {
            for i in informers where await i.kindMissing { return true }
            return false
        }
    }

    public var runningSources: [String] { running.keys.sorted() }

    static func reference(_ key: String) -> ObjectReference { ObjectKey.reference(key, apiVersion: apiVersion, kind: kind) }

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        let ref = Self.reference(key)
        // A failed read throws (retried with backoff): a source is never stopped on a guess.
        guard let object = try await client.getIfExists(ref) else {
            await stop(key)
            written[key] = nil
            return .done
        }
        let generation = Int(object[path: ["metadata", "generation"]]?.intValue ?? 0)
        let name = SourceName.of(namespace: ref.namespace ?? "", name: ref.name)
        let definition: Factory.Definition
        do {
            definition = try await factory.definition(of: object)
        } catch {
            // The source already running keeps running as it was accepted: a spec that became
            // invalid, or a Secret that went away, loses nothing.
            let kept = running[key].map { " (the source keeps running as accepted at generation \($0.generation))" } ?? ""
            logger.warning("GitSource refused", metadata: ["gitsource": "\(key)", "why": "\(error)"])
            try await write(key, ref: ref, status: .refused("\(error)\(kept)", generation: generation, previous: written[key]))
            return ReconcileResult(requeueAfter: Self.recheck, failed: true)
        }
        if let current = running[key], current.definition == definition {
            if current.generation != generation {
                running[key]?.generation = generation
                try await write(key, ref: ref, status: .from(await current.controller.status, generation: generation, previous: written[key]))
            }
            return ReconcileResult(requeueAfter: Self.recheck)
        }
        await stop(key)
        let entry = try await factory.make(definition, name: name) { [weak self] _, _ in
            guard let self else { return }
            Task { await self.sourceReported(key) }
        }
        guard let controller = entry.controller else { return .done }
        catalog.add(name, git: entry.git, controller: controller)
        let task = Task { await controller.run() }
        running[key] = Running(definition: definition, generation: generation, controller: controller, task: task)
        logger.info("source started", metadata: ["gitsource": "\(key)", "source": "\(name)", "generation": "\(generation)"])
        try await write(key, ref: ref, status: .from(nil, generation: generation, previous: written[key]))
        return ReconcileResult(requeueAfter: Self.recheck)
    }

    private func stop(_ key: String) async {
        guard let current = running.removeValue(forKey: key) else { return }
        current.task.cancel()
        await current.task.value
        catalog.remove(current.controller.name)
        logger.info("source stopped", metadata: ["gitsource": "\(key)", "source": "\(current.controller.name)"])
    }

    /// A source finished a pass: its latest state goes into the object's status (read from the
    /// controller, so reports that arrive out of order still write the newest).
    private func sourceReported(_ key: String) async {
        guard let current = running[key] else { return }
        let sync = await current.controller.status
        if let failures, let sync {
            let ref = Self.reference(key)
            await failures.observed(ref.name, objectKind: Self.kind, namespace: ref.namespace ?? "", status: sync)
        }
        let status = GitSourceStatus.from(sync, generation: current.generation, previous: written[key])
        do {
            try await write(key, ref: Self.reference(key), status: status)
        } catch {
            logger.warning("cannot write a GitSource's status", metadata: ["gitsource": "\(key)", "error": "\(error)"])
        }
    }

    private func write(_ key: String, ref: ObjectReference, status: GitSourceStatus) async throws {
        guard status != written[key] else { return }
        let body: Value = [
            "apiVersion": .string(Self.apiVersion), "kind": .string(Self.kind),
            "metadata": ["name": .string(ref.name), "namespace": .string(ref.namespace ?? "")], "status": status.value,
        ]
        _ = try await client.apply(body, fieldManager: Self.fieldManager, subresource: "status")
        written[key] = status
    }
}
