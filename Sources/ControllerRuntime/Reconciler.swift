public import Logging

/// When a reconciler wants to look at a key again, whatever happens meanwhile.
public struct ReconcileResult: Sendable, Equatable {
    /// Seconds; nil: only when something it watches changes.
    public var requeueAfter: Double?
    /// The pass failed in a way the reconciler has already handled (recorded in status, to be
    /// tried again at `requeueAfter`): counted as a failure, but not backed off as an error is.
    public var failed: Bool

    public init(requeueAfter: Double? = nil, failed: Bool = false) {
        self.requeueAfter = requeueAfter
        self.failed = failed
    }

    public static let done = ReconcileResult()
}

/// The whole contract of a controller, after controller-runtime's: make the world match one
/// key's desired state, and say when to look again. A thrown error is retried with backoff.
/// Everything a reconciler needs (the API, metrics, git, the clock) is given to it, so a test
/// calls `reconcile` directly and asserts what it wrote.
public protocol Reconciler: Sendable {
    func reconcile(_ key: String) async throws -> ReconcileResult
}

/// The loop around a reconciler, the same for every controller: `count` workers take keys from
/// the queue (never one key on two workers), a success forgets the key's failures and honours
/// its requeue, a failure backs off, and each pass is timed for `/metrics`.
public enum ReconcileWorkers {
    /// `keyLabel` names the key in log lines (`modeldeployment=ml/churn`).
    public static func run(
        _ reconciler: some Reconciler, queue: WorkQueue<String>, count: Int, controller: String, keyLabel: String = "key", metrics: (any ReconcileMetrics)?,
        logger: Logger
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, count) {
                group.addTask {
                    while let key = await queue.next() {
                        await process(key, reconciler, queue: queue, controller: controller, keyLabel: keyLabel, metrics: metrics, logger: logger)
                        await queue.done(key)
                    }
                }
            }
        }
    }

    /// `run` until the calling task is cancelled, then shuts the queue down: each worker
    /// finishes the key it holds and returns. A controller's `run` is this beside its informers.
    public static func runUntilCancelled(
        _ reconciler: some Reconciler, queue: WorkQueue<String>, count: Int, controller: String, keyLabel: String = "key", metrics: (any ReconcileMetrics)?,
        logger: Logger
    ) async {
        await withTaskCancellationHandler {
            await run(reconciler, queue: queue, count: count, controller: controller, keyLabel: keyLabel, metrics: metrics, logger: logger)
        } onCancel: {
            Task { await queue.shutdown() }
        }
    }

    static func process(
        _ key: String, _ reconciler: some Reconciler, queue: WorkQueue<String>, controller: String, keyLabel: String, metrics: (any ReconcileMetrics)?,
        logger: Logger
    ) async {
        let started = ContinuousClock.now
        func seconds() -> Double { (ContinuousClock.now - started) / .seconds(1) }
        do {
            let result = try await reconciler.reconcile(key)
            metrics?.reconciled(controller: controller, seconds: seconds(), failed: result.failed)
            await queue.forget(key)
            if let after = result.requeueAfter { await queue.add(key, after: after) }
        } catch {
            metrics?.reconciled(controller: controller, seconds: seconds(), failed: true)
            logger.error("reconcile failed", metadata: [keyLabel: "\(key)", "controller": "\(controller)", "error": "\(error)"])
            await queue.addRateLimited(key)
        }
        metrics?.queueDepth(controller: controller, depth: await queue.depth)
    }
}
