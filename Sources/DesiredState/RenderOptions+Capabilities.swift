public import Kube
public import Rendering

/// What a chart sees of its cluster as `.Capabilities`: the server's version and every API
/// version and kind it serves, read from discovery.
public struct ClusterCapabilities: Sendable {
    public var kubeVersion: String?
    public var apiVersions: [String]

    /// A failed read is an error, not a render for some default cluster.
    public static func read(from client: KubeClient) async throws -> ClusterCapabilities {
        let version = try await client.getJSON("/version")["gitVersion"]?.stringValue
        let resources = try await client.discovery.allResources()
        return ClusterCapabilities(kubeVersion: version, apiVersions: Set(resources.flatMap { [$0.apiVersion, "\($0.apiVersion)/\($0.kind)"] }).sorted())
    }
}

extension RenderOptions {
    /// Whether Helm may render with these options and has no capabilities of its own.
    public var wantsCapabilities: Bool { (mode == .helm || mode == .auto) && (helm.kubeVersion == nil || helm.apiVersions.isEmpty) }

    /// Helm renders for the cluster it targets, as Argo CD does: `--kube-version` and
    /// `--api-versions` from the cluster, unless they were given.
    public func with(_ capabilities: ClusterCapabilities) -> RenderOptions {
        var o = self
        if o.helm.kubeVersion == nil { o.helm.kubeVersion = capabilities.kubeVersion }
        if o.helm.apiVersions.isEmpty { o.helm.apiVersions = capabilities.apiVersions }
        return o
    }

    /// `with` the capabilities of `client`'s cluster, read only when needed.
    public func withCapabilities(of client: KubeClient) async throws -> RenderOptions {
        wantsCapabilities ? with(try await ClusterCapabilities.read(from: client)) : self
    }
}
