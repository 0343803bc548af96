import Foundation
import HTTP
import Kube
import KubeEmulator
import YAML

/// The emulator without a socket and with its simulated controllers on a leash: requests go
/// straight to its handlers (`KubeEmulator.inProcessExchange`), and Deployments report their
/// rollout only when the test calls `settle()`. Nothing in a test built on it waits for time.
public final class InProcessCluster: Sendable {
    public let emulator: KubeEmulator
    /// The client as Sluice builds it, minus libcurl.
    public let client: KubeClient
    /// `client` behind a recorder with fault injection: what controllers under test get.
    public let api: InterceptedKubeAPI

    public init(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) throws {
        var config = EmulatorConfiguration()
        config.manualControllers = true
        configure(&config)
        emulator = try KubeEmulator(config)
        // No retries: a fault a test injects must reach the code under test as it is.
        client = KubeClient(config: ClusterConfig(server: "http://emulator.in-process", qps: 0), exchange: emulator.inProcessExchange(), retry: .none)
        api = InterceptedKubeAPI(client)
    }

    /// Applies YAML documents as their owner would (`kubectl apply --server-side`), unrecorded.
    public func apply(_ yaml: String, fieldManager: String = "kubectl") async throws {
        for document in try YAML.documents(in: yaml) where document.root.value != .null {
            _ = try await client.apply(document.root.value, fieldManager: fieldManager)
        }
        settle()
    }

    /// The repository's ModelDeployment CRD, installed and Established.
    public func installModelDeploymentCRD() async throws {
        try await apply(try String(contentsOfFile: "\(SluiceBinary.repositoryRoot)/manifests/crd-modeldeployment.yaml", encoding: .utf8))
    }

    /// The ModelPipeline CRD (from the chart), installed and Established.
    public func installModelPipelineCRD() async throws {
        try await apply(try String(contentsOfFile: "\(SluiceBinary.repositoryRoot)/charts/sluice/crds/modelpipelines.yaml", encoding: .utf8))
    }

    /// Lets the simulated controllers catch up with everything written so far.
    public func settle() {
        while emulator.runControllers() > 0 {}
    }

    public func stop() async { await emulator.stop() }
}
