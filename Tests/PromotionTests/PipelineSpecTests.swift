import Promotion
import Rollout
import Testing
import YAML

@Suite struct PipelineSpecTests {

    @Test func aMisspeltFieldIsAnErrorWithTheFieldMeant() throws {
        let result = try Self.parse(
            """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelPipeline
            metadata: {name: churn, namespace: ml}
            spec:
              environments:
              - name: staging
                modelDeployment: {namespace: ml-staging}
              - name: production
                modelDeployment: {namespace: ml-production}
                aproval: required
                policy: {pinnedimage: false}
            """)
        guard case .failure(let e) = result else {
            Issue.record("a typo in approval would skip the approval: \(result)")
            return
        }
        let found = e.errors.map(\.description)
        #expect(found.contains { $0.contains("spec.environments[1].aproval: unknown field; did you mean approval?") }, "\(found)")
        #expect(found.contains { $0.contains("spec.environments[1].policy.pinnedimage: unknown field; did you mean pinnedImage?") }, "\(found)")
    }
    static func parse(_ yaml: String) throws -> Result<PipelineSpec, SpecErrors> {
        PipelineSpec.parse(try YAML.documents(in: yaml)[0].root.value)
    }

    @Test func aFullPipelineReads() throws {
        let spec = try Self.parse(
            """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelPipeline
            metadata: {name: churn, namespace: ml-platform}
            spec:
              registry:
                mlflow: {url: "http://mlflow:5000", model: churn, alias: candidate, image: "registry.example.com/ml/churn-server:2.4.0", tokenSecretRef: {name: mlflow}}
              environments:
              - name: staging
                modelDeployment: {namespace: ml-staging}
              - name: production
                modelDeployment: {namespace: ml-production, name: churn-prod}
                soakTime: 1h30m
                approval: required
                policy:
                  metrics: [{name: val_auc, min: 0.85}]
              reviewBranch: "sluice/promote-{{environment}}-{{version}}"
            """
        ).get()
        #expect(spec.registry?.alias == "candidate")
        #expect(spec.registry?.tokenSecret == SecretKeyReference(namespace: "ml-platform", name: "mlflow", key: "token"), "the pipeline's own namespace")
        #expect(spec.environments.map(\.name) == ["staging", "production"])
        #expect(spec.environments[0].modelDeployment == "churn", "the pipeline's name by default")
        #expect(spec.environments[1].modelDeployment == "churn-prod")
        #expect(spec.environments[1].soakTime == 5400 && spec.environments[1].approvalRequired)
        #expect(spec.environments[1].policy.metrics == [MetricRequirement(name: "val_auc", min: 0.85)])
        #expect(spec.environments[1].policy.pinnedImage && spec.environments[1].policy.resources && spec.environments[1].policy.slos)
        #expect(spec.reviewBranch == "sluice/promote-{{environment}}-{{version}}")
        // Whole seconds, as the CRD takes them (the reader refused them before).
        let seconds = try PipelineSpec.parse(
            try YAML.parse(
                "metadata: {name: churn}\nspec:\n  environments:\n  - {name: a, modelDeployment: {namespace: a}}\n  - {name: b, modelDeployment: {namespace: b}, soakTime: 5400}\n"
            )
        ).get()
        #expect(seconds.environments[1].soakTime == 5400)
    }

    @Test func everyProblemIsNamedByItsField() throws {
        let result = try Self.parse(
            """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelPipeline
            metadata: {name: churn}
            spec:
              registry:
                mlflow: {url: "mlflow:5000", model: churn, image: x}
              environments:
              - name: staging
                soakTime: 1h
              - name: staging
                modelDeployment: {namespace: ml-production}
                soakTime: soon
                approval: maybe
                policy: {metrics: [{name: val_auc}]}
            """)
        guard case .failure(let errors) = result else {
            Issue.record("accepted")
            return
        }
        let fields = Set(errors.errors.map(\.field))
        #expect(
            fields == [
                "spec.registry.mlflow.url", "spec.registry.mlflow", "spec.environments[0].modelDeployment", "spec.environments[0].soakTime",
                "spec.environments[1].name", "spec.environments[1].soakTime", "spec.environments[1].approval", "spec.environments[1].policy.metrics[0]",
            ], "\(errors)")
    }

    @Test func aPipelineNeedsEnvironments() throws {
        guard case .failure(let errors) = try Self.parse("kind: ModelPipeline\nmetadata: {name: x}\nspec: {}\n") else {
            Issue.record("accepted")
            return
        }
        #expect(errors.errors.map(\.field) == ["spec.environments"])
    }
}

@Suite struct PolicyTests {
    @Test(
        arguments: [
            ("registry.example.com/ml/churn:2.4.0", nil),
            ("registry.example.com:5000/ml/churn:7", nil),
            ("churn@sha256:" + String(repeating: "a", count: 64), nil),
            ("registry.example.com/ml/churn:latest", "is :latest"),
            ("registry.example.com:5000/ml/churn", "has no tag"),
            ("churn", "has no tag"),
            ("churn:", "has an empty tag"),
            ("churn@sha256:abc", "malformed digest"),
        ] as [(String, String?)])
    func imagePinning(image: String, problem: String?) {
        let found = ImageReference.pinningProblem(image)
        if let problem {
            #expect(found?.contains(problem) == true, "\(image): \(found ?? "pinned")")
        } else {
            #expect(found == nil, "\(image): \(found ?? "")")
        }
    }

    @Test func eachRuleCanBeTurnedOff() {
        let bare = EnvironmentObservation(name: "dev", desired: nil, hasResourceRequests: false, sloCount: 0)
        let candidate = ModelVersionFields(version: "7", image: "churn:latest", uri: nil)
        #expect(Policy.violations(candidate, environment: bare, policy: PolicySpec()).count == 3)
        #expect(Policy.violations(candidate, environment: bare, policy: PolicySpec(pinnedImage: false, resources: false, slos: false)).isEmpty)
    }
}

@Suite struct PromotionMessageTests {
    @Test func theTrailersReadBack() {
        let pipeline = PipelineSpec(name: "churn", namespace: "ml-platform", environments: [])
        let promotion = PromotionCommit(
            environment: "production", fields: ModelVersionFields(version: "7", image: "churn:7", uri: "models:/churn/7"), from: "staging",
            evidence: ["soaked 1h in staging: error-rate 0.1% ≤ 2%"], approval: Approval(environment: "production", version: "7", by: "alice", at: .now))
        let message = PromotionMessage.commit(promotion, pipeline: pipeline)
        #expect(message.hasPrefix("Promote churn 7 to production (from staging)\n\n- soaked 1h"))
        #expect(
            PromotionMessage.trailers(of: message) == [
                "Sluice-Pipeline": "ml-platform/churn", "Sluice-Environment": "production", "Sluice-Version": "7", "Sluice-From": "staging",
                "Sluice-Approved-By": "alice",
            ])
        #expect(PromotionMessage.trailers(of: "Fix a typo\n\nin the README: see below").isEmpty, "prose is not trailers")
    }
}

@Suite struct RegistrySyncTests {
    static let pipeline = PipelineSpec(
        name: "churn", namespace: "ml", registry: RegistrySpec(url: "http://m", model: "churn", alias: "candidate", image: "c:{{version}}"),
        environments: [
            EnvironmentSpec(name: "staging", namespace: "s", modelDeployment: "churn"),
            EnvironmentSpec(name: "production", namespace: "p", modelDeployment: "churn"),
        ])

    static func fields(_ v: String) -> ModelVersionFields { ModelVersionFields(version: v, image: "c:\(v)", uri: "models:/churn/\(v)") }

    @Test func aliasesFollowWhatRunsStableAndFailuresAreTagged() {
        let environments = [
            "staging": EnvironmentObservation(name: "staging", desired: Self.fields("7"), phase: .succeeded, stable: Self.fields("7"), promotedAt: .now),
            "production": EnvironmentObservation(
                name: "production", desired: Self.fields("7"), phase: .rolledBack, stable: Self.fields("6"),
                failed: [FailedVersion(version: "7", reason: "breached", slo: "error-rate", value: 0.08, threshold: 0.02, time: .now)]),
        ]
        let versions = [
            "6": RegistryVersion(version: "6", aliases: ["production", "staging"]), "7": RegistryVersion(version: "7", aliases: ["candidate"]),
        ]
        let plan = RegistrySync.plan(pipeline: Self.pipeline, environments: environments, versions: versions)
        #expect(plan.aliases == [RegistrySync.AliasChange(alias: "staging", version: "7")], "production's alias stays on 6, which serves")
        #expect(plan.tags == [RegistrySync.FailureTag(version: "7", key: "sluice.failed.production", value: "error-rate = 0.08 (bound 0.02): breached")])

        var tagged = versions
        tagged["7"]?.tags["sluice.failed.production"] = "error-rate = 0.08 (bound 0.02): breached"
        tagged["7"]?.aliases.append("staging")
        #expect(RegistrySync.plan(pipeline: Self.pipeline, environments: environments, versions: tagged) == RegistrySync.Plan(), "done once")
    }

    @Test func aVersionTheRegistryDoesNotKnowIsANoteNotAWrite() {
        let environments = [
            "staging": EnvironmentObservation(
                name: "staging", desired: nil, phase: .succeeded, stable: ModelVersionFields(version: "2025-11-03", image: "c:1", uri: "s3://models/churn"))
        ]
        let plan = RegistrySync.plan(pipeline: Self.pipeline, environments: environments, versions: [:])
        #expect(plan.aliases.isEmpty && plan.notes.count == 1)
    }
}
