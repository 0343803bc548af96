import Foundation
import Promotion
import Rollout
import Testing

/// The promotion decision, pure: environment states, gates and a clock in; per environment a
/// commit to make or the reason to wait, out.
@Suite struct PromotionDecisionTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let hour = 3600.0

    static func fields(_ v: String, image: String? = nil) -> ModelVersionFields {
        ModelVersionFields(version: v, image: image ?? "registry.example.com/ml/churn:\(v)", uri: "models:/churn/\(v)")
    }

    static let registry = RegistrySpec(url: "http://mlflow:5000", model: "churn", alias: "candidate", image: "registry.example.com/ml/churn:{{version}}")

    static func pipeline(soak: Double = hour, approval: Bool = true, metrics: [MetricRequirement] = [], registry: RegistrySpec? = registry) -> PipelineSpec {
        PipelineSpec(
            name: "churn", namespace: "ml-platform", registry: registry,
            environments: [
                EnvironmentSpec(name: "staging", namespace: "ml-staging", modelDeployment: "churn"),
                EnvironmentSpec(
                    name: "production", namespace: "ml-production", modelDeployment: "churn", soakTime: soak, approvalRequired: approval,
                    policy: PolicySpec(metrics: metrics)),
            ])
    }

    /// Stable on `v`, promoted by a canary at `at`.
    static func proven(_ name: String, _ v: String, at: Date = t0) -> EnvironmentObservation {
        EnvironmentObservation(name: name, desired: fields(v), phase: .succeeded, stable: fields(v), promotedAt: at)
    }

    static func answered(candidate: String?, metrics: [String: Double] = [:]) -> RegistryObservation {
        var versions: [String: RegistryVersion] = [:]
        for v in ["6", "7"] { versions[v] = RegistryVersion(version: v, source: "s3://mlflow/\(v)", metrics: metrics) }
        return .answered(candidate: candidate.flatMap { versions[$0] }, versions: versions)
    }

    static func decide(
        _ pipeline: PipelineSpec = pipeline(), staging: EnvironmentObservation, production: EnvironmentObservation, registry: RegistryObservation? = nil,
        soak: [String: SoakVerdict] = [:], approvals: [Approval] = [], now: Date = t0.addingTimeInterval(2 * hour)
    ) -> (staging: EnvironmentVerdict, production: EnvironmentVerdict) {
        let verdicts = PromotionDecision.decide(
            .init(
                pipeline: pipeline, environments: ["staging": staging, "production": production],
                registry: registry ?? answered(candidate: staging.desired?.version),
                soak: soak, approvals: approvals, now: now))
        return (verdicts[0], verdicts[1])
    }

    static let approved = [
        Approval(environment: "production", version: "7", image: "registry.example.com/ml/churn:7", by: "alice@example.com", at: t0.addingTimeInterval(90 * 60))
    ]
    static let soaked: [String: SoakVerdict] = ["production": .passing("error-rate 0.1% ≤ 2% over 1h (41,200 requests)")]

    @Test func aVersionThatPassedEveryGateIsPromotedWithItsEvidence() throws {
        let d = Self.decide(staging: Self.proven("staging", "7"), production: Self.proven("production", "6"), soak: Self.soaked, approvals: Self.approved)
        #expect(d.staging.state == .upToDate)
        #expect(d.production.state == .promote)
        let p = try #require(d.production.promotion)
        #expect(p.fields == Self.fields("7") && p.from == "staging")
        #expect(p.approval?.by == "alice@example.com")
        #expect(p.evidence.contains { $0.hasPrefix("soaked 1h in staging: error-rate") })
        #expect(p.evidence.contains { $0.hasPrefix("approved by alice@example.com") })
    }

    struct Row: Sendable, CustomStringConvertible {
        var name: String
        var staging: EnvironmentObservation
        var production: EnvironmentObservation
        var pipeline: PipelineSpec = PromotionDecisionTests.pipeline()
        var registry: RegistryObservation? = nil
        var soak: [String: SoakVerdict] = PromotionDecisionTests.soaked
        var approvals: [Approval] = PromotionDecisionTests.approved
        var now: Date = PromotionDecisionTests.t0.addingTimeInterval(2 * PromotionDecisionTests.hour)
        var state: EnvironmentVerdict.State
        var gate: Gate?
        var says: String
        var description: String { name }
    }

    static let rows: [Row] = [
        Row(
            name: "staging still in its canary",
            staging: EnvironmentObservation(name: "staging", desired: fields("7"), phase: .progressing, stable: fields("6")),
            production: proven("production", "6"), state: .upToDate, says: "staging has no promoted version"),
        Row(
            name: "staging deployed 7 without a canary (its first version)",
            staging: EnvironmentObservation(name: "staging", desired: fields("7"), phase: .succeeded, stable: fields("7"), promotedAt: nil),
            production: proven("production", "6"), state: .upToDate, says: "no promoted version"),
        Row(
            name: "staging rolled 7 back", staging: EnvironmentObservation(name: "staging", desired: fields("7"), phase: .rolledBack, stable: fields("6")),
            production: proven("production", "6"), state: .upToDate, says: "no promoted version"),
        Row(
            name: "soaking: 30 minutes of an hour", staging: proven("staging", "7"), production: proven("production", "6"),
            now: t0.addingTimeInterval(30 * 60), state: .waiting, gate: .soak, says: "30m of 1h, 30m left"),
        Row(
            name: "soak time over, SLOs not yet checked", staging: proven("staging", "7"), production: proven("production", "6"), soak: [:], state: .waiting,
            gate: .soakSLOs, says: "checking its SLOs"),
        Row(
            name: "the SLOs broke during the soak", staging: proven("staging", "7"), production: proven("production", "6"),
            soak: ["production": .failing("error-rate 3.1% > 2%")], state: .blocked, gate: .soakSLOs, says: "broke during the soak: error-rate 3.1%"),
        Row(
            name: "too little soak traffic to judge", staging: proven("staging", "7"), production: proven("production", "6"),
            soak: ["production": .notEnoughEvidence("12 requests, 400 needed")], state: .waiting, gate: .soakSLOs, says: "not enough evidence"),
        Row(
            name: "Prometheus down at the soak check", staging: proven("staging", "7"), production: proven("production", "6"),
            soak: ["production": .unavailable("connection refused")], state: .waiting, gate: .soakSLOs, says: "cannot be read"),
        Row(
            name: "no approval yet", staging: proven("staging", "7"), production: proven("production", "6"), approvals: [], state: .waiting, gate: .approval,
            says: "sluice approve churn --to production (version 7)"),
        Row(
            name: "an approval of another version does not count", staging: proven("staging", "7"), production: proven("production", "6"),
            approvals: [Approval(environment: "production", version: "6", by: "bob", at: t0)], state: .waiting, gate: .approval, says: "version 7"),
        Row(
            name: "an approval of the version in another image", staging: proven("staging", "7"), production: proven("production", "6"),
            approvals: [Approval(environment: "production", version: "7", image: "registry.example.com/ml/churn:7-rebuilt", by: "bob", at: t0)],
            state: .waiting, gate: .approval, says: "is of image registry.example.com/ml/churn:7-rebuilt, not registry.example.com/ml/churn:7"),
        Row(
            name: "an approval for staging does not count for production", staging: proven("staging", "7"), production: proven("production", "6"),
            approvals: [Approval(environment: "staging", version: "7", by: "bob", at: t0)], state: .waiting, gate: .approval, says: "sluice approve"),
        Row(
            name: "7 failed in production before",
            staging: proven("staging", "7"),
            production: EnvironmentObservation(
                name: "production", desired: fields("6"), phase: .succeeded, stable: fields("6"), promotedAt: t0,
                failed: [FailedVersion(version: "7", reason: "error-rate breached", time: t0)]), state: .blocked, gate: .failedHere,
            says: "rolled back here: error-rate breached"),
        Row(
            name: "a canary of 6 is still running in production", staging: proven("staging", "7"),
            production: EnvironmentObservation(name: "production", desired: fields("6"), phase: .paused, stable: fields("5")), state: .waiting,
            gate: .inProgress, says: "a canary of 6 is under way"),
        Row(
            name: "production already runs 7", staging: proven("staging", "7"), production: proven("production", "7"), state: .upToDate, says: "runs 7"),
        Row(
            // Without a registry the upstream's image is the candidate's (with one, the registry's
            // template names it: DownstreamPromotionTests).
            name: ":latest image", staging: proven("staging", "7").with(image: "registry.example.com/ml/churn:latest"),
            production: proven("production", "6"), pipeline: pipeline(registry: nil), state: .blocked, gate: .policy, says: "is :latest"),
        Row(
            name: "an image without a tag", staging: proven("staging", "7").with(image: "registry.example.com:5000/ml/churn"),
            production: proven("production", "6"), pipeline: pipeline(registry: nil), state: .blocked, gate: .policy, says: "has no tag"),
        Row(
            name: "production sets no resources and no SLO", staging: proven("staging", "7"),
            production: EnvironmentObservation(
                name: "production", desired: fields("6"), phase: .succeeded, stable: fields("6"), promotedAt: t0, hasResourceRequests: false, sloCount: 0),
            state: .blocked, gate: .policy, says: "no resource requests (spec.template.resources.requests); the ModelDeployment in production has no SLO"),
        Row(
            name: "val_auc below its bound", staging: proven("staging", "7"), production: proven("production", "6"),
            pipeline: pipeline(metrics: [MetricRequirement(name: "val_auc", min: 0.85)]), registry: answered(candidate: "7", metrics: ["val_auc": 0.81]),
            state: .blocked, gate: .metric, says: "val_auc = 0.81 is below 0.85"),
        Row(
            name: "val_auc not recorded", staging: proven("staging", "7"), production: proven("production", "6"),
            pipeline: pipeline(metrics: [MetricRequirement(name: "val_auc", min: 0.85)]), registry: answered(candidate: "7"), state: .blocked, gate: .metric,
            says: "val_auc is not recorded for registry version 7"),
        Row(
            name: "registry down while a metric gate needs it", staging: proven("staging", "7"), production: proven("production", "6"),
            pipeline: pipeline(metrics: [MetricRequirement(name: "val_auc", min: 0.85)]), registry: .unavailable("connection refused"), state: .waiting,
            gate: .registry, says: "cannot be read (connection refused)"),
        Row(
            name: "no gates: promoted as soon as staging promotes", staging: proven("staging", "7"), production: proven("production", "6"),
            pipeline: pipeline(soak: 0, approval: false), soak: [:], approvals: [], now: t0, state: .promote, says: "promoting 7 from staging"),
    ]

    @Test(arguments: rows) func production(_ row: Row) {
        let d = Self.decide(
            row.pipeline, staging: row.staging, production: row.production, registry: row.registry, soak: row.soak, approvals: row.approvals, now: row.now)
        #expect(d.production.state == row.state, "\(d.production.message)")
        #expect(d.production.gate == row.gate)
        #expect(d.production.message.contains(row.says), "\(d.production.message)")
        #expect((d.production.promotion != nil) == (row.state == .promote))
    }

    @Test func theRegistryFeedsTheFirstEnvironment() throws {
        let staging = Self.proven("staging", "6")
        let production = Self.proven("production", "6")
        let d = Self.decide(staging: staging, production: production, registry: Self.answered(candidate: "7"))
        #expect(d.staging.state == .promote)
        #expect(d.staging.promotion?.fields == ModelVersionFields(version: "7", image: "registry.example.com/ml/churn:7", uri: "models:/churn/7"))
        #expect(d.staging.promotion?.from == "registry")
        #expect(d.production.state == .upToDate, "production already runs what staging proved")
    }

    @Test func theRegistryDownHoldsTheFirstEnvironment() {
        let d = Self.decide(staging: Self.proven("staging", "6"), production: Self.proven("production", "6"), registry: .unavailable("HTTP 503"))
        #expect(d.staging.state == .waiting && d.staging.gate == .registry)
        #expect(d.staging.message.contains("nothing is committed on a guess"))
    }

    @Test func aRegistryCandidateWithALatestImageIsBlockedBeforeStaging() {
        var registry = Self.registry
        registry.image = "registry.example.com/ml/churn:latest"
        let d = Self.decide(
            Self.pipeline(registry: registry), staging: Self.proven("staging", "6"), production: Self.proven("production", "6"),
            registry: Self.answered(candidate: "7"))
        #expect(d.staging.state == .blocked && d.staging.gate == .policy)
    }

    @Test func oneEnvironmentIsPromotedPerPass() {
        // Both are eligible at once (registry has 7; staging proved 6, production runs 5).
        let pipeline = Self.pipeline(soak: 0, approval: false)
        let verdicts = PromotionDecision.decide(
            .init(
                pipeline: pipeline, environments: ["staging": Self.proven("staging", "6"), "production": Self.proven("production", "5")],
                registry: Self.answered(candidate: "7"), now: Self.t0))
        #expect(verdicts.map(\.state) == [.promote, .waiting])
    }

    @Test func aMissingModelDeploymentIsBlockedNotTakenForEmpty() {
        let d = Self.decide(staging: Self.proven("staging", "7"), production: EnvironmentObservation(name: "production", desired: nil))
        #expect(d.production.state == .blocked)
        #expect(d.production.message.contains("ml-production/churn is not in the cluster"))
    }
}

extension EnvironmentObservation {
    func with(image: String) -> EnvironmentObservation {
        var o = self
        o.desired?.image = image
        o.stable?.image = image
        return o
    }
}
