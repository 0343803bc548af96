public import ControllerRuntime
public import Foundation
public import Kube
public import Logging
public import Manifests
public import ModelRegistry
public import Promotion
public import Rollout
public import YAML

/// Moves model versions through a ModelPipeline's environments by committing to git: reads each
/// environment's ModelDeployment, the registry and (for soaks) Prometheus, asks
/// `PromotionDecision` what to do, and does it — a commit, the registry's aliases and tags, the
/// pipeline's status. Git then changes the cluster, through the source and rollout controllers.
public actor PromotionController: Reconciler {
    public static let apiVersion = "sluice.dev/v1alpha1"
    public static let kind = "ModelPipeline"
    public static let fieldManager = "sluice-promotion"

    let client: any KubeAPI
    let registries: @Sendable (RegistrySpec) -> any ModelRegistry
    let committer: (any PromotionCommitter)?
    let slos: (any MetricsSource)?
    let metrics: SluiceMetrics?
    let notifications: NotificationHub?
    let logger: Logger
    let events: EventRecorder
    /// How often a pipeline is looked at again: the registry's poll, and the soak clock.
    let interval: Double
    let clock: @Sendable () -> Date
    public let queue = WorkQueue<String>()
    let pipelines: [Informer]
    public private(set) var reconciles = 0

    public init(
        client: any KubeAPI, registries: @escaping @Sendable (RegistrySpec) -> any ModelRegistry, committer: (any PromotionCommitter)?,
        prometheus: (any MetricsSource)?, logger: Logger, namespaces: [String] = [], interval: Double = 30, metrics: SluiceMetrics? = nil,
        notifications: NotificationHub? = nil, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.notifications = notifications
        self.metrics = metrics
        self.client = client
        self.registries = registries
        self.committer = committer
        self.slos = prometheus
        self.logger = logger
        self.interval = interval
        self.clock = clock
        events = EventRecorder(client: client)
        pipelines = Watch.informers(client: client, apiVersion: Self.apiVersion, kind: Self.kind, namespaces: namespaces)
    }

    /// Watches ModelPipelines and reconciles each every `interval` and on every change, until cancelled.
    public func run(workers: Int = 1) async {
        let loop = ControllerLoop(name: "promotion", keyLabel: "modelpipeline", workers: workers, metrics: nil, logger: logger)
        await loop.run(self, queue: queue, watches: pipelines.map(Watch.primary))
    }

    static func reference(_ key: String) -> ObjectReference { ObjectKey.reference(key, apiVersion: apiVersion, kind: kind) }

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        reconciles += 1
        let ref = Self.reference(key)
        guard let object = try await client.getIfExists(ref) else { return .done }
        // An audit trail or review list that cannot be read stops the pass: writing a status now
        // would forget them.
        var status = try PipelineStatus.read(object["status"], of: key)
        status.observedGeneration = Int(object[path: ["metadata", "generation"]]?.intValue ?? 0)
        let spec: PipelineSpec
        switch PipelineSpec.parse(object) {
        case .failure(let errors):
            status.error = "ModelPipeline \(key): \(errors.description)"
            try await write(status, to: ref)
            return .done
        case .success(let s): spec = s
        }
        let now = clock()
        let before = status
        var gathered = try await observe(spec)
        let registry = spec.registry.map(registries)
        let registryState = await observeRegistry(spec, registry, gathered.observations)
        let approvals = try PipelineApprovals.read(object["status"], of: key)
        let problems = await ignoredApprovals(object, ref: ref, previous: status.error)
        let soak = await soakVerdicts(spec, &gathered, now: now)
        let verdicts = PromotionDecision.decide(
            .init(
                pipeline: spec, environments: gathered.observations, registry: registryState, soak: soak, approvals: approvals, reviews: status.reviews,
                now: now))
        status.error = problems.isEmpty ? nil : problems.joined(separator: "; ")
        status.update(verdicts, observations: gathered.observations, now: now)
        Self.recordRegistration(registryState, spec: spec, status: &status, now: now)
        status.registry = Self.registryStatus(registryState)
        for verdict in verdicts {
            guard let promotion = verdict.promotion, let target = gathered.objects[promotion.environment] else { continue }
            await promote(promotion, spec: spec, target: target, status: &status, ref: ref, uid: object[path: ["metadata", "uid"]]?.stringValue, now: now)
        }
        // Only what runs now is reflected: a promotion committed this pass reaches the registry
        // once its canary has promoted.
        if case .answered(_, let versions) = registryState, let registry {
            await syncRegistry(spec, registry, gathered.observations, versions, status: &status, now: now)
        }
        try await write(status, to: ref)
        metrics?.pipelineObserved(namespace: ref.namespace ?? "", name: ref.name, status: status)
        if let notifications {
            let labels = Manifest(object: object, source: ObjectSource(file: "", document: 0, line: 0)).labels
            for e in PipelineNotifications.events(before: before, after: status, namespace: ref.namespace ?? "", name: ref.name, now: now) {
                await notifications.publish(e, labels: labels)
            }
        }
        return ReconcileResult(requeueAfter: interval)
    }

    /// Approval annotations written on the object approve nothing; they are reported (an Event
    /// the first time) as problems of the pass.
    func ignoredApprovals(_ object: Value, ref: ObjectReference, previous: String?) async -> [String] {
        let claimed = (object[path: ["metadata", "annotations"]]?.objectValue ?? [:]).keys.filter {
            $0.hasPrefix(PipelineApprovals.ignoredAnnotationPrefix)
        }.sorted()
        guard !claimed.isEmpty else { return [] }
        let problem =
            "annotation \(claimed.joined(separator: ", ")) approves nothing: approvals are recorded by the controller for a caller the API server vouches for (sluice approve)"
        if previous != problem {
            await events.post(ref, uid: object[path: ["metadata", "uid"]]?.stringValue, kind: .warning, reason: "ApprovalIgnored", message: problem)
        }
        return [problem]
    }

    /// A history record when the registry selects a new candidate.
    static func recordRegistration(_ registryState: RegistryObservation, spec: PipelineSpec, status: inout PipelineStatus, now: Date) {
        if case .answered(let candidate?, _) = registryState, candidate.version != status.registry?.candidate {
            let selector = spec.registry?.alias.map { "alias \($0)" } ?? spec.registry?.tag.map { "tag \($0.key)=\($0.value)" } ?? ""
            status.record(
                PipelineRecord(
                    time: now, environment: "registry", version: candidate.version, event: "Registered",
                    message: "\(selector) selects version \(candidate.version)\(candidate.runId.map { " (run \($0))" } ?? "")"))
        }
    }

    struct Gathered {
        var observations: [String: EnvironmentObservation] = [:]
        var objects: [String: Value] = [:]
    }

    /// Every environment's ModelDeployment. A read that fails, or a status that cannot be read,
    /// throws: no promotion is decided on a guess.
    func observe(_ spec: PipelineSpec) async throws -> Gathered {
        var out = Gathered()
        for env in spec.environments {
            let ref = ObjectReference(
                apiVersion: RolloutController.apiVersion, kind: RolloutController.kind, namespace: env.namespace, name: env.modelDeployment)
            let object = try await client.getIfExists(ref)
            out.observations[env.name] = try EnvironmentObservation.of(env.name, object: object, key: "\(env.namespace)/\(env.modelDeployment)")
            if let object { out.objects[env.name] = object }
        }
        return out
    }

    /// The candidate and every registry version the decision and the alias sync may look at.
    func observeRegistry(_ spec: PipelineSpec, _ registry: (any ModelRegistry)?, _ observations: [String: EnvironmentObservation]) async
        -> RegistryObservation
    {
        guard let registry, let registrySpec = spec.registry else { return .none }
        do {
            let candidate: RegistryVersion?
            if let alias = registrySpec.alias {
                candidate = try await registry.version(alias: alias)
            } else if let tag = registrySpec.tag {
                candidate = try await registry.newestVersion(tagged: tag)
            } else {
                candidate = nil
            }
            var versions: [String: RegistryVersion] = [:]
            if let candidate { versions[candidate.version] = candidate }
            var wanted = Set<String>()
            for o in observations.values {
                let named = [o.desired, o.stable].compactMap { $0 } + o.failed.map { ModelVersionFields(version: $0.version, image: "", uri: nil) }
                for fields in named {
                    if let n = RegistryMapping.registryVersion(of: fields, model: registrySpec.model) { wanted.insert(n) }
                }
            }
            for n in wanted.sorted() where versions[n] == nil {
                if let v = try await registry.version(n) { versions[n] = v }
            }
            return .answered(candidate: candidate, versions: versions)
        } catch {
            logger.warning("the model registry cannot be read; promotions hold", metadata: ["registry": "\(registrySpec.url)", "error": "\(error)"])
            return .unavailable(error.description)
        }
    }

    /// The upstream SLOs over each soak that has run its time (asked of Prometheus only then).
    func soakVerdicts(_ spec: PipelineSpec, _ gathered: inout Gathered, now: Date) async -> [String: SoakVerdict] {
        var out: [String: SoakVerdict] = [:]
        for (i, env) in spec.environments.enumerated() where i > 0 && env.soakTime > 0 {
            let upstreamName = spec.environments[i - 1].name
            guard let upstream = gathered.observations[upstreamName], let proven = upstream.succeeded, let promotedAt = upstream.promotedAt,
                now.timeIntervalSince(promotedAt) >= env.soakTime, gathered.observations[env.name]?.desired?.version != proven.version,
                let object = gathered.objects[upstreamName]
            else { continue }
            guard let slos else {
                out[env.name] = .unavailable("no Prometheus is configured (--prometheus-url)")
                continue
            }
            guard case .success(let upstreamSpec) = ModelDeploymentSpec.parse(object, policy: .unrestricted) else {
                out[env.name] = .unavailable("the ModelDeployment in \(upstreamName) does not parse")
                continue
            }
            // The soak is judged by the SLOs of the environment being promoted into, measured
            // where the version ran: whoever writes the upstream's spec must not pick the queries
            // (a `vector(0)`) that let it into production.
            guard let here = gathered.objects[env.name], case .success(let targetSpec) = ModelDeploymentSpec.parse(here, policy: .unrestricted) else {
                out[env.name] = .unavailable("the ModelDeployment in \(env.name) does not parse: its SLOs judge the soak")
                continue
            }
            var checks: [SLOCheck] = []
            let confidence = Judge.confidence(targetSpec.confidence, sharedBy: targetSpec.slos)
            // One look over the whole soak window, judged as such: there are no intervals to
            // wait for or to measure bursts between (a rate verdict otherwise waits for a second).
            var soak = JudgeState()
            soak.intervals = 1
            for slo in targetSpec.slos {
                let measured = await SLOMeasurement.measure(slo, upstreamSpec, version: proven.version, stable: nil, window: env.soakTime, from: slos)
                checks.append(Judge.evaluate(slo, canary: measured, stable: nil, confidence: confidence, state: soak))
            }
            out[env.name] = SoakJudgement.verdict(checks, window: env.soakTime)
        }
        return out
    }

    func promote(_ p: PromotionCommit, spec: PipelineSpec, target: Value, status: inout PipelineStatus, ref: ObjectReference, uid: String?, now: Date) async {
        let message = PromotionMessage.commit(p, pipeline: spec)
        let branch = spec.reviewBranch.map {
            $0.replacingOccurrences(of: "{{environment}}", with: p.environment).replacingOccurrences(of: "{{version}}", with: p.fields.version)
        }
        let log = logger.with(["pipeline": "\(ref.namespace ?? "")/\(ref.name)", "environment": "\(p.environment)", "version": "\(p.fields.version)"])
        guard let committer else {
            status.record(
                PipelineRecord(
                    time: now, environment: p.environment, version: p.fields.version, event: "PromotionFailed",
                    message: "no git source of this controller can commit"))
            return
        }
        do {
            guard let env = spec.environment(p.environment) else { return }
            let targetRef = ObjectReference(
                apiVersion: RolloutController.apiVersion, kind: RolloutController.kind, namespace: env.namespace, name: env.modelDeployment)
            guard let commit = try await committer.commit(pipeline: ref, target: targetRef, object: target, fields: p.fields, message: message, pushTo: branch)
            else {
                // Committed by an earlier pass (or a person): the source has not applied it yet.
                if let i = status.environments.firstIndex(where: { $0.name == p.environment }) {
                    status.environments[i].message = "git names \(p.fields.version) already; waiting for the source to apply it"
                }
                return
            }
            let event = branch == nil ? "Promoted" : "ReviewRequested"
            let text = branch.map { "committed \(p.fields.version) to branch \($0) for review" } ?? "committed \(p.fields.version) from \(p.from)"
            status.record(PipelineRecord(time: now, environment: p.environment, version: p.fields.version, event: event, commit: commit, message: text))
            if let branch { status.reviews.append(ReviewRecord(environment: p.environment, version: p.fields.version, branch: branch, commit: commit)) }
            if let i = status.environments.firstIndex(where: { $0.name == p.environment }) { status.environments[i].message = "\(text) (\(commit.prefix(12)))" }
            log.info("promotion committed", metadata: ["commit": "\(commit)", "branch": "\(branch ?? "")"])
            await events.post(ref, uid: uid, kind: .normal, reason: event, message: "\(p.environment): \(text) (\(commit.prefix(12)))")
        } catch {
            status.record(PipelineRecord(time: now, environment: p.environment, version: p.fields.version, event: "PromotionFailed", message: "\(error)"))
            if let i = status.environments.firstIndex(where: { $0.name == p.environment }) {
                status.environments[i].message = "promotion commit failed: \(error)"
            }
            log.error("promotion commit failed", metadata: ["error": "\(error)"])
            await events.post(ref, uid: uid, kind: .warning, reason: "PromotionFailed", message: "\(p.environment): \(error)")
        }
    }

    /// Moves aliases to what runs and tags what was rolled back; a review merged (the
    /// environment now names its version) leaves the review list.
    func syncRegistry(
        _ spec: PipelineSpec, _ registry: any ModelRegistry, _ observations: [String: EnvironmentObservation], _ versions: [String: RegistryVersion],
        status: inout PipelineStatus, now: Date
    ) async {
        status.reviews.removeAll { r in observations[r.environment]?.desired?.version == r.version }
        let plan = RegistrySync.plan(pipeline: spec, environments: observations, versions: versions)
        do {
            for change in plan.aliases {
                try await registry.setAlias(change.alias, version: change.version)
                status.record(
                    PipelineRecord(
                        time: now, environment: change.alias, version: change.version, event: "AliasMoved",
                        message: "registry alias \(change.alias) → version \(change.version)"))
            }
            for tag in plan.tags {
                try await registry.setTag(version: tag.version, key: tag.key, value: tag.value)
                status.record(
                    PipelineRecord(
                        time: now, environment: String(tag.key.dropFirst("sluice.failed.".count)), version: tag.version, event: "Tagged",
                        message: "\(tag.key)=\(tag.value)"))
            }
        } catch {
            status.registry?.reachable = false
            status.registry?.message = "updating the registry failed: \(error.description)"
        }
    }

    static func registryStatus(_ observation: RegistryObservation) -> PipelineStatus.Registry? {
        switch observation {
        case .none: return nil
        case .unavailable(let why): return PipelineStatus.Registry(candidate: nil, reachable: false, message: why)
        case .answered(let candidate, _):
            return PipelineStatus.Registry(candidate: candidate?.version, reachable: true, message: candidate == nil ? "no version is selected" : "")
        }
    }

    func write(_ status: PipelineStatus, to ref: ObjectReference) async throws {
        let body: Value = [
            "apiVersion": .string(Self.apiVersion), "kind": .string(Self.kind),
            "metadata": ["name": .string(ref.name), "namespace": .string(ref.namespace ?? "")], "status": try status.value(),
        ]
        _ = try await client.apply(body, fieldManager: Self.fieldManager, subresource: "status")
    }
}

extension Logger {
    func with(_ metadata: Logger.Metadata) -> Logger {
        var copy = self
        for (k, v) in metadata { copy[metadataKey: k] = v }
        return copy
    }
}
