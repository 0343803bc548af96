public import DesiredState
public import Kube
public import Rendering

extension ClusterCapabilities {
    /// From the cluster's discovery. A failed read is an error, not a render for some default
    /// cluster.
    public static func read(from client: KubeClient) async throws -> ClusterCapabilities {
        let version = try await client.getJSON("/version")["gitVersion"]?.stringValue
        let resources = try await client.discovery.allResources()
        return ClusterCapabilities(kubeVersion: version, apiVersions: Set(resources.flatMap { [$0.apiVersion, "\($0.apiVersion)/\($0.kind)"] }).sorted())
    }
}

extension RenderOptions {
    /// `with` the capabilities of `client`'s cluster, read only when needed.
    public func withCapabilities(of client: KubeClient) async throws -> RenderOptions {
        wantsCapabilities ? with(try await ClusterCapabilities.read(from: client)) : self
    }
}
