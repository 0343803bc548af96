import Foundation
import Kube
import Manifests
import TestSupport
import Testing
import YAML

/// Sources rendered by the real tools: Kustomize (kubectl 1.33.9's) and Helm 4.1.4, installed
/// into .build/tools by scripts/setup, driven through the built `sluice` binary.
@Suite(.offThePool, .tags(.endToEnd)) struct RenderingTests {
    static let tools = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/tools").standardized.path
    static let environment = ["SLUICE_HELM": "\(tools)/helm", "SLUICE_KUSTOMIZE": "\(tools)/kubectl"]

    func harness(_ files: [(String, String)]) async throws -> SyncHarness {
        #expect(FileManager.default.isExecutableFile(atPath: "\(Self.tools)/helm"), "no \(Self.tools)/helm: run scripts/setup")
        let h = try await SyncHarness()
        for (path, text) in files { try h.write(path, text) }
        try h.commit("first")
        return h
    }

    func sluice(_ h: SyncHarness, _ command: String, _ args: [String]) async throws -> ProcessResult {
        try await h.sluice(command, args, environment: Self.environment)
    }

    func plan(_ r: ProcessResult) throws -> [String: String] {
        var out: [String: String] = [:]
        for o in try JSON.parse(r.stdout)["objects"]?.arrayValue ?? [] {
            out["\(o["kind"]?.stringValue ?? "")/\(o["name"]?.stringValue ?? "")"] = o["action"]?.stringValue
        }
        return out
    }

    @Test func aKustomizeBaseWithTwoOverlaysSyncsEachEnvironment() async throws {
        let h = try await harness(
            RenderFixtures.base + RenderFixtures.overlay("staging", replicas: 1, tag: "1.1", mode: "batch")
                + RenderFixtures.overlay("prod", replicas: 3, tag: "2.0", mode: "online"))
        for env in ["staging", "prod"] {
            let r = try await sluice(h, "sync", ["--once", "--path", "overlays/\(env)", "--source-name", env])
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        }
        let prod = try await h.get("Deployment", "scorer", namespace: "prod", apiVersion: "apps/v1")
        #expect(prod?[path: ["spec", "replicas"]] == 3)
        let container = prod?[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first
        #expect(container?["image"] == "registry.example.com/scorer:2.0")
        // The generated ConfigMap carries its content hash, and the Deployment refers to it.
        let configName = container?["envFrom"]?.arrayValue?.first?[path: ["configMapRef", "name"]]?.stringValue ?? ""
        #expect(configName.hasPrefix("scorer-config-") && configName.count > "scorer-config-".count)
        #expect(try await h.get("ConfigMap", configName, namespace: "prod")?[path: ["data", "MODE"]] == "online")
        #expect(try await h.get("Service", "scorer", namespace: "prod")?[path: ["metadata", "labels", "tier"]] == "prod")
        #expect(try await h.get("Deployment", "scorer", namespace: "staging", apiVersion: "apps/v1")?[path: ["spec", "replicas"]] == 1)

        // A change to one overlay: its diff shows exactly the Deployment; the other has none.
        for (path, text) in RenderFixtures.overlay("prod", replicas: 3, tag: "2.1", mode: "online") { try h.write(path, text) }
        try h.commit("prod 2.1")
        let prodDiff = try await sluice(h, "diff", ["--path", "overlays/prod", "--source-name", "prod", "-o", "json"])
        #expect(prodDiff.status == 1, "\(prodDiff.stderr)")
        #expect(try plan(prodDiff).filter { $0.value != "unchanged" } == ["Deployment/scorer": "update"], "\(prodDiff.stdout)")
        let stagingDiff = try await sluice(h, "diff", ["--path", "overlays/staging", "--source-name", "staging"])
        #expect(stagingDiff.status == 0, "\(stagingDiff.stdout)\(stagingDiff.stderr)")

        // A new generator literal renames the ConfigMap (new hash): create one, prune the old.
        for (path, text) in RenderFixtures.overlay("prod", replicas: 3, tag: "2.1", mode: "stream") { try h.write(path, text) }
        try h.commit("prod stream")
        let renamed = try plan(try await sluice(h, "diff", ["--path", "overlays/prod", "--source-name", "prod", "-o", "json"]))
        #expect(
            renamed["ConfigMap/\(configName)"] == "prune" && renamed.filter { $0.key.hasPrefix("ConfigMap/") && $0.value == "create" }.count == 1, "\(renamed)")
        await h.stop()
    }

    @Test func aHelmChartWithTwoValuesFiles() async throws {
        let h = try await harness(RenderFixtures.chart)
        for (env, file) in [("staging", "values-staging.yaml"), ("prod", "values-prod.yaml")] {
            try await h.client.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(env)]], fieldManager: "test")
            let r = try await sluice(
                h, "sync", ["--once", "--path", "chart", "--helm-values", file, "--helm-namespace", env, "--helm-release", "scorer", "--source-name", env])
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        }
        #expect(try await h.get("Deployment", "scorer", namespace: "prod", apiVersion: "apps/v1")?[path: ["spec", "replicas"]] == 4)
        #expect(try await h.get("Deployment", "scorer", namespace: "staging", apiVersion: "apps/v1")?[path: ["spec", "replicas"]] == 2)
        #expect(try await h.get("ConfigMap", "scorer-config", namespace: "prod")?[path: ["data", "MODE"]] == "online")

        try h.write("chart/values-prod.yaml", "replicas: 5\nmode: online\n")
        try h.commit("prod 5")
        let prodArgs = [
            "--path", "chart", "--helm-values", "values-prod.yaml", "--helm-namespace", "prod", "--helm-release", "scorer", "--source-name", "prod",
        ]
        let diff = try await sluice(h, "diff", prodArgs + ["-o", "json"])
        let changed = try plan(diff).filter { $0.value != "unchanged" }
        #expect(diff.status == 1 && changed == ["Deployment/scorer": "update"], "\(diff.stdout)\(diff.stderr)")
        let staging = try await sluice(
            h, "diff",
            ["--path", "chart", "--helm-values", "values-staging.yaml", "--helm-namespace", "staging", "--helm-release", "scorer", "--source-name", "staging"])
        #expect(staging.status == 0, "\(staging.stdout)\(staging.stderr)")
        await h.stop()
    }

    /// Helm renders for the cluster it targets: `.Capabilities` carries the server's version and
    /// the API versions (and kinds) it serves, read from discovery.
    @Test func aChartSeesTheClustersCapabilities() async throws {
        let h = try await harness([
            ("caps/Chart.yaml", "apiVersion: v2\nname: caps\nversion: 0.1.0\n"),
            (
                "caps/templates/cm.yaml",
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: caps, namespace: default}
                data:
                  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}
                  hasBatch: {{ .Capabilities.APIVersions.Has "batch/v1/CronJob" | quote }}
                  hasMadeUp: {{ .Capabilities.APIVersions.Has "madeup.example.com/v1" | quote }}
                """
            ),
        ])
        let r = try await sluice(h, "sync", ["--once", "--path", "caps", "--source-name", "caps"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let data = try await h.get("ConfigMap", "caps", namespace: "default")?["data"]
        #expect(data?["kubeVersion"] == "v1.33.5" && data?["hasBatch"] == "true" && data?["hasMadeUp"] == "false", "\(String(describing: data))")
        await h.stop()
    }

    /// A dependency from a chart repository on loopback: fetched only when its host is allowed.
    @Test func aChartDependencyComesFromAnAllowedRepositoryOnly() async throws {
        let repo = TemporaryDirectory(prefix: "sluice-chart-repo")
        try repo.write("src/lib/Chart.yaml", "apiVersion: v2\nname: lib\nversion: 0.1.0\n")
        try repo.write("src/lib/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-lib, namespace: default}\ndata: {a: \"1\"}\n")
        let port = freePort()
        let helm = "\(Self.tools)/helm"
        let env = ["HOME": repo.path]
        #expect(try await run(helm, ["package", repo.file("src/lib"), "-d", repo.file("served")], environment: env).status == 0)
        #expect(try await run(helm, ["repo", "index", repo.file("served"), "--url", "http://127.0.0.1:\(port)"], environment: env).status == 0)
        let server = try BackgroundProcess("python3", ["-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", repo.file("served")])
        defer { _ = server.stop() }
        #expect(waitForPort(port))

        let h = try await harness([
            (
                "app/Chart.yaml",
                "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n- {name: lib, version: 0.1.0, repository: \"http://127.0.0.1:\(port)\"}\n"
            ),
            ("app/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: default}\n"),
        ])
        let refused = try await sluice(h, "sync", ["--once", "--path", "app", "--source-name", "app"])
        #expect(refused.status != 0 && refused.stderr.contains("helm dependency build") && refused.stderr.contains("no host is allowed"), "\(refused.stderr)")
        #expect(try await h.get("ConfigMap", "app", namespace: "default") == nil, "nothing applied")
        let allowed = try await sluice(h, "sync", ["--once", "--path", "app", "--source-name", "app", "--render-allow-host", "127.0.0.1"])
        #expect(allowed.status == 0, "\(allowed.stdout)\(allowed.stderr)")
        #expect(try await h.get("ConfigMap", "from-lib", namespace: "default") != nil)
        await h.stop()
    }

    /// Each failure names the tool and the commit, and changes nothing: no apply, no prune.
    @Test(arguments: ["broken kustomization", "remote base without allow-list", "failing chart template", "render over its time limit"])
    func aFailedRenderAppliesAndPrunesNothing(_ failure: String) async throws {
        let isChart = failure.contains("chart") || failure.contains("time")
        let h = try await harness(
            isChart ? RenderFixtures.chart : RenderFixtures.base + RenderFixtures.overlay("prod", replicas: 3, tag: "2.0", mode: "online"))
        let args = isChart ? ["--path", "chart", "--helm-namespace", "default", "--source-name", "app"] : ["--path", "overlays/prod", "--source-name", "app"]
        let first = try await sluice(h, "sync", ["--once"] + args)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")

        var extra: [String] = []
        switch failure {
        case "broken kustomization":
            try h.write("overlays/prod/kustomization.yaml", "resources: [../../base, missing.yaml]\n")
        case "remote base without allow-list":
            try h.write("overlays/prod/kustomization.yaml", "resources: [../../base, https://github.com/example/manifests//base?ref=v1]\n")
        case "failing chart template":
            try h.write("chart/templates/guard.yaml", #"{{ if lt (int .Values.replicas) 2 }}{{ fail "replicas must be at least 2" }}{{ end }}"# + "\n")
        default:
            // A template that takes far longer than the limit (10^9 empty iterations, little
            // memory), rendered by real Helm.
            try h.write("chart/templates/slow.yaml", "{{ range until 1000 }}{{ range until 1000 }}{{ range until 1000 }}{{ end }}{{ end }}{{ end }}\n")
            extra = ["--render-timeout", "1s"]
        }
        try h.commit("break it")
        let mark = h.fx.emulator.requests.count
        let sync = try await sluice(h, "sync", ["--once"] + args + extra)
        #expect(sync.status != 0)
        let tool = isChart ? "helm" : "kustomize"
        #expect(sync.stderr.contains("rendered by \(tool)") && sync.stderr.contains("at commit") && sync.stderr.contains("\(tool):"), "\(sync.stderr)")
        if failure == "render over its time limit" { #expect(sync.stderr.contains("the render time limit"), "\(sync.stderr)") }
        #expect(
            h.writes(since: mark).filter { !($0.name ?? "").hasPrefix("sluice-inventory-") }.isEmpty,
            "nothing applied or pruned: \(h.writes(since: mark).map(\.path))")
        let deployment = try await h.get("Deployment", isChart ? "chart" : "scorer", namespace: isChart ? "default" : "prod", apiVersion: "apps/v1")
        #expect(deployment != nil, "the objects of the last good commit are still there")
        await h.stop()
    }
}
