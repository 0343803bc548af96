public import Foundation
public import Rollout
import Values

/// Where each environment of a pipeline stands and what, if anything, to commit. Pure: the
/// shell gathers the observations (cluster, registry, Prometheus, approvals) and carries out
/// the verdicts; the same inputs always give the same answer.
public enum PromotionDecision {
    public struct Inputs: Sendable {
        public var pipeline: PipelineSpec
        /// One per environment of the pipeline, by name.
        public var environments: [String: EnvironmentObservation]
        public var registry: RegistryObservation
        /// The SLOs re-checked over the soak, by downstream environment (only asked for once the
        /// soak time has passed).
        public var soak: [String: SoakVerdict]
        public var approvals: [Approval]
        /// Promotions pushed to a review branch and not merged yet, by environment.
        public var reviews: [ReviewRecord]
        public var now: Date

        public init(
            pipeline: PipelineSpec, environments: [String: EnvironmentObservation], registry: RegistryObservation, soak: [String: SoakVerdict] = [:],
            approvals: [Approval] = [], reviews: [ReviewRecord] = [], now: Date
        ) {
            self.reviews = reviews
            self.pipeline = pipeline
            self.environments = environments
            self.registry = registry
            self.soak = soak
            self.approvals = approvals
            self.now = now
        }
    }

    /// A verdict per environment, in pipeline order. At most one environment is promoted per
    /// pass (the first eligible): each commit is its own, and the next pass sees its effect.
    public static func decide(_ inputs: Inputs) -> [EnvironmentVerdict] {
        var verdicts: [EnvironmentVerdict] = []
        var promoting = false
        for (index, env) in inputs.pipeline.environments.enumerated() {
            var verdict = decide(env, index: index, inputs)
            if verdict.state == .promote {
                if promoting {
                    verdict = .waiting(env.name, .upstream, verdict.version, "next pass: another environment is being promoted in this one")
                }
                promoting = true
            }
            verdicts.append(verdict)
        }
        return verdicts
    }

    /// The candidate an environment would take, and where it came from; or why there is none.
    enum Source {
        case candidate(ModelVersionFields, from: String, upstream: EnvironmentObservation?)
        case none(EnvironmentVerdict)
    }

    static func source(for env: EnvironmentSpec, index: Int, _ inputs: Inputs) -> Source {
        if index == 0 {
            switch inputs.registry {
            case .none:
                return .none(.upToDate(env.name, inputs.environments[env.name]?.desired?.version, "versions come from git commits (no registry)"))
            case .unavailable(let why):
                return .none(.waiting(env.name, .registry, nil, "the registry cannot be read (\(why)): nothing is committed on a guess"))
            case .answered(let candidate, _):
                guard let candidate, let registry = inputs.pipeline.registry else {
                    return .none(.upToDate(env.name, inputs.environments[env.name]?.desired?.version, "no registry version is selected"))
                }
                let (image, uri) = registry.fields(version: candidate.version, source: candidate.source)
                return .candidate(ModelVersionFields(version: candidate.version, image: image, uri: uri), from: "registry", upstream: nil)
            }
        }
        let upstreamName = inputs.pipeline.environments[index - 1].name
        guard let upstream = inputs.environments[upstreamName], let proven = upstream.succeeded else {
            let here = inputs.environments[env.name]?.desired?.version
            return .none(.upToDate(env.name, here, "\(upstreamName) has no promoted version to offer"))
        }
        // The image and URI come from the pipeline's registry definition, never from what the
        // upstream's ModelDeployment says: whoever writes staging must not choose production's
        // image. Without a registry, versions come from git and the upstream's fields are the
        // ones its commit wrote.
        guard let registry = inputs.pipeline.registry else { return .candidate(proven, from: upstreamName, upstream: upstream) }
        var source: String?
        if case .answered(_, let versions) = inputs.registry { source = versions[proven.version]?.source }
        let (image, uri) = registry.fields(version: proven.version, source: source)
        if image != proven.image || (proven.uri != nil && uri != proven.uri && source != nil) {
            return .none(
                .blocked(
                    env.name, .policy, proven.version,
                    "\(upstreamName) runs \(proven.version) as \(proven.image)\(proven.uri.map { " (\($0))" } ?? ""), not as the pipeline's registry names it (\(image), \(uri)): not promoted"
                ))
        }
        return .candidate(ModelVersionFields(version: proven.version, image: image, uri: uri), from: upstreamName, upstream: upstream)
    }

    static func decide(_ env: EnvironmentSpec, index: Int, _ inputs: Inputs) -> EnvironmentVerdict {
        var verdict = decideVersion(env, index: index, inputs)
        if verdict.image == nil, verdict.state != .upToDate, case .candidate(let c, _, _) = source(for: env, index: index, inputs), c.version == verdict.version
        {
            verdict.image = c.image
        }
        return verdict
    }

    static func decideVersion(_ env: EnvironmentSpec, index: Int, _ inputs: Inputs) -> EnvironmentVerdict {
        guard let here = inputs.environments[env.name], let current = here.desired else {
            return .blocked(env.name, .upstream, nil, "ModelDeployment \(env.namespace)/\(env.modelDeployment) is not in the cluster: sync its source first")
        }
        let (candidate, from, upstream): (ModelVersionFields, String, EnvironmentObservation?)
        switch source(for: env, index: index, inputs) {
        case .none(let verdict): return verdict
        case .candidate(let c, let f, let u): (candidate, from, upstream) = (c, f, u)
        }
        let v = candidate.version
        if current.version == v {
            return .upToDate(env.name, v, here.busy ? "rolling out \(v)" : "runs \(v)")
        }
        if let review = inputs.reviews.first(where: { $0.environment == env.name && $0.version == v }) {
            return .waiting(env.name, .review, v, "\(v) is committed to branch \(review.branch) (\(review.commit.prefix(12))) for review: merging it promotes")
        }
        if let failed = here.failed.first(where: { $0.version == v }) {
            return .blocked(env.name, .failedHere, v, "\(v) was rolled back here: \(failed.reason); not promoted again")
        }
        if here.busy {
            return .waiting(env.name, .inProgress, v, "a canary of \(current.version) is under way here; \(v) waits for it to end")
        }
        let violations = Policy.violations(candidate, environment: here, policy: env.policy)
        if !violations.isEmpty {
            return .blocked(env.name, .policy, v, violations.joined(separator: "; "))
        }
        var evidence: [String] = []
        if !env.policy.metrics.isEmpty {
            switch metricCheck(env, candidate: candidate, inputs) {
            case .stop(let verdict): return verdict
            case .held(let line): evidence.append(line)
            }
        }
        if let upstream {
            let gate = upstreamGate(env, upstream, from: from, version: v, inputs)
            if let stop = gate.stop { return stop }
            evidence += gate.lines
        }
        let approved = approvalGate(env, candidate: candidate, version: v, inputs)
        if let stop = approved.stop { return stop }
        let approval = approved.approval
        if let given = approval { evidence.append("approved by \(given.by) at \(Self.timestamp(given.at))") }
        var verdict = EnvironmentVerdict(
            environment: env.name, state: .promote, gate: nil, version: v, message: "promoting \(v) from \(from)")
        verdict.promotion = PromotionCommit(environment: env.name, fields: candidate, from: from, evidence: evidence, approval: approval)
        return verdict
    }

    /// What the environment before this one says: when it promoted, and the soak (its time and
    /// its SLOs) — lines for the commit, or the verdict that stops here.
    static func upstreamGate(_ env: EnvironmentSpec, _ upstream: EnvironmentObservation, from: String, version v: String, _ inputs: Inputs) -> (
        lines: [String], stop: EnvironmentVerdict?
    ) {
        var lines: [String] = []
        if let promotedAt = upstream.promotedAt { lines.append("canary promoted in \(from) at \(Self.timestamp(promotedAt))") }
        guard env.soakTime > 0 else { return (lines, nil) }
        let ran = inputs.now.timeIntervalSince(upstream.promotedAt ?? inputs.now)
        if ran < env.soakTime {
            return (
                lines,
                .waiting(
                    env.name, .soak, v,
                    "soaking in \(from): \(DurationText.format(ran.rounded(.down))) of \(DurationText.format(env.soakTime)), \(DurationText.format((env.soakTime - ran).rounded(.up))) left"
                )
            )
        }
        switch inputs.soak[env.name] {
        case nil: return (lines, .waiting(env.name, .soakSLOs, v, "soaked \(DurationText.format(env.soakTime)) in \(from); checking its SLOs over the soak"))
        case .passing(let line)?: return (lines + ["soaked \(DurationText.format(env.soakTime)) in \(from): \(line)"], nil)
        case .failing(let line)?: return (lines, .blocked(env.name, .soakSLOs, v, "its SLOs in \(from) broke during the soak: \(line)"))
        case .notEnoughEvidence(let line)?: return (lines, .waiting(env.name, .soakSLOs, v, "not enough evidence from the soak in \(from) yet: \(line)"))
        case .unavailable(let line)?: return (lines, .waiting(env.name, .soakSLOs, v, "the soak's SLOs cannot be read: \(line)"))
        }
    }

    /// The approval of this version in this image, when the environment needs one.
    static func approvalGate(_ env: EnvironmentSpec, candidate: ModelVersionFields, version v: String, _ inputs: Inputs) -> (
        approval: Approval?, stop: EnvironmentVerdict?
    ) {
        guard env.approvalRequired else { return (nil, nil) }
        // An approval is of one version in one image: the same version number rebuilt from
        // another image needs approving again.
        if let given = inputs.approvals.last(where: { $0.environment == env.name && $0.version == v && $0.image == candidate.image }) { return (given, nil) }
        let other = inputs.approvals.last { $0.environment == env.name && $0.version == v }
        let note = other.map { " (the approval by \($0.by) is of image \($0.image ?? "none"), not \(candidate.image))" } ?? ""
        return (nil, .waiting(env.name, .approval, v, "waiting for approval: sluice approve \(inputs.pipeline.name) --to \(env.name) (version \(v))\(note)"))
    }

    enum MetricOutcome {
        case held(String)
        case stop(EnvironmentVerdict)
    }

    /// The registry metrics the environment asks for, on the candidate's registry version.
    static func metricCheck(_ env: EnvironmentSpec, candidate: ModelVersionFields, _ inputs: Inputs) -> MetricOutcome {
        let v = candidate.version
        let wanted = env.policy.metrics.map(\.description).joined(separator: ", ")
        let versions: [String: RegistryVersion]
        switch inputs.registry {
        case .unavailable(let why): return .stop(.waiting(env.name, .registry, v, "the registry cannot be read (\(why)) to check \(wanted)"))
        case .none: return .stop(.blocked(env.name, .metric, v, "the policy checks \(wanted) but the pipeline names no registry"))
        case .answered(_, let answered): versions = answered
        }
        guard let number = RegistryMapping.registryVersion(of: candidate, model: inputs.pipeline.registry?.model), let version = versions[number] else {
            return .stop(.blocked(env.name, .metric, v, "\(v) is not a version of the registry's model: \(wanted) cannot be checked"))
        }
        var held: [String] = []
        for r in env.policy.metrics {
            guard let value = version.metrics[r.name] else {
                return .stop(.blocked(env.name, .metric, v, "\(r.name) is not recorded for registry version \(number)"))
            }
            if let min = r.min, value < min {
                return .stop(.blocked(env.name, .metric, v, "\(r.name) = \(value) is below \(min) (registry version \(number))"))
            }
            if let max = r.max, value > max {
                return .stop(.blocked(env.name, .metric, v, "\(r.name) = \(value) is above \(max) (registry version \(number))"))
            }
            held.append("\(r.name) = \(value)")
        }
        return .held("registry version \(number): " + held.joined(separator: ", ") + " (\(wanted))")
    }

    static func timestamp(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false)) }
}
