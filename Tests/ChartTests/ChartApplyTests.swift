import Foundation
import KubeEmulator
import TestSupport
import Testing
import YAML

/// Every rendering of the chart is accepted by the API server: `kubectl apply --server-side
/// --dry-run=server` against the emulator, after the namespaces and CRDs exist (a dry run
/// cannot create what later objects need).
@Suite(.offThePool) struct ChartApplyTests {
    static let root = SluiceBinary.repositoryRoot
    let chart = HelmChart(directory: "\(Self.root)/charts/sluice")

    struct Kubectl {
        let kubeconfig: String
        let home: String
        func callAsFunction(_ args: [String]) async throws -> ProcessResult {
            try await run("kubectl", ["--kubeconfig", kubeconfig] + args, environment: ["HOME": home, "KUBECACHEDIR": "\(home)/cache"], timeout: 120)
        }
    }

    @Test(arguments: ["default", "ha", "namespaced"])
    func aServerSideDryRunAcceptsTheRendering(_ variant: String) async throws {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "admin"
        }
        let dir = TemporaryDirectory(prefix: "sluice-chart-apply")
        let kubectl = Kubectl(kubeconfig: try fx.kubeconfigFile(), home: dir.path)
        let crds = try await kubectl(["apply", "--server-side", "-f", "\(Self.root)/Tests/ChartTests/Fixtures/monitoring-crds.yaml"])
        #expect(crds.status == 0, "\(crds.stderr)")

        var files: [String] = []
        switch variant {
        case "ha": files = ["\(Self.root)/charts/sluice/values-ha.yaml"]
        case "namespaced": files = [try dir.write("ns-values.yaml", "rbac:\n  namespaces: [team-a, team-b]\nwatchNamespaces: [team-a, team-b]\n")]
        default: break
        }
        let docs = try chart.render(values: try chart.values(files), releaseName: "sluice", namespace: "sluice-system")
        var first = docs.filter { $0.kind == "Namespace" || $0.kind == "CustomResourceDefinition" }
        if variant == "namespaced" {
            for ns in ["team-a", "team-b"] {
                first.append(.init(source: "test", text: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(ns)\n", kind: "Namespace"))
            }
        }
        let rest = docs.filter { $0.kind != "Namespace" && $0.kind != "CustomResourceDefinition" }
        let prerequisites = try await kubectl(["apply", "--server-side", "-f", try dir.write("first.yaml", HelmChart.stream(first))])
        #expect(prerequisites.status == 0, "\(prerequisites.stderr)")

        let dryRun = try await kubectl(["apply", "--server-side", "--dry-run=server", "-f", try dir.write("rest.yaml", HelmChart.stream(rest))])
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        let applied = dryRun.stdout.split(separator: "\n").filter { $0.hasSuffix("serverside-applied (server dry run)") }
        #expect(applied.count == rest.count, "\(dryRun.stdout)")
        if variant == "ha" {
            #expect(dryRun.stdout.contains("poddisruptionbudget.policy/sluice serverside-applied (server dry run)"))
            #expect(dryRun.stdout.contains("prometheusrule.monitoring.coreos.com/sluice serverside-applied (server dry run)"))
        }
        // A dry run changes nothing.
        #expect(fx.emulator.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "sluice-system", name: "sluice") == nil)
        await fx.stop()
    }

    @Test func everyFileInManifestsApplies() async throws {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "admin"
        }
        let dir = TemporaryDirectory(prefix: "sluice-manifests-apply")
        let kubectl = Kubectl(kubeconfig: try fx.kubeconfigFile(), home: dir.path)
        let install = try await kubectl(["apply", "--server-side", "-f", "\(Self.root)/manifests/install.yaml"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("deployment.apps/sluice serverside-applied"))
        #expect(install.stdout.contains("customresourcedefinition.apiextensions.k8s.io/modeldeployments.sluice.dev serverside-applied"))
        // The pieces are the same objects: applying them again changes nothing.
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/manifests").filter { $0.hasSuffix(".yaml") && $0 != "install.yaml" }
            .sorted()
        #expect(files.count >= 7)
        // The simulated controllers (Deployment status, CRD conditions) settle first.
        try await eventually("the emulator's controllers settled") { fx.emulator.controllersIdle }
        let before = fx.emulator.resourceVersion
        let objects = try YAML.documents(in: String(contentsOfFile: "\(Self.root)/manifests/install.yaml", encoding: .utf8)).filter { !$0.isEmpty }.map(
            \.root.value)
        func versions() -> [String: String] {
            var out: [String: String] = [:]
            for o in objects {
                let key = "\(o["kind"]?.stringValue ?? "")/\(o[path: ["metadata", "name"]]?.stringValue ?? "")"
                let live = fx.emulator.object(
                    apiVersion: o["apiVersion"]?.stringValue ?? "", kind: o["kind"]?.stringValue ?? "",
                    namespace: o[path: ["metadata", "namespace"]]?.stringValue, name: o[path: ["metadata", "name"]]?.stringValue ?? "")
                out[key] = live?[path: ["metadata", "resourceVersion"]]?.stringValue ?? "missing"
            }
            return out
        }
        let versionsBefore = versions()
        for f in files {
            let r = try await kubectl(["apply", "--server-side", "-f", "\(Self.root)/manifests/\(f)"])
            #expect(r.status == 0, "\(f): \(r.stderr)")
        }
        let versionsAfter = versions()
        let changed = versionsAfter.keys.filter { versionsAfter[$0] != versionsBefore[$0] }.sorted()
        #expect(changed.isEmpty, "re-applying the pieces is a no-op, but it changed \(changed)")
        #expect(fx.emulator.resourceVersion == before, "re-applying the pieces writes nothing")
        let deployment = try #require(fx.emulator.object(apiVersion: "apps/v1", kind: "Deployment", namespace: "sluice-system", name: "sluice"))
        #expect(deployment[path: ["spec", "template", "spec", "serviceAccountName"]] == "sluice")
        await fx.stop()
    }
}
