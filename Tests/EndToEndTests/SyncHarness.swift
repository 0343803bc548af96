import Foundation
import HTTP
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

/// A cluster (the emulator over HTTPS), a git remote served by `git daemon`, and the built
/// `sluice` binary pointed at both: what a user has.
final class SyncHarness: Sendable {
    let fx: EmulatorFixture
    let git: GitFixture
    let daemon: GitDaemon
    let dir = TemporaryDirectory(prefix: "sluice-e2e")
    let client: KubeClient

    init(_ configure: @escaping (inout EmulatorConfiguration) -> Void = { _ in }) async throws {
        fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "e2e-token"
            configure(&$0)
        }
        git = try GitFixture()
        daemon = try GitDaemon(serving: git)
        client = try fx.client()
    }

    var kubeconfig: String { (try? fx.kubeconfigFile()) ?? "" }

    var common: [String] { ["--kubeconfig", kubeconfig, "--cache-dir", dir.file("cache")] }

    /// `sluice COMMAND --repo <daemon> ARGS` with the cluster and cache options.
    func sluice(_ command: String, _ args: [String] = [], repo: Bool = true, environment: [String: String] = [:]) async throws -> ProcessResult {
        let takesCache = ["diff", "sync", "run", "render"].contains(command)
        var all = [command] + (takesCache ? common : ["--kubeconfig", kubeconfig])
        if repo { all += ["--repo", daemon.url] }
        return try await SluiceBinary.run(all + args, environment: environment)
    }

    func write(_ path: String, _ text: String) throws { try git.write(path, text) }

    @discardableResult
    func commit(_ message: String) throws -> String { try git.commit(message) }

    func get(_ kind: String, _ name: String, namespace: String? = "apps", apiVersion: String = "v1") async throws -> Value? {
        try await client.getIfExists(ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name))
    }

    /// Requests that changed the cluster (real writes, not dry runs), by verb.
    func writes(since index: Int) -> [RequestRecord] {
        Array(fx.emulator.requests.dropFirst(index)).filter {
            ["create", "update", "patch", "apply", "delete"].contains($0.verb) && !$0.dryRun && $0.status < 300
        }
    }

    func stop() async {
        client.shutdown()
        await fx.stop()
    }
}

enum ManifestText {
    static let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n"

    static func configMap(_ name: String, _ data: [String: String], annotations: [String: String] = [:]) -> String {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\n  namespace: apps\n"
        if !annotations.isEmpty {
            text += "  annotations:\n" + annotations.sorted { $0.key < $1.key }.map { "    \($0.key): \"\($0.value)\"\n" }.joined()
        }
        text += "data:\n" + data.sorted { $0.key < $1.key }.map { "  \($0.key): \"\($0.value)\"\n" }.joined()
        return text
    }

    static func deployment(_ name: String, image: String = "registry.example.com/web:1.0", replicas: Int = 2) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
          namespace: apps
        spec:
          replicas: \(replicas)
          selector:
            matchLabels: {app: \(name)}
          template:
            metadata:
              labels: {app: \(name)}
            spec:
              containers:
              - name: main
                image: \(image)
                ports: [{containerPort: 8080}]

        """
    }

    /// A namespaced CRD in group example.com, version v1, whose `spec` has `properties` (flow YAML).
    static func crd(kind: String, plural: String, properties: String) -> String {
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: \(plural).example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: \(plural), singular: \(kind.lowercased()), kind: \(kind)}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, properties: \(properties)}

        """
    }

    static func service(_ name: String) -> String {
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: \(name)\n  namespace: apps\nspec:\n  selector: {app: \(name)}\n  ports: [{port: 80, targetPort: 8080}]\n"
    }

    static func secret(_ name: String, _ values: [String: String]) -> String {
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: \(name)\n  namespace: apps\nstringData:\n"
            + values.sorted { $0.key < $1.key }.map { "  \($0.key): \"\($0.value)\"\n" }.joined()
    }
}

/// Reconcile passes of `controller` ("sync", "rollout") that the `sluice run` or `sluice sync`
/// listening on `port` has finished, from its /metrics (-1 while they cannot be read): a
/// window for "nothing happens" measured in the process's own work, not in seconds.
func reconcilePasses(port: Int, controller: String) async -> Int {
    let http = HTTPClient()
    defer { http.shutdown() }
    guard let r = try? await http.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/metrics")), r.status == 200 else { return -1 }
    let label = "controller=\"\(controller)\""
    var total = 0
    for line in String(decoding: r.body, as: UTF8.self).split(separator: "\n") where line.hasPrefix("sluice_reconcile_total{") && line.contains(label) {
        if let value = line.split(separator: " ").last.flatMap({ Double($0) }) { total += Int(value) }
    }
    return total
}
