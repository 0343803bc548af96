import Controller
import ControllerProcess
import Foundation
import Kube
import Logging
import Manifests
import Sync
import TestSupport
import Testing
import YAML

/// GitSource objects run as sources by the controller's own factory (parsing, Secrets, the
/// impersonating client, the syncer) over the in-process API, with a real repository served by
/// `git daemon`: a tenant's source acts as its account in its namespace and says so in its
/// status; an object that may not run is refused by field and loses nothing.
@Suite(.offThePool) struct GitSourceReconcileTests {
    static let cluster = TenantFixture.yaml(namespaces: ["team-a", "team-b", "kube-system", "sluice-system"])

    final class Fixture: Sendable {
        let cluster: InProcessCluster
        let git: GitFixture
        let daemon: GitDaemon
        let home = TemporaryDirectory(prefix: "sluice-gitsource")
        let controller: GitSourceController<GitSourceFactory>
        let catalog = SourceCatalog()

        init() async throws {
            cluster = try InProcessCluster()
            try await cluster.apply(try String(contentsOfFile: "\(SluiceBinary.repositoryRoot)/manifests/crd-gitsource.yaml", encoding: .utf8))
            try await cluster.apply(GitSourceReconcileTests.cluster)
            git = try GitFixture()
            try git.write("README.md", "models\n")
            _ = try git.commit("start")
            daemon = try GitDaemon(serving: git)
            let settings = try RunConfiguration.resolve(
                flags: ["cache-dir": home.file("cache"), "inventory-namespace": "sluice-system"], environment: ["POD_NAMESPACE": "sluice-system"],
                file: nil, home: home.path)
            let emulator = cluster.emulator
            let builder = SourceBuilder(
                settings: settings, cluster: ClusterConfig(server: "http://emulator.in-process", qps: 0), client: cluster.client, metrics: SluiceMetrics(),
                signer: nil, events: EventRecorder(client: cluster.client), capabilities: nil,
                makeClient: { config, _ in KubeClient(config: config, exchange: emulator.inProcessExchange(), retry: .none) })
            var logger = Logger(label: "test.gitsource")
            logger.logLevel = .critical
            controller = GitSourceController(
                client: cluster.client, factory: GitSourceFactory(builder: builder, client: cluster.client, controllerNamespace: "sluice-system"),
                catalog: catalog, logger: logger)
        }

        func gitSource(named name: String = "models", _ spec: String) async throws {
            try await cluster.apply("apiVersion: sluice.dev/v1alpha1\nkind: GitSource\nmetadata: {name: \(name), namespace: team-a}\nspec:\n" + spec)
        }

        func status(_ name: String = "models") async throws -> Value? {
            try await cluster.client.getIfExists(ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "GitSource", namespace: "team-a", name: name))?[
                "status"]
        }

        func ready(_ name: String = "models") async throws -> Value? { try await status(name)?["conditions"]?.arrayValue?.first }

        func configMap(_ ns: String, _ name: String) async throws -> Value? {
            try await cluster.client.getIfExists(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: ns, name: name))
        }

        func stop() async {
            await controller.stopAll()
            daemon.stop()
            await cluster.stop()
        }
    }

    static func configMap(_ ns: String, _ name: String) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(name), namespace: \(ns)}\ndata: {v: \"1\"}\n"
    }

    @Test func aTenantsSourceActsAsItsAccountInItsNamespaceAndReportsInItsStatus() async throws {
        let f = try await Fixture()
        try f.git.write("cm.yaml", Self.configMap("team-a", "model"))
        let head = try f.git.commit("a ConfigMap")
        try await f.gitSource("  url: \(f.daemon.url)\n  serviceAccountName: deployer\n  interval: 1s\n")
        _ = try await f.controller.reconcile("team-a/models")
        #expect(await f.controller.runningSources == ["team-a/models"])
        try await eventually("synced, and the status says so", timeout: 30) { try await f.ready()?["status"] == "True" }
        #expect(try await f.status()?["revision"]?.stringValue == head)
        let managers = try await f.configMap("team-a", "model")?[path: ["metadata", "managedFields"]]?.arrayValue?.compactMap { $0["manager"]?.stringValue }
        #expect(managers == ["sluice/team-a.models"], "the source's own field manager")
        #expect(f.catalog.names == ["team-a.models"], "promotions and webhooks find the source")

        // Out of its lane: another namespace by default, then one its account has no rights in.
        try f.git.write("escape.yaml", Self.configMap("kube-system", "coredns"))
        _ = try f.git.commit("escape")
        try await eventually("the commit refused by the source's lane", timeout: 30) {
            let errors = try await f.status()?["errors"]?.arrayValue ?? []
            return errors.contains { $0.stringValue?.contains("namespace kube-system is not among source team-a.models's targetNamespaces") == true }
        }
        #expect(try await f.ready()?["status"] == "False")
        #expect(try await f.configMap("kube-system", "coredns") == nil)

        try f.git.remove("escape.yaml")
        try f.git.write("b.yaml", Self.configMap("team-b", "stolen"))
        _ = try f.git.commit("into team-b")
        try await f.gitSource("  url: \(f.daemon.url)\n  serviceAccountName: deployer\n  interval: 1s\n  targetNamespaces: [team-a, team-b]\n")
        _ = try await f.controller.reconcile("team-a/models")
        try await eventually("the account's RBAC refuses team-b", timeout: 30) {
            let errors = try await f.status()?["errors"]?.arrayValue ?? []
            return errors.contains { $0.stringValue?.contains("forbidden") == true }
        }
        #expect(try await f.configMap("team-b", "stolen") == nil)
        #expect(try await f.status()?["observedGeneration"] == 2)

        // Deleting the GitSource stops its source; what it applied stays.
        _ = try await f.cluster.client.delete(ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "GitSource", namespace: "team-a", name: "models"))
        _ = try await f.controller.reconcile("team-a/models")
        #expect(await f.controller.runningSources.isEmpty)
        #expect(f.catalog.names.isEmpty)
        #expect(try await f.configMap("team-a", "model") != nil)
        await f.stop()
    }

    @Test func anObjectThatMayNotRunIsRefusedByFieldAndAnInvalidEditKeepsTheAcceptedSource() async throws {
        let f = try await Fixture()
        try await f.gitSource(named: "rogue", "  url: \(f.daemon.url)\n")
        _ = try await f.controller.reconcile("team-a/rogue")
        #expect(await f.controller.runningSources.isEmpty, "no account: it would act with the controller's rights")
        #expect(try await f.ready("rogue")?["reason"] == "Invalid")
        #expect(try await f.ready("rogue")?["message"]?.stringValue?.contains("spec.serviceAccountName: required outside sluice-system") == true)

        try await f.gitSource("  url: \(f.daemon.url)\n  serviceAccountName: deployer\n  secretRef: {name: git}\n")
        _ = try await f.controller.reconcile("team-a/models")
        #expect(try await f.ready()?["message"]?.stringValue?.contains("spec.secretRef: Secret team-a/git does not exist") == true)
        #expect(await f.controller.runningSources.isEmpty)

        try await f.gitSource("  url: \(f.daemon.url)\n  serviceAccountName: deployer\n")
        _ = try await f.controller.reconcile("team-a/models")
        #expect(await f.controller.runningSources == ["team-a/models"])
        try await f.gitSource("  url: file:///var/run/secrets\n  serviceAccountName: deployer\n")
        _ = try await f.controller.reconcile("team-a/models")
        #expect(await f.controller.runningSources == ["team-a/models"], "the accepted source keeps running")
        let message = try await f.ready()?["message"]?.stringValue ?? ""
        #expect(message.contains("is not a remote") && message.contains("keeps running as accepted at generation"), "\(message)")
        await f.stop()
    }
}
