import ClusterSync
import Controller
import ControllerProcess
import DesiredState
import Foundation
import Git
import HTTP
import Kube
import KubeEmulator
import LocalPrometheus
import Logging
import Manifests
import PrometheusQuery
import Rollout
import Sync
import TrafficSimulator
import YAML

/// Everything `sluice demo` runs, on 127.0.0.1 only, inside one temporary directory: the
/// Kubernetes API emulator, a traffic simulator, a real Prometheus, a git repository built from
/// examples/demo/, and the Sluice controller.
final class DemoEnvironment: @unchecked Sendable {
    // Safe: every field is set once in `start` before other tasks see the object; `tasks` is
    // only used by the command's own task.
    let directory: String
    let emulator: KubeEmulator
    let client: KubeClient
    let traffic: TrafficSimulator
    let prometheus: LocalPrometheus
    let repository: String
    let userMirror: Mirror
    var tasks: [Task<Void, Never>] = []

    static let sourceName = "demo"
    static let namespace = "ml-demo"
    static let model = "churn"

    var kubeconfig: String { "\(directory)/kubeconfig" }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Finds examples/demo: the given directory, else relative to the working directory, else
    /// relative to the executable (`.build/<config>/sluice` in a checkout).
    static func locateExamples(_ given: String?) throws -> (demo: String, crd: String) {
        var roots: [String] = []
        if let given { roots.append(URL(fileURLWithPath: given).deletingLastPathComponent().deletingLastPathComponent().path) }
        roots.append(FileManager.default.currentDirectoryPath)
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<5 {
            roots.append(dir.path)
            dir = dir.deletingLastPathComponent()
        }
        for root in roots {
            let demo = given ?? "\(root)/examples/demo"
            let crd = "\(root)/manifests/crd-modeldeployment.yaml"
            if FileManager.default.fileExists(atPath: "\(demo)/churn.yaml"), FileManager.default.fileExists(atPath: crd) { return (demo, crd) }
        }
        throw Failure(description: "cannot find examples/demo and manifests/ (run from a Sluice checkout, or give --examples)")
    }

    static func start(examples: String?, requestsPerSecond: Double, say: (String) -> Void) async throws -> DemoEnvironment {
        let (demoDir, crdFile) = try locateExamples(examples)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-demo-\(UUID().uuidString.prefix(8).lowercased())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let logFile = "\(directory)/controller.log"
        FileManager.default.createFile(atPath: logFile, contents: nil)
        StructuredLogHandler.bootstrap(format: .logfmt, level: .info, output: FileHandle(forWritingAtPath: logFile)!)

        var config = EmulatorConfiguration()
        config.tls = true
        config.token = UUID().uuidString.lowercased()
        config.deploymentReadyDelay = 0.8
        let emulator = try KubeEmulator(config)
        try await emulator.start()
        try emulator.writeKubeconfig(to: "\(directory)/kubeconfig", namespace: namespace)
        say("Kubernetes API emulator  \(emulator.url)")
        var clusterConfig = try KubeConfigLoader.fromFiles(["\(directory)/kubeconfig"])
        clusterConfig.qps = 0
        let client = KubeClient(config: clusterConfig)

        let traffic = TrafficSimulator(client: client, namespace: namespace, requestsPerSecond: requestsPerSecond)
        try await traffic.start()
        say("traffic simulator        http://127.0.0.1:\(traffic.port)/metrics (\(Int(requestsPerSecond)) requests/s, split as the cluster routes them)")
        let prometheus: LocalPrometheus
        do {
            prometheus = try LocalPrometheus(targets: ["127.0.0.1:\(traffic.port)"], directory: "\(directory)/prometheus")
        } catch let e as LocalPrometheus.NotInstalled {
            throw Failure(description: e.description)
        }
        say("Prometheus               \(prometheus.url) (waiting for its first scrape, about 6 s)")
        try await prometheus.waitUntilScraping()

        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: demoDir) where name.hasSuffix(".yaml") {
            files[name] = try String(contentsOfFile: "\(demoDir)/\(name)", encoding: .utf8)
        }
        files["crd-modeldeployment.yaml"] = try String(contentsOfFile: crdFile, encoding: .utf8)
        let repository = "\(directory)/repo.git"
        let first = try Repository.createBare(
            path: repository, files: files, message: "Deploy churn 2025-11-03", author: ("Platform Team", "platform@example.com"))
        say("git repository           \(repository) (commit \(first.short), from examples/demo)")
        let userMirror = try Mirror(url: repository, cacheDirectory: "\(directory)/user")

        let controllers = Controllers(
            settings: try controllerSettings(directory: directory, repository: repository, prometheus: prometheus.url), parts: [.sources, .rollouts],
            cluster: clusterConfig, logger: Logger(label: "sluice"))
        let env = DemoEnvironment(
            directory: directory, emulator: emulator, client: client, traffic: traffic, prometheus: prometheus, repository: repository,
            userMirror: userMirror)
        env.tasks.append(
            Task {
                // The demo handles Ctrl-C itself (and cancels this task); a controller that
                // stops on its own is in the log the demo points to.
                do { try await controllers.run(stopsOnSignals: false) } catch { Logger(label: "sluice").error("controller stopped: \(error)") }
            })
        say("Sluice controller        syncing \(repository) every 1 s; logs in \(logFile)")
        return env
    }

    /// The controller as `sluice run` would be started for this: one source polled every
    /// second, the rollouts judged by the demo's Prometheus, no leader election.
    static func controllerSettings(directory: String, repository: String, prometheus: String) throws -> RunConfiguration {
        try RunConfiguration.resolve(
            flags: [
                "repo": repository, "source-name": sourceName, "interval": "1s", "prometheus-url": prometheus, "listen": "127.0.0.1:0",
                "leader-election": "false", "inventory-namespace": "default", "cache-dir": "\(directory)/cache", "qps": "0",
            ], environment: [:], file: nil)
    }

    private init(
        directory: String, emulator: KubeEmulator, client: KubeClient, traffic: TrafficSimulator, prometheus: LocalPrometheus, repository: String,
        userMirror: Mirror
    ) {
        self.directory = directory
        self.emulator = emulator
        self.client = client
        self.traffic = traffic
        self.prometheus = prometheus
        self.repository = repository
        self.userMirror = userMirror
    }

    /// Commits a new model version, as a person would (with another clone of the repository).
    func commitModel(version: String, image: String, message: String) throws -> ObjectID {
        try userMirror.fetch()
        let text = try userMirror.read("churn.yaml", branch: "main")
        var spec = VersionSpec(try ModelDeploymentSpec.parse(try YAML.parse(text)).get())
        spec.version = version
        spec.image = image
        spec.uri = "s3://models/churn/\(version)"
        let edited = try ModelVersionEdit.apply(text, name: Self.model, file: "churn.yaml", to: spec)
        return try userMirror.commit(path: "churn.yaml", contents: edited, branch: "main", message: message, author: ("Data Scientist", "ds@example.com"))
    }

    /// churn.yaml with its fixed `replicas: 4` replaced by `spec.autoscaling`, committed.
    func commitAutoscaling() throws -> ObjectID {
        try userMirror.fetch()
        let text = try userMirror.read("churn.yaml", branch: "main")
        let autoscaling = """
              autoscaling:
                minReplicas: 2
                maxReplicas: 12
                metrics:
                - type: Resource
                  resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}

            """
        guard let line = text.range(of: "  replicas: 4\n") else { throw Failure(description: "churn.yaml has no `replicas: 4` line to replace") }
        let edited = text.replacingCharacters(in: line, with: autoscaling)
        return try userMirror.commit(
            path: "churn.yaml", contents: edited, branch: "main", message: "churn: autoscale between 2 and 12 pods",
            author: ("Platform Engineer", "pe@example.com"))
    }

    /// The newest commit on the remote's main branch.
    func headCommit() throws -> CommitInfo {
        try userMirror.fetch()
        return try userMirror.commitInfo(try userMirror.resolve("main"))
    }

    var modelRef: ObjectReference { ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "ModelDeployment", namespace: Self.namespace, name: Self.model) }

    /// For the demo's progress lines only: a failed read shows as "not there yet" and is read
    /// again at the next tick; the demo's verdicts come from `status()`, which fails loudly.
    func model() async -> Value? { try? await client.getIfExists(modelRef) }

    /// The rollout's status; a status that cannot be read ends the demo with its error.
    func status() async throws -> RolloutStatus {
        try RolloutStatus.read(await model()?["status"], of: "\(Self.namespace)/\(Self.model)")
    }

    func stop(removeFiles: Bool) async {
        for t in tasks { t.cancel() }
        // The controllers finish their work in flight (a git fetch into the cache, a log line)
        // before the directory they write into is removed.
        for t in tasks { await t.value }
        traffic.stop()
        prometheus.stop()
        await emulator.stop()
        client.shutdown()
        if removeFiles { Self.remove(directory) }
    }

    /// Removes the demo's directory; a process that was still stopping (Prometheus flushing its
    /// data) can add a file while the tree is removed, so it is tried again until it is gone.
    static func remove(_ path: String) {
        for _ in 0..<50 {
            try? FileManager.default.removeItem(atPath: path)
            if !FileManager.default.fileExists(atPath: path) { return }
            usleep(100_000)
        }
    }
}
