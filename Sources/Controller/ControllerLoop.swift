public import ControllerRuntime
public import Kube
public import Logging
public import YAML

/// What queues a key: an informer and how its events name the object to reconcile.
public struct Watch: Sendable {
    let informer: Informer
    /// Maps an event to one whose object carries the key's namespace and name (nil: not ours).
    let keep: @Sendable (InformerEvent) -> InformerEvent?
    /// Every cached object is queued once the informer has synced. Events do not replay what
    /// was already cached, so the primary kind needs this or an object listed before the
    /// subscription would wait for its next change.
    let queuesAllOnSync: Bool

    /// Informers of a reconciled kind, one per watched namespace (one for all when none is
    /// named), keeping only identity: reconciles read the objects fresh.
    public static func informers(client: any KubeAPI, apiVersion: String, kind: String, namespaces: [String]) -> [Informer] {
        let scopes: [String?] = namespaces.isEmpty ? [nil] : namespaces
        return scopes.map { Informer(client: client, apiVersion: apiVersion, kind: kind, namespace: $0, transform: InformerTransform.metadataOnly) }
    }

    /// The kind the controller reconciles: each object is its own key.
    public static func primary(_ informer: Informer) -> Watch {
        Watch(informer: informer, keep: { $0.map(InformerTransform.referenceOnly) }, queuesAllOnSync: true)
    }

    /// A kind the controller owns: `owner` names the primary object an event concerns.
    public static func owned(_ informer: Informer, owner: @escaping @Sendable (InformerEvent) -> InformerEvent?) -> Watch {
        Watch(informer: informer, keep: owner, queuesAllOnSync: false)
    }
}

/// The one shape every informer-fed controller runs in, after controller-runtime's builder:
/// subscribe to each watch, then start its informer, then queue every primary object once
/// synced, and run the reconcile workers until cancelled.
public struct ControllerLoop: Sendable {
    public let name: String
    public let keyLabel: String
    public let workers: Int
    public let metrics: (any ReconcileMetrics)?
    public let logger: Logger

    public init(name: String, keyLabel: String, workers: Int, metrics: (any ReconcileMetrics)?, logger: Logger) {
        self.name = name
        self.keyLabel = keyLabel
        self.workers = workers
        self.metrics = metrics
        self.logger = logger
    }

    public func run(_ reconciler: some Reconciler, queue: WorkQueue<String>, watches: [Watch]) async {
        await withTaskGroup(of: Void.self) { group in
            for watch in watches {
                // Subscribed before the informer lists, so no change between the two is lost.
                let events = await watch.informer.events(keeping: watch.keep)
                group.addTask { for await e in events { await queue.add(ObjectKey.of(e.object)) } }
                group.addTask { await watch.informer.run() }
                if watch.queuesAllOnSync {
                    group.addTask {
                        await watch.informer.waitUntilSynced()
                        for object in await watch.informer.list() { await queue.add(ObjectKey.of(object)) }
                    }
                }
            }
            await ReconcileWorkers.runUntilCancelled(
                reconciler, queue: queue, count: workers, controller: name, keyLabel: keyLabel, metrics: metrics, logger: logger)
            group.cancelAll()
        }
    }
}
