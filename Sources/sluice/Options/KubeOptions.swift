import ArgumentParser
import Foundation
import Kube

/// How to reach the cluster, shared by every command that talks to one.
struct KubeOptions: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("Kubeconfig file (default: in-cluster credentials in a pod, else $KUBECONFIG, else ~/.kube/config).", valueName: "file")
    )
    var kubeconfig: String?

    @Option(name: .long, help: "Kubeconfig context (default: the current context).")
    var context: String?

    @Option(name: .shortAndLong, help: "Namespace for objects that do not name one (default: the context's).")
    var namespace: String?

    @Option(name: .long, help: "Namespace of Sluice's inventory ConfigMaps (default: $SLUICE_INVENTORY_NAMESPACE, else default).")
    var inventoryNamespace: String?

    @Option(help: "Client-side rate limit: requests per second to the API server (0: none; --concurrency already bounds requests in flight).")
    var qps: Double = 0

    @Option(help: "Client-side rate limit: burst above --qps.")
    var burst: Int = 100

    @Option(help: ArgumentHelp("How long one API request may take before it fails as a timeout (and is retried when safe).", valueName: "duration"))
    var requestTimeout: DurationArgument = DurationArgument(seconds: 60)

    var resolvedInventoryNamespace: String {
        inventoryNamespace ?? ProcessInfo.processInfo.environment["SLUICE_INVENTORY_NAMESPACE"].flatMap { $0.isEmpty ? nil : $0 } ?? "default"
    }

    /// The cluster these options name, with their rate limit and request timeout.
    func config() throws -> ClusterConfig {
        var config = try KubeConfigLoader.load(.init(kubeconfig: kubeconfig, context: context, namespace: namespace))
        config.qps = qps
        config.burst = burst
        config.requestTimeout = requestTimeout.seconds
        return config
    }

    func client(concurrency: Int = 16) throws -> KubeClient {
        KubeClient(config: try config(), maxConnections: max(4, concurrency))
    }
}
