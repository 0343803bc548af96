import Foundation
import HTTP
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

/// Sluice installed from the chart and run the way its Deployment runs it: in-cluster
/// credentials (KUBERNETES_SERVICE_HOST/PORT and a mounted service-account token), the
/// ConfigMap's config file, and nothing but the install's RBAC — which the emulator enforces
/// for service-account tokens.
@Suite(.offThePool, .tags(.endToEnd)) struct InClusterTests {
    typealias M = ManifestText

    @Test func theInstalledControllerSyncsAndRollsOutWithItsOwnPermissionsOnly() async throws {
        let h = try await SyncHarness()
        let chart = HelmChart(directory: "\(SluiceBinary.repositoryRoot)/charts/sluice")
        let valuesFile = try h.dir.write(
            "values-test.yaml",
            """
            sources:
              - name: apps
                repo: \(h.daemon.url)
                interval: 1s
            prometheusURL: ""
            logFormat: logfmt
            leaderElection:
              enabled: true
              leaseDuration: 4s
              renewDeadline: 3s
              retryPeriod: 500ms
            """)
        let docs = try chart.render(values: try chart.values([valuesFile]), releaseName: "sluice", namespace: "sluice-system")
        let install = try h.dir.write("install.yaml", HelmChart.stream(docs))
        let kubectl = try await run(
            "kubectl", ["--kubeconfig", h.kubeconfig, "apply", "--server-side", "-f", install],
            environment: ["HOME": h.dir.path, "KUBECACHEDIR": h.dir.file("kubecache")], timeout: 120)
        #expect(kubectl.status == 0, "\(kubectl.stderr)")

        // What the kubelet would mount: the ConfigMap's file and the service account's secret.
        let configMap = try #require(try await h.get("ConfigMap", "sluice-config", namespace: "sluice-system"))
        let config = try h.dir.write("etc/config.yaml", try #require(configMap[path: ["data", "config.yaml"]]?.stringValue))
        let account = h.dir.file("serviceaccount")
        try h.dir.write("serviceaccount/token", h.fx.emulator.serviceAccountToken(namespace: "sluice-system", name: "sluice"))
        try h.dir.write("serviceaccount/ca.crt", try #require(h.fx.emulator.caCertificatePEM))
        try h.dir.write("serviceaccount/namespace", "sluice-system")

        try h.write("ns.yaml", M.namespace)
        try h.write("app.yaml", M.configMap("settings", ["mode": "batch"]) + "---\n" + M.deployment("web") + "---\n" + M.service("web"))
        try h.write(
            "model.yaml",
            """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelDeployment
            metadata: {name: churn, namespace: apps}
            spec:
              model: {version: "v1", image: "registry.example.com/churn:1.0"}
              replicas: 2
            """)
        try h.commit("apps")

        let port = freePort()
        let controller = try SluiceBinary.start(
            ["run", "--config", config, "--listen", "127.0.0.1:\(port)"],
            environment: [
                "KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "\(h.fx.emulator.port)", "SLUICE_SERVICE_ACCOUNT_DIR": account,
                "POD_NAME": "sluice-7d9f-abcde", "POD_NAMESPACE": "sluice-system", "SLUICE_CACHE_DIR": h.dir.file("cache"), "HOME": h.dir.path,
                "KUBECONFIG": "/nonexistent",
            ])
        let start = h.fx.emulator.requests.count
        try await eventually("the source is applied", timeout: 30) { try await h.get("Service", "web") != nil }
        let md = ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "ModelDeployment", namespace: "apps", name: "churn")
        try await eventually("the model is rolled out", timeout: 30) {
            try await h.client.getIfExists(md)?[path: ["status", "stableVersion"]] == "v1"
        }
        #expect(try await h.get("Deployment", "churn-v1", apiVersion: "apps/v1") != nil)
        let lease = try await h.client.getIfExists(
            ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "sluice-system", name: "sluice-leader"))
        #expect(lease?[path: ["spec", "holderIdentity"]]?.stringValue?.hasPrefix("sluice-7d9f-abcde_") == true)
        #expect(try await h.get("ConfigMap", "sluice-inventory-apps", namespace: "sluice-system") != nil)
        #expect(controller.log.contains("in-cluster service account"), "\(controller.log.prefix(3000))")

        // Every request it made was allowed by the install's RBAC.
        let mine = h.fx.emulator.requests.dropFirst(start).filter { $0.userAgent?.contains("sluice-7d9f-abcde") == true }
        #expect(!mine.isEmpty)
        let forbidden = mine.filter { $0.status == 403 }
        #expect(forbidden.isEmpty, "forbidden: \(forbidden.map { "\($0.verb) \($0.path)" })")

        // A kind the install does not grant is refused by name, and — commits apply whole or not
        // at all — the rest of that commit waits with it; nothing already applied is touched.
        try h.write(
            "extra.yaml",
            M.configMap("extra", ["k": "v"]) + "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: model-readers}\nrules: []\n")
        try h.commit("more")
        try await eventually("the refusal is logged", timeout: 20) { controller.log.contains("forbidden") }
        #expect(
            controller.log.contains(
                #"ClusterRole/model-readers (extra.yaml:9 (document 2)): clusterroles.rbac.authorization.k8s.io \"model-readers\" is forbidden"#),
            "\(controller.log.suffix(2000))")
        #expect(try await h.get("ConfigMap", "extra") == nil)
        #expect(try await h.get("Service", "web") != nil)

        // Widening, as docs/install.md describes: a ClusterRole that joins the sync aggregate.
        _ = try await h.client.apply(
            [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                "metadata": ["name": "sluice-sync-rbac", "labels": ["sluice.dev/aggregate-to-sync": "true"]],
                "rules": [
                    [
                        "apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"],
                        "verbs": ["get", "list", "watch", "create", "update", "patch", "delete"],
                    ]
                ],
            ], fieldManager: "platform-admin")
        try await eventually("the widened install applies it", timeout: 30) {
            try await h.client.getIfExists(
                ObjectReference(apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespace: nil, name: "model-readers")) != nil
        }
        try await eventually("and the rest of the commit", timeout: 10) { try await h.get("ConfigMap", "extra") != nil }

        let http = HTTPClient()
        let ready = try await http.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/readyz"))
        #expect(ready.status == 200)
        http.shutdown()
        #expect(controller.stop(grace: 15) == 0)
        await h.stop()
    }
}
