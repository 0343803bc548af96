import Foundation
import KubeEmulator
import TestSupport
import Testing
import YAML

/// kubectl is the judge of the emulator: real kubectl commands against it must succeed and
/// print what they print against a real cluster.
@Suite(.offThePool) struct KubectlCompatibilityTests {
    let manifests = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: model-config, namespace: compat}
        data: {THRESHOLD: "0.7", MODE: "batch"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: scorer, namespace: compat, labels: {app: scorer}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: scorer}}
          template:
            metadata: {labels: {app: scorer}}
            spec:
              containers:
              - name: server
                image: registry.example.com/ml/scorer:1.0.0
                ports: [{containerPort: 8080, name: http}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: scorer, namespace: compat}
        spec:
          selector: {app: scorer}
          ports: [{name: http, port: 80, targetPort: http}]
        """

    struct Kubectl {
        let kubeconfig: String
        let home: String

        @discardableResult
        func callAsFunction(_ args: String...) async throws -> ProcessResult { try await run(args) }

        @discardableResult
        func run(_ args: [String]) async throws -> ProcessResult {
            try await TestSupport.run(
                "kubectl", ["--kubeconfig", kubeconfig] + args, environment: ["HOME": home, "KUBECACHEDIR": "\(home)/cache"], timeout: 60)
        }
    }

    func setUp() async throws -> (EmulatorFixture, Kubectl, TemporaryDirectory) {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = UUID().uuidString
        }
        let dir = TemporaryDirectory(prefix: "sluice-kubectl")
        let kubectl = Kubectl(kubeconfig: try fx.kubeconfigFile(), home: dir.path)
        try dir.write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: compat}\n")
        try dir.write("app/all.yaml", manifests)
        return (fx, kubectl, dir)
    }

    @Test func applyGetDiffDeleteLikeARealCluster() async throws {
        let (fx, kubectl, dir) = try await setUp()
        let ns = try await kubectl("apply", "--server-side", "-f", dir.file("ns.yaml"))
        #expect(ns.status == 0, "\(ns.stderr)")
        #expect(ns.stdout == "namespace/compat serverside-applied\n")
        let apply = try await kubectl("apply", "--server-side", "-f", dir.file("app"))
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout == "configmap/model-config serverside-applied\ndeployment.apps/scorer serverside-applied\nservice/scorer serverside-applied\n")

        let get = try await kubectl("get", "deploy,svc,cm", "-n", "compat", "-o", "json")
        #expect(get.status == 0, "\(get.stderr)")
        let list = try JSON.parse(get.stdout)
        #expect(list["kind"] == "List")
        let kinds = list["items"]?.arrayValue?.compactMap { $0["kind"]?.stringValue }
        #expect(kinds == ["Deployment", "Service", "ConfigMap"])
        let deploy = list["items"]!.arrayValue![0]
        #expect(deploy[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["imagePullPolicy"] == "IfNotPresent")

        // Table output, with Deployment status filled in by the simulated controller.
        try await eventually("the simulated Deployment controller settled") { fx.emulator.controllersIdle }
        let table = try await kubectl("get", "deploy", "-n", "compat")
        #expect(table.stdout.hasPrefix("NAME     READY   UP-TO-DATE   AVAILABLE   AGE\nscorer   2/2     2            2           "), "\(table.stdout)")

        // Nothing changed: diff exits 0 with no output.
        let clean = try await kubectl("diff", "--server-side", "-f", dir.file("app"))
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.isEmpty)

        // A change: diff exits 1 and shows exactly it, defaults causing no noise.
        try dir.write("app/all.yaml", manifests.replacingOccurrences(of: "replicas: 2", with: "replicas: 3"))
        let changed = try await kubectl("diff", "--server-side", "-f", dir.file("app"))
        #expect(changed.status == 1, "\(changed.stderr)")
        let lines = changed.stdout.split(separator: "\n").filter { ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---") }
        #expect(lines.contains("-  replicas: 2") && lines.contains("+  replicas: 3"), "\(changed.stdout)")
        #expect(lines.allSatisfy { $0.contains("replicas") || $0.contains("generation") }, "only the real change differs: \(lines)")

        // Server dry run changes nothing.
        let dry = try await kubectl("apply", "--server-side", "--dry-run=server", "-f", dir.file("app"))
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("deployment.apps/scorer serverside-applied (server dry run)"))
        let still = try await kubectl("get", "deploy", "scorer", "-n", "compat", "-o", "jsonpath={.spec.replicas}")
        #expect(still.stdout == "2")

        let delete = try await kubectl("delete", "-f", dir.file("app"))
        #expect(delete.status == 0, "\(delete.stderr)")
        #expect(delete.stdout == "configmap \"model-config\" deleted\ndeployment.apps \"scorer\" deleted\nservice \"scorer\" deleted\n")
        let gone = try await kubectl("get", "cm", "model-config", "-n", "compat")
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("Error from server (NotFound): configmaps \"model-config\" not found"))
        await fx.stop()
    }

    @Test func watchStreamsChanges() async throws {
        let (fx, kubectl, dir) = try await setUp()
        try await kubectl("apply", "--server-side", "-f", dir.file("ns.yaml"))
        let watcher = try BackgroundProcess(
            "kubectl",
            ["--kubeconfig", kubectl.kubeconfig, "get", "configmaps", "-n", "compat", "--watch", "-o", "custom-columns=NAME:.metadata.name,MODE:.data.MODE"],
            environment: ["HOME": dir.path])
        try await eventually("kubectl is watching") { fx.emulator.activeWatches == 1 }
        try await kubectl("apply", "--server-side", "-f", dir.file("app"))
        try await kubectl("patch", "configmap", "model-config", "-n", "compat", "--type", "merge", "-p", #"{"data":{"MODE":"online"}}"#)
        func lines() -> [String] {
            watcher.log.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        }
        try await eventually("the watch printed the patch") { lines().contains("model-config online") }
        watcher.stop()
        let lines = lines()
        #expect(lines.contains("model-config batch"), "\(watcher.log)")
        #expect(lines.contains("model-config online"), "\(watcher.log)")
        await fx.stop()
    }

    @Test func serverSideApplyConflictsAsKubectlReportsThem() async throws {
        let (fx, kubectl, dir) = try await setUp()
        try await kubectl("apply", "--server-side", "-f", dir.file("ns.yaml"))
        try await kubectl("apply", "--server-side", "-f", dir.file("app"))
        try await kubectl(
            "apply", "--server-side", "--field-manager", "other", "--force-conflicts", "-f",
            try dir.write("scale.yaml", manifests.replacingOccurrences(of: "replicas: 2", with: "replicas: 7")))
        let conflict = try await kubectl("apply", "--server-side", "-f", dir.file("app"))
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains("conflict"), "\(conflict.stderr)")
        #expect(conflict.stderr.contains(".spec.replicas"))
        let forced = try await kubectl("apply", "--server-side", "--force-conflicts", "-f", dir.file("app"))
        #expect(forced.status == 0)
        await fx.stop()
    }

    @Test func customResourcesAndPrinterColumns() async throws {
        let (fx, kubectl, dir) = try await setUp()
        try dir.write(
            "crd.yaml",
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gadgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: gadgets, singular: gadget, kind: Gadget, shortNames: [gd]}
              versions:
              - name: v1
                served: true
                storage: true
                additionalPrinterColumns:
                - {name: Size, type: integer, jsonPath: .spec.size}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec: {type: object, properties: {size: {type: integer}}}
            """)
        #expect(try await kubectl("apply", "--server-side", "-f", dir.file("crd.yaml")).status == 0)
        try await eventually("the CRD established") { fx.emulator.controllersIdle }
        try dir.write("g.yaml", "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1, namespace: default}\nspec: {size: 4}\n")
        let apply = try await kubectl("apply", "--server-side", "-f", dir.file("g.yaml"))
        #expect(apply.status == 0, "\(apply.stderr)")
        let get = try await kubectl("get", "gd")
        #expect(get.stdout.hasPrefix("NAME   SIZE   AGE\ng1     4      "), "\(get.stdout)\(get.stderr)")
        // An unknown field is refused under kubectl's strict validation.
        try dir.write("bad.yaml", "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g2, namespace: default}\nspec: {size: 4, colour: red}\n")
        let bad = try await kubectl("apply", "--server-side", "-f", dir.file("bad.yaml"))
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown field"), "\(bad.stderr)")
        await fx.stop()
    }
}
