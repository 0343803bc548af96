public import ControllerRuntime
public import Foundation
public import Kube
public import Logging
public import Manifests
public import Rollout
import Sync
public import YAML

/// Observations a rollout emits for metrics (phase, weight, analysis, rollbacks).
public protocol RolloutObserver: Sendable {
    func rolloutObserved(namespace: String, name: String, status: RolloutStatus)
    func rolledBack(namespace: String, name: String, version: String)
    /// A canary ended without a verdict (traffic back on stable, the version not failed).
    func inconclusive(namespace: String, name: String, version: String)
    func analysisRan(namespace: String, name: String, checks: [SLOCheck])
    /// Whether the status could be read (nil) or not (the error) at the last reconcile.
    func statusReadable(namespace: String, name: String, error: StoredStateError?)
    /// The ModelDeployment is gone and what it rendered removed.
    func rolloutDeleted(namespace: String, name: String)
}

/// Annotations `sluice promote/abort/retry` set on a ModelDeployment; each value is unique per
/// request so the controller acts on it once.
public enum RolloutCommandAnnotation {
    public static let promote = "sluice.dev/promote"
    public static let promoteFull = "sluice.dev/promote-full"
    public static let abort = "sluice.dev/abort"
    /// `<version>@<id>`
    public static let retry = "sluice.dev/retry"

    static func commands(_ annotations: [String: String]) -> [(id: String, command: RolloutCommand)] {
        var out: [(String, RolloutCommand)] = []
        if let id = annotations[promote] { out.append(("promote:\(id)", .promote(full: false))) }
        if let id = annotations[promoteFull] { out.append(("promote-full:\(id)", .promote(full: true))) }
        if let id = annotations[abort] { out.append(("abort:\(id)", .abort)) }
        if let value = annotations[retry], let at = value.lastIndex(of: "@") {
            out.append(("retry:\(value)", .retry(version: String(value[..<at]))))
        }
        return out
    }
}

/// Turns ModelDeployments into running versions: observes, asks `RolloutMachine` what to do,
/// does it. All state is in the resource's status.
public actor RolloutController: Reconciler {
    public static let fieldManager = "sluice-rollout"
    public static let apiVersion = "sluice.dev/v1alpha1"
    public static let kind = "ModelDeployment"

    let client: any KubeAPI
    /// Where SLO queries go (Prometheus); nil when none is configured.
    let slos: (any MetricsSource)?
    /// What a ModelDeployment template may ask of its pods: the operator's setting.
    let podPolicy: PodPolicy
    let logger: Logger
    let events: EventRecorder
    /// Namespaces watched (empty: all).
    let namespaces: [String]
    let observer: (any RolloutObserver)?
    let metrics: SluiceMetrics?
    let reverter: (any GitReverter)?
    let clock: @Sendable () -> Date
    public let queue = WorkQueue<String>()
    /// One informer per watched namespace (or one for all).
    let models: [Informer]
    let deployments: [Informer]
    public private(set) var reconciles = 0
    /// Where people are told what happened (nil: nowhere).
    let notifications: NotificationHub?
    /// ModelDeployments looked at since this controller started: the first look re-announces
    /// the last hour's rollbacks, so a restart loses none that was not yet delivered.
    var announced = Set<String>()

    public init(
        client: any KubeAPI, prometheus: (any MetricsSource)?, logger: Logger, namespaces: [String] = [], observer: (any RolloutObserver)? = nil,
        reverter: (any GitReverter)? = nil, metrics: SluiceMetrics? = nil, podPolicy: PodPolicy = .restricted, notifications: NotificationHub? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.notifications = notifications
        self.podPolicy = podPolicy
        self.metrics = metrics
        self.client = client
        self.slos = prometheus
        self.logger = logger
        self.namespaces = namespaces
        self.observer = observer ?? metrics
        self.reverter = reverter
        self.clock = clock
        events = EventRecorder(client: client)
        let scopes: [String?] = namespaces.isEmpty ? [nil] : namespaces
        // Reconciles read ModelDeployments fresh; the caches keep only what they are asked for.
        models = Watch.informers(client: client, apiVersion: Self.apiVersion, kind: Self.kind, namespaces: namespaces)
        deployments = scopes.map {
            Informer(
                client: client, apiVersion: "apps/v1", kind: "Deployment", namespace: $0, labelSelector: WorkloadRenderer.modelLabel,
                transform: Self.workloadFields)
        }
    }

    /// Watches ModelDeployments and their Deployments and reconciles with `workers` in parallel,
    /// until cancelled. Waits (retrying) while the CRD is not installed.
    public func run(workers: Int = 4) async {
        let loop = ControllerLoop(name: "rollout", keyLabel: "modeldeployment", workers: workers, metrics: metrics, logger: logger)
        await loop.run(self, queue: queue, watches: models.map(Watch.primary) + deployments.map { Watch.owned($0, owner: Self.owningModel) })
    }

    public var synced: Bool {
        get async {
            for m in models where await !m.hasSynced { return false }
            return true
        }
    }

    /// True while the ModelDeployment CRD is not installed: nothing to roll out yet, and the
    /// controller keeps watching for it.
    public var crdMissing: Bool {
        get async {
            for m in models where await m.kindMissing { return true }
            return false
        }
    }

    func informer(for namespace: String) -> Informer? {
        namespaces.isEmpty ? deployments.first : namespaces.firstIndex(of: namespace).map { deployments[$0] }
    }

    /// A Deployment's event as an event of the ModelDeployment that rendered it (namespace and
    /// name only); nil for a Deployment without the model label.
    @Sendable static func owningModel(_ event: InformerEvent) -> InformerEvent? {
        guard let owner = event.object[path: ["metadata", "labels", WorkloadRenderer.modelLabel]]?.stringValue else { return nil }
        let namespace = event.object[path: ["metadata", "namespace"]] ?? .null
        return event.map { _ in Value.object(["metadata": ["namespace": namespace, "name": .string(owner)]]).detached() }
    }

    /// One reconcile of one ModelDeployment. Returns when to look again.
    public func reconcile(_ key: String) async throws -> ReconcileResult {
        ReconcileResult(requeueAfter: try await reconcileModel(key))
    }

    func reconcileModel(_ key: String) async throws -> Double? {
        reconciles += 1
        let ref = ObjectKey.reference(key, apiVersion: Self.apiVersion, kind: Self.kind)
        guard !ref.name.isEmpty else { return nil }
        let (ns, name) = (ref.namespace ?? "", ref.name)
        guard let object = try await client.getIfExists(ref) else {
            try await cleanUp(namespace: ns, name: name)
            observer?.rolloutDeleted(namespace: ns, name: name)
            return nil
        }
        // Being deleted (a finalizer holds it): the garbage collector decides what happens to
        // what it rendered, and nothing new should be rendered for it.
        if object[path: ["metadata", "deletionTimestamp"]] != nil { return nil }
        var log = logger
        log[metadataKey: "modeldeployment"] = "\(key)"
        guard let (spec, stored) = try await readState(ref, object, key: key, log: log) else { return nil }
        log[metadataKey: "version"] = "\(spec.version)"
        let seen: Seen
        do {
            seen = try await observe(ref, object, spec: spec, stored: stored, log: log)
        } catch let e as ScaleUnreadable {
            try await holdScaleUnreadable(ref, object, stored, e, log: log)
            return RolloutMachine.readinessPoll
        }
        let decision = RolloutMachine.next(seen.previous, seen.observation)
        try await act(decision, ref, object, spec: spec, stored: stored, previous: seen.previous, autoscalers: seen.autoscalers, log: log)
        await announce(decision, key: key, object: object, previous: seen.previous, now: seen.observation.now)
        observer?.rolloutObserved(namespace: ns, name: name, status: decision.status)
        return decision.requeueAfter
    }

    /// The status and the spec, or nil when either cannot be used: a status that does not read
    /// holds everything as it runs (never an empty status a decision is built on), and a spec
    /// that does not parse is reported and moves no traffic.
    func readState(_ ref: ObjectReference, _ object: Value, key: String, log: Logger) async throws -> (ModelDeploymentSpec, RolloutStatus)? {
        let (ns, name) = (ref.namespace ?? "", ref.name)
        let uid = object[path: ["metadata", "uid"]]?.stringValue
        let stored: RolloutStatus
        do {
            stored = try RolloutStatus.read(object["status"], of: key)
        } catch {
            observer?.statusReadable(namespace: ns, name: name, error: error)
            try await holdUnreadable(ref, object, error, uid: uid, log: log)
            return nil
        }
        observer?.statusReadable(namespace: ns, name: name, error: nil)
        switch ModelDeploymentSpec.parse(object, policy: podPolicy) {
        case .success(let spec): return (spec, stored)
        case .failure(let errors):
            var status = stored
            let message = "invalid spec: " + errors.errors.map(\.description).joined(separator: "; ")
            if status.message != message {
                status.phase = .failed
                status.message = message
                try await writeStatus(ref, status, generation: Self.generation(of: object), previous: object)
                await events.post(ref, uid: uid, kind: .warning, reason: "InvalidSpec", message: message)
                log.error("invalid spec", metadata: ["errors": "\(message)"])
            }
            return nil
        }
    }

    static func generation(of object: Value) -> Int { Int(object[path: ["metadata", "generation"]]?.intValue ?? 0) }

    /// What the machine decides on: the status as the cluster remembers it (failures marked on
    /// Deployments always count; a status that remembers nothing is rebuilt from them), the
    /// versions' pods, and the SLOs and probe when due.
    /// What one look saw: the status as recovered, the observation, the HPAs found.
    struct Seen {
        var previous: RolloutStatus
        var observation: Observation
        var autoscalers: [String: Value]
    }

    func observe(_ ref: ObjectReference, _ object: Value, spec: ModelDeploymentSpec, stored: RolloutStatus, log: Logger) async throws -> Seen {
        let (ns, name) = (ref.namespace ?? "", ref.name)
        let now = clock()
        let record = ClusterRecord(deployments: try await ownedDeployments(ns, name, whole: stored.remembersNothing))
        let recovery = RolloutRecovery.recover(stored, from: record, now: now)
        let previous = recovery.status
        if !recovery.restored.isEmpty {
            let message =
                (recovery.rebuilt ? "status rebuilt from the Deployments it owns: " : "restored from its Deployments: ")
                + recovery.restored.joined(separator: ", ")
            log.warning("\(message)")
            await events.post(
                ref, uid: object[path: ["metadata", "uid"]]?.stringValue, kind: .warning, reason: recovery.rebuilt ? "StatusRebuilt" : "FailureRestored",
                message: message)
        }
        var autoscalers: [String: Value] = [:]
        var scale: ScaleObservation?
        if Self.readsScale(spec, previous) {
            autoscalers = try await self.autoscalers(ns, name)
            scale = try await observeScale(ns, name, previous, hpas: autoscalers)
        }
        let annotations = Manifest(object: object, source: ObjectSource(file: "", document: 0, line: 0)).annotations
        let stableState = try await workload(ns, name, previous.stable?.version)
        let canaryState = try await workload(ns, name, previous.canary?.version)
        var analysis: [SLOCheck]?
        if RolloutMachine.analysisDue(previous, spec: spec, now: now, canary: canaryState) {
            analysis = await analyze(spec, previous, now: now)
            observer?.analysisRan(namespace: ns, name: name, checks: analysis ?? [])
        }
        var answer: Bool?
        if RolloutMachine.probeDue(previous, spec: spec, now: now), let stable = previous.stable?.version {
            answer = await queriesAnswer(spec, stable: stable)
        }
        let observation = Observation(
            now: now, spec: spec, generation: Self.generation(of: object), revision: annotations["sluice.dev/revision"], stable: stableState,
            canary: canaryState, analysis: analysis, commands: RolloutCommandAnnotation.commands(annotations), queriesAnswer: answer, scale: scale)
        return Seen(previous: previous, observation: observation, autoscalers: autoscalers)
    }

    /// Carries a decision out. Traffic first, pods after: a rollback moves weight to stable
    /// before the canary scales down; then the status, the events and a revert commit.
    func act(
        _ decision: Decision, _ ref: ObjectReference, _ object: Value, spec: ModelDeploymentSpec, stored: RolloutStatus, previous: RolloutStatus,
        autoscalers: [String: Value], log: Logger
    ) async throws {
        let (ns, name) = (ref.namespace ?? "", ref.name)
        let uid = object[path: ["metadata", "uid"]]?.stringValue
        let owner = uid.map { WorkloadRenderer.Owner(name: name, uid: $0) }
        let objects = WorkloadRenderer.objects(spec: spec, topology: decision.topology, owner: owner)
        // First, so a Deployment whose HPA goes (a canary back at no traffic) is never sized by
        // Sluice while an HPA still controls it.
        try await removeStaleAutoscalers(autoscalers, rendered: objects, keeping: decision.status.handover, namespace: ns)
        for o in WorkloadRenderer.inApplyOrder(objects) {
            if o["kind"]?.stringValue == "Deployment" && o[path: ["spec", "replicas"]] == nil {
                try await applyScaled(o, start: Self.startSize(of: o, in: objects, spec: spec))
            } else {
                _ = try await client.apply(o, fieldManager: Self.fieldManager)
            }
        }
        let scaled = Self.readsScale(spec, previous)
        for version in decision.retire { try await retire(ns, name, version, router: spec.router, autoscaled: scaled) }
        if decision.status != stored {
            try await writeStatus(ref, decision.status, generation: Self.generation(of: object), previous: object)
        }
        for e in decision.events {
            do {
                try await events.record(ref, uid: uid, kind: e.kind == .warning ? .warning : .normal, reason: e.reason, message: e.message)
            } catch {
                log.warning("cannot record event", metadata: ["error": "\(error)"])
            }
            if e.kind == .warning {
                log.warning("\(e.message)", metadata: ["reason": "\(e.reason)"])
            } else {
                log.info("\(e.message)", metadata: ["reason": "\(e.reason)"])
            }
        }
        if let i = decision.status.inconclusive, i.holding, previous.inconclusive?.holding != true || previous.inconclusive?.time != i.time {
            observer?.inconclusive(namespace: ns, name: name, version: i.version)
        } else if decision.status.phase == .rolledBack, previous.phase != .rolledBack, let failed = decision.status.failedVersions.last {
            observer?.rolledBack(namespace: ns, name: name, version: failed.version)
        }
        if let revert = decision.revert { await commitRevert(revert, of: object, ref, uid: uid, log: log) }
    }

    func commitRevert(_ revert: RevertRequest, of object: Value, _ ref: ObjectReference, uid: String?, log: Logger) async {
        guard let reverter else {
            log.warning("spec.rollback.revertCommit is set but this controller has no git source for the object")
            return
        }
        do {
            let commit = try await reverter.revert(object: object, request: revert)
            log.info("reverted the model version in git", metadata: ["commit": "\(commit)"])
            await events.post(
                ref, uid: uid, kind: .normal, reason: "RevertCommitted", message: "git commit \(commit.prefix(7)) restores \(revert.stable.version)")
        } catch {
            log.error("cannot commit the revert to git", metadata: ["error": "\(error)"])
            await events.post(ref, uid: uid, kind: .warning, reason: "RevertFailed", message: "\(error)")
        }
    }

    /// The status cannot be read: say so in a condition (and once in an Event), leave the status
    /// and everything that runs as they are. The status's own change (fixed, or removed so it is
    /// rebuilt) triggers the next reconcile.
    func holdUnreadable(_ ref: ObjectReference, _ object: Value, _ error: StoredStateError, uid: String?, log: Logger) async throws {
        let previous = object[path: ["status", "conditions"]]
        let conditions = Conditions.unreadable(error, previous: previous, now: clock())
        func unreadable(_ list: [Value]?) -> Value? { list?.first { $0["type"]?.stringValue == Conditions.statusUnreadable } }
        let wanted = unreadable(conditions)
        let current = unreadable(previous?.arrayValue)
        guard current?["status"] != wanted?["status"] || current?["message"] != wanted?["message"] else { return }
        log.error("the status cannot be read; nothing that runs is changed", metadata: ["error": "\(error)"])
        _ = try await client.mergePatch(ref, ["status": ["conditions": .array(conditions)]], subresource: "status", fieldManager: Self.fieldManager)
        await events.post(ref, uid: uid, kind: .warning, reason: Conditions.statusUnreadable, message: error.description)
    }

    func writeStatus(_ ref: ObjectReference, _ status: RolloutStatus, generation: Int, previous object: Value) async throws {
        let conditions = Conditions.value(
            Conditions.rollout(status, generation: generation), previous: object[path: ["status", "conditions"]]?.arrayValue ?? [], now: clock())
        let body: Value = [
            "apiVersion": .string(Self.apiVersion), "kind": .string(Self.kind),
            "metadata": ["name": .string(ref.name), "namespace": .string(ref.namespace ?? "default")],
            "status": try status.value(conditions: conditions),
        ]
        _ = try await client.apply(body, fieldManager: Self.fieldManager, subresource: "status")
    }

    /// The ModelDeployment's Deployments: from the cache when it is synced and only what it keeps
    /// is needed (labels and failure marks), else from the API. A failed list throws: an
    /// unanswered question is never taken for "no Deployments".
    func ownedDeployments(_ ns: String, _ name: String, whole: Bool) async throws -> [Value] {
        if !whole, let informer = informer(for: ns), await informer.hasSynced {
            return await informer.list(namespace: ns, labels: [WorkloadRenderer.modelLabel: name])
        }
        let selector = ListOptions(labelSelector: "\(WorkloadRenderer.modelLabel)=\(name)")
        return try await client.listAll(apiVersion: "apps/v1", kind: "Deployment", namespace: ns, options: selector).items
    }

    /// A version's Deployment, as the machine needs to see it.
    func workload(_ ns: String, _ name: String, _ version: String?) async throws -> WorkloadState {
        guard let version else { return .missing }
        let ref = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: ns, name: WorkloadRenderer.deploymentName(name, version))
        // The cache answers for a ready Deployment (what a steady state reads); anything else is
        // read fresh, so a cache that missed an update can delay nothing and roll nothing back.
        if let cached = await informer(for: ns)?.get(namespace: ns, name: ref.name), case .ready = Self.state(of: cached) { return .ready }
        return Self.state(of: try await client.getIfExists(ref))
    }

    /// What `state(of:)` reads from a Deployment.
    @Sendable static func workloadFields(_ d: Value) -> Value {
        var out = InformerTransform.identityOnly(d)
        if let g = d[path: ["metadata", "generation"]] { out.set(g, at: ["metadata", "generation"]) }
        // Labels say whose and which version it is; a failure mark must be seen on every reconcile.
        for key in [WorkloadRenderer.modelLabel, WorkloadRenderer.versionLabel, WorkloadRenderer.roleLabel] {
            if let v = d[path: ["metadata", "labels", key]] { out.set(v, at: ["metadata", "labels", key]) }
        }
        if let f = d[path: ["metadata", "annotations", DeploymentRecord.failedAnnotation]] {
            out.set(f, at: ["metadata", "annotations", DeploymentRecord.failedAnnotation])
        }
        if let r = d[path: ["spec", "replicas"]] { out.set(r, at: ["spec", "replicas"]) }
        // Only what `state(of:)` reads: the counts, and the Progressing condition when it reports
        // a missed deadline (its message goes into the rollout's status).
        for key in ["observedGeneration", "availableReplicas", "updatedReplicas", "readyReplicas"] {
            if let v = d[path: ["status", key]] { out.set(v, at: ["status", key]) }
        }
        if let p = d[path: ["status", "conditions"]]?.arrayValue?.first(where: { $0["type"] == "Progressing" && $0["reason"] == "ProgressDeadlineExceeded" }) {
            out.set([["type": "Progressing", "reason": "ProgressDeadlineExceeded", "message": p["message"] ?? .null]], at: ["status", "conditions"])
        }
        return out
    }

    static func state(of d: Value?) -> WorkloadState {
        guard let d else { return .missing }
        switch Health.ofWorkload(d) {
        case (.degraded, let message): return .failed(message)
        case (.healthy, _): return .ready
        default: return .progressing
        }
    }

    /// Measures every SLO for the canary (and the stable version where the SLO compares) over
    /// the time since the canary started, and judges it.
    func analyze(_ spec: ModelDeploymentSpec, _ status: RolloutStatus, now: Date) async -> [SLOCheck] {
        guard let slos else {
            return spec.slos.map {
                SLOCheck(slo: $0.name, outcome: .error, value: nil, stableValue: nil, threshold: nil, message: "no Prometheus configured (--prometheus-url)")
            }
        }
        let window = now.timeIntervalSince(status.canaryStartedAt ?? now)
        let stable = status.stable?.version
        var checks: [SLOCheck] = []
        let confidence = Judge.confidence(spec.confidence, sharedBy: spec.slos)
        for slo in spec.slos {
            let canary = await SLOMeasurement.measure(slo, spec, version: spec.version, stable: stable, window: window, from: slos)
            var stableMeasurement: SLOMeasurement?
            if Self.comparesWithStable(slo), let stable {
                stableMeasurement = await SLOMeasurement.measure(slo, spec, version: stable, stable: stable, window: window, from: slos)
            }
            checks.append(
                Judge.evaluate(slo, canary: canary, stable: stableMeasurement, confidence: confidence, state: status.judge[slo.name] ?? JudgeState()))
        }
        return checks
    }

    static func comparesWithStable(_ slo: SLO) -> Bool {
        if case .distribution = slo.measure { return true }
        return slo.relativeToStable != nil
    }

    /// Whether every SLO's queries answer (for the stable version): before an inconclusive
    /// canary is started again.
    func queriesAnswer(_ spec: ModelDeploymentSpec, stable: String) async -> Bool {
        guard let slos else { return false }
        for slo in spec.slos
        where await SLOMeasurement.measure(slo, spec, version: stable, stable: stable, window: spec.analysisInterval, from: slos).error != nil {
            return false
        }
        return true
    }

    func retire(_ ns: String, _ name: String, _ version: String, router: ModelDeploymentSpec.Router, autoscaled: Bool) async throws {
        if autoscaled {
            _ = try await client.delete(
                ObjectReference(apiVersion: Self.hpaVersion, kind: Self.hpaKind, namespace: ns, name: WorkloadRenderer.autoscalerName(name, version)))
        }
        _ = try await client.delete(
            ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: ns, name: WorkloadRenderer.deploymentName(name, version)))
        if router == .gatewayAPI {
            _ = try await client.delete(
                ObjectReference(apiVersion: "v1", kind: "Service", namespace: ns, name: WorkloadRenderer.versionServiceName(name, version)))
        }
    }

    /// The ModelDeployment is gone: remove what it rendered (a real cluster's garbage collector
    /// would, through owner references; this also covers clusters without one). What was
    /// orphaned (`kubectl delete --cascade=orphan`: the owner reference is gone) is kept: the
    /// user asked for it to keep running, and a ModelDeployment re-created over it (a restore)
    /// rebuilds its rollout from it.
    func cleanUp(namespace ns: String, name: String) async throws {
        let selector = ListOptions(labelSelector: "\(WorkloadRenderer.modelLabel)=\(name)")
        for (apiVersion, kind) in [
            ("apps/v1", "Deployment"), ("v1", "Service"), ("gateway.networking.k8s.io/v1", "HTTPRoute"), (Self.hpaVersion, Self.hpaKind),
        ] {
            let items: [Value]
            do {
                items = try await client.listAll(apiVersion: apiVersion, kind: kind, namespace: ns, options: selector).items
            } catch let e as KubeError where e.reason == .unknownKind {
                continue  // e.g. no Gateway API installed: nothing of that kind was rendered
            }
            for o in items where Self.isOwned(o, byModel: name) {
                _ = try await client.delete(try KubeClient.reference(of: o))
            }
        }
    }

    static func isOwned(_ object: Value, byModel name: String) -> Bool {
        (object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains {
            $0["kind"]?.stringValue == kind && $0["name"]?.stringValue == name && $0["apiVersion"]?.stringValue == apiVersion
        }
    }
}

/// Commits a revert of a failed model version to git (spec.rollback.revertCommit).
public protocol GitReverter: Sendable {
    /// Returns the new commit id.
    func revert(object: Value, request: RevertRequest) async throws -> String
}
