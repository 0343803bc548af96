import Foundation
import Promotion
import Rollout
import Testing

/// Whoever writes staging must not choose what production runs: a downstream environment takes
/// its image from the pipeline's registry definition, never from the upstream's ModelDeployment.
@Suite struct DownstreamPromotionTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let registry = RegistrySpec(url: "http://mlflow:5000", model: "churn", alias: "candidate", image: "registry.example.com/ml/churn:{{version}}")
    static let pipeline = PipelineSpec(
        name: "churn", namespace: "ml-platform", registry: registry,
        environments: [
            EnvironmentSpec(name: "staging", namespace: "ml-staging", modelDeployment: "churn"),
            EnvironmentSpec(name: "production", namespace: "ml-production", modelDeployment: "churn"),
        ])

    static func observation(_ name: String, _ fields: ModelVersionFields) -> EnvironmentObservation {
        EnvironmentObservation(name: name, desired: fields, phase: .succeeded, stable: fields, promotedAt: t0)
    }

    static func production(stagingRuns fields: ModelVersionFields) -> EnvironmentVerdict {
        let versions = ["7": RegistryVersion(version: "7", source: "s3://mlflow/7")]
        return PromotionDecision.decide(
            .init(
                pipeline: pipeline,
                environments: [
                    "staging": observation("staging", fields),
                    "production": observation("production", ModelVersionFields(version: "6", image: "registry.example.com/ml/churn:6", uri: "models:/churn/6")),
                ], registry: .answered(candidate: versions["7"], versions: versions), soak: [:], approvals: [], now: t0.addingTimeInterval(60)))[1]
    }

    /// The attack: staging's ModelDeployment edited to run version 7 from the attacker's image.
    @Test func anImageTheRegistryDoesNotNameIsNotPromoted() {
        let verdict = Self.production(
            stagingRuns: ModelVersionFields(version: "7", image: "evil.example/x@sha256:" + String(repeating: "a", count: 64), uri: "models:/churn/7"))
        #expect(verdict.state == .blocked && verdict.gate == .policy, "\(verdict)")
        #expect(verdict.message.contains("not as the pipeline's registry names it"), "\(verdict.message)")
        #expect(verdict.promotion == nil)
    }

    @Test func theRegistrysImageIsPromoted() throws {
        let verdict = Self.production(stagingRuns: ModelVersionFields(version: "7", image: "registry.example.com/ml/churn:7", uri: "models:/churn/7"))
        #expect(verdict.state == .promote, "\(verdict)")
        #expect(try #require(verdict.promotion).fields.image == "registry.example.com/ml/churn:7")
    }
}
