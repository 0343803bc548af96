import ControllerProcess
import Foundation
import KubeEmulator
import Rollout
import TestSupport
import Testing
import YAML

/// The generated CRDs do on an API server what the reader does: `kubectl` against the emulator
/// gets the reader's defaults written into the object, and a value the reader refuses is refused.
@Suite(.offThePool) struct GeneratedCRDTests {
    static let root = SluiceBinary.repositoryRoot

    /// An emulator over TLS and kubectl pointed at it.
    static func cluster() async throws -> (EmulatorFixture, TemporaryDirectory, ChartApplyTests.Kubectl) {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "admin"
        }
        let dir = TemporaryDirectory(prefix: "sluice-generated-crd")
        return (fx, dir, ChartApplyTests.Kubectl(kubeconfig: try fx.kubeconfigFile(), home: dir.path))
    }

    @Test func theAPIServerDefaultsAndRefusesAsTheReaderDoes() async throws {
        let (fx, dir, kubectl) = try await Self.cluster()
        let crd = try await kubectl(["apply", "--server-side", "-f", "\(Self.root)/manifests/crd-modeldeployment.yaml"])
        #expect(crd.status == 0, "\(crd.stderr)")
        let minimal =
            "apiVersion: sluice.dev/v1alpha1\nkind: ModelDeployment\nmetadata: {name: churn, namespace: default}\nspec:\n  model: {version: v1, image: reg/churn:1}\n"
        let created = try await kubectl(["apply", "--server-side", "-f", try dir.write("minimal.yaml", minimal)])
        #expect(created.status == 0, "\(created.stderr)")
        let live = try JSON.parse(try await kubectl(["get", "mdep", "churn", "-o", "json"]).stdout)
        #expect(live[path: ["spec", "canary", "steps"]] == [5, 25, 50, 100] && live[path: ["spec", "canary", "progressDeadline"]] == "auto")
        #expect(live[path: ["spec", "canary", "analysis", "confidence"]] == 0.95 && live[path: ["spec", "rollback", "revertCommit"]] == false)
        // What the server defaulted reads as what the reader defaults.
        #expect(try ModelDeploymentSpec.parse(live).get() == ModelDeploymentSpec.parse(try YAML.parse(minimal)).get())

        for (field, value) in [("confidence", "1"), ("interval", "soon")] {
            let bad = minimal + "  canary: {analysis: {\(field): \(value)}}\n"
            let refused = try await kubectl(["apply", "--server-side", "-f", try dir.write("bad.yaml", bad)])
            #expect(refused.status != 0 && refused.stderr.contains("spec.canary.analysis.\(field)"), "\(field): \(refused.stderr)")
            #expect(ModelDeploymentSpec.parse(try YAML.parse(bad)).isFailure, "the reader refuses \(field): \(value) too")
        }
        await fx.stop()
    }

    @Test func aGitSourceDefaultedByTheAPIServerReadsAsTheReaderDefaultsIt() async throws {
        let (fx, dir, kubectl) = try await Self.cluster()
        #expect(try await kubectl(["apply", "--server-side", "-f", "\(Self.root)/manifests/crd-gitsource.yaml"]).status == 0)
        let minimal =
            "apiVersion: sluice.dev/v1alpha1\nkind: GitSource\nmetadata: {name: models, namespace: default}\nspec:\n  url: https://git.example/a.git\n  serviceAccountName: d\n"
        #expect(try await kubectl(["apply", "--server-side", "-f", try dir.write("minimal.yaml", minimal)]).status == 0)
        let live = try JSON.parse(try await kubectl(["get", "gitsource", "models", "-n", "default", "-o", "json"]).stdout)
        #expect(live[path: ["spec", "interval"]] == "1m" && live[path: ["spec", "prune"]] == true)
        let parsed = try GitSourceObject.parse(live, controllerNamespace: "sluice-system")
        #expect(parsed == (try GitSourceObject.parse(try YAML.parse(minimal), controllerNamespace: "sluice-system")))
        let bad = minimal + "  interval: soon\n"
        let refused = try await kubectl(["apply", "--server-side", "-f", try dir.write("bad.yaml", bad)])
        #expect(refused.status != 0 && refused.stderr.contains("spec.interval"), "\(refused.stderr)")
        await fx.stop()
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}
