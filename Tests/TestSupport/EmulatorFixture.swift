import Foundation
import HTTP
import Kube
import KubeEmulator

/// An in-process emulator for a test, and clients for it.
public final class EmulatorFixture: Sendable {
    public let emulator: KubeEmulator
    public let dir = TemporaryDirectory(prefix: "sluice-emu")

    public init(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) async throws {
        var config = EmulatorConfiguration()
        config.deploymentReadyDelay = 0.05
        configure(&config)
        emulator = try KubeEmulator(config)
        try await emulator.start()
    }

    /// A client configured the way a kubeconfig for this emulator would configure it.
    public func client(retry: RetryPolicy = .init(attempts: 5, baseDelay: 0.02, maxDelay: 0.5), qps: Double = 0, observer: RequestObserver? = nil) throws
        -> KubeClient
    {
        var config = try KubeConfigLoader.fromFiles([try kubeconfigFile()])
        config.qps = qps
        return KubeClient(config: config, retry: retry, observer: observer)
    }

    public func kubeconfigFile(namespace: String = "default") throws -> String {
        let path = dir.file("kubeconfig-\(namespace)")
        if !FileManager.default.fileExists(atPath: path) { try emulator.writeKubeconfig(to: path, namespace: namespace) }
        return path
    }

    public func stop() async { await emulator.stop() }
}
