import Foundation
import Kube
import ManifestLoading
import Manifests
import Rollout
import TestSupport
import Testing
import YAML

/// The repository layout in `examples/` is what teams copy: it must validate, its SLO queries
/// must be PromQL Prometheus accepts, and the API server must accept every object in it.
@Suite(.offThePool, .tags(.endToEnd)) struct ExamplesTests {
    static let root = "\(SluiceBinary.repositoryRoot)/examples"
    /// Each directory is one sync source (`--path`); the Kustomize overlays and the chart are
    /// rendered by the real tools (RenderingTests.environment).
    static let sources = [
        "demo", "plain", "models", "environments/staging", "environments/production", "environments/pipeline", "kustomize/overlays/staging",
        "kustomize/overlays/production",
        "helm/churn", "tenants",
    ]

    @Test func everyExampleValidates() throws {
        for dir in Self.sources {
            let r = try SluiceBinary.run(["validate", "\(Self.root)/\(dir)"], environment: RenderingTests.environment)
            #expect(r.status == 0 && r.stdout.contains("valid"), "\(dir): \(r.stdout)\(r.stderr)")
            if dir.hasPrefix("kustomize") || dir.hasPrefix("helm") { #expect(!r.stdout.hasPrefix("0 objects"), "\(dir) renders objects") }
        }
        let production = try SluiceBinary.run(
            ["validate", "\(Self.root)/helm/churn", "--helm-values", "values-production.yaml", "--helm-namespace", "ml-helm-production"],
            environment: RenderingTests.environment)
        #expect(production.status == 0, "\(production.stdout)\(production.stderr)")
        let models = try ManifestLoader.load(path: Self.root).manifests.filter { $0.kind == "ModelDeployment" }
        #expect(models.count >= 7)
        #expect(Set(models.compactMap { ModelDeploymentSpec.parse($0.object).success?.router }) == [.replicas, .gatewayAPI], "both routers are shown")
        for dir in Self.sources {
            #expect(FileManager.default.fileExists(atPath: "\(Self.root)/\(dir)"), "\(dir)")
        }
    }

    @Test func everySLOQueryIsValidPromQL() async throws {
        let models = try ManifestLoader.load(path: Self.root).manifests.filter { $0.kind == "ModelDeployment" }
        var queries: [String] = []
        for m in models {
            let spec = try ModelDeploymentSpec.parse(m.object).get()
            for slo in spec.slos {
                for q in slo.queries {
                    queries.append(
                        Analysis.render(
                            q, model: spec.modelName, version: "v2", namespace: m.namespace ?? "default", stableVersion: "v1", interval: spec.analysisInterval,
                            window: 300))
                }
            }
        }
        #expect(queries.count >= 12)
        #expect(queries.allSatisfy { !$0.contains("{{") }, "every placeholder is one Sluice fills in")
        let problems = try await PromQL.problems(queries)
        #expect(problems == nil, "\(problems ?? "")")
    }

    @Test func theAPIServerAcceptsEveryObject() async throws {
        let h = try await SyncHarness()
        for file in [
            "\(SluiceBinary.repositoryRoot)/manifests/crd-modeldeployment.yaml",
            "\(SluiceBinary.repositoryRoot)/manifests/crd-modelpipeline.yaml",
            "\(SluiceBinary.repositoryRoot)/manifests/crd-gitsource.yaml",
            "\(SluiceBinary.repositoryRoot)/Tests/ChartTests/Fixtures/monitoring-crds.yaml",
        ] {
            for object in try ManifestLoader.load(path: file).manifests.map(\.object) { _ = try await h.client.apply(object, fieldManager: "test") }
        }
        try await eventually("the CRDs established") { h.fx.emulator.controllersIdle }
        for dir in Self.sources {
            // A dry-run diff of a directory that has never been synced: everything is to create,
            // and the server (schema, defaulting, validation) accepts every object.
            let diff = try await h.sluice("diff", ["--local", "\(Self.root)/\(dir)"], repo: false, environment: RenderingTests.environment)
            #expect(diff.status == 1, "\(dir): \(diff.stdout)\(diff.stderr)")
            let summary = diff.stdout.split(separator: "\n").last { $0.contains("to create") } ?? ""
            #expect(!summary.trimmingCharacters(in: .whitespaces).hasPrefix("0 to create") && !summary.contains("error"), "\(dir): \(diff.stdout)")
        }
        await h.stop()
    }

    @Test func validateNamesTheFieldOfAGitSourceProblem() throws {
        let dir = TemporaryDirectory()
        try dir.write(
            "team-b.yaml",
            """
            apiVersion: sluice.dev/v1alpha1
            kind: GitSource
            metadata: {name: models, namespace: team-b}
            spec:
              url: file:///var/lib/sluice
            """)
        let r = try SluiceBinary.run(["validate", dir.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("team-b.yaml:5") && r.stderr.contains("GitSource/models"), "\(r.stderr)")
        #expect(r.stderr.contains("spec.url") && r.stderr.contains("is not a remote"), "\(r.stderr)")
    }

    @Test func validateNamesTheFieldOfAModelPipelineProblem() throws {
        let dir = TemporaryDirectory()
        try dir.write(
            "pipeline.yaml",
            """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelPipeline
            metadata: {name: churn, namespace: ml-platform}
            spec:
              environments:
              - name: staging
                modelDeployment: {namespace: ml-staging}
              - name: production
                modelDeployment: {namespace: ml-production}
                soakTime: a while
                approval: maybe
            """)
        let r = try SluiceBinary.run(["validate", dir.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("ModelPipeline/churn"), "\(r.stderr)")
        #expect(r.stderr.contains("spec.environments[1].soakTime") && r.stderr.contains("spec.environments[1].approval"), "\(r.stderr)")
    }

    @Test func validateNamesTheLineAndFieldOfAModelDeploymentProblem() throws {
        let dir = TemporaryDirectory()
        try dir.write(
            "churn.yaml",
            """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelDeployment
            metadata: {name: churn, namespace: ml}
            spec:
              model: {version: v1, image: reg/churn:1}
              canary:
                steps: [50, 25]
                stepDuration: soon
            """)
        let r = try SluiceBinary.run(["validate", dir.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("churn.yaml:7:"), "\(r.stderr)")
        #expect(r.stderr.contains("ModelDeployment/churn") && r.stderr.contains("spec.canary.steps"), "\(r.stderr)")
        #expect(r.stderr.contains("spec.canary.stepDuration"), "\(r.stderr)")
    }
}

extension Result {
    var success: Success? { if case .success(let s) = self { s } else { nil } }
}
