public import Kube
public import Rendering

extension RenderOptions {
    /// Helm renders for the cluster it targets, as Argo CD does: the server's version and every
    /// API version and kind it serves become `--kube-version` and `--api-versions` (what a chart
    /// sees as `.Capabilities`), unless they were given. A failed read is an error, not a
    /// render for some default cluster.
    public func withCapabilities(of client: KubeClient) async throws -> RenderOptions {
        guard mode == .helm || mode == .auto, helm.kubeVersion == nil || helm.apiVersions.isEmpty else { return self }
        var o = self
        if o.helm.kubeVersion == nil {
            o.helm.kubeVersion = try await client.getJSON("/version")["gitVersion"]?.stringValue
        }
        if o.helm.apiVersions.isEmpty {
            let resources = try await client.discovery.allResources()
            o.helm.apiVersions = Set(resources.flatMap { [$0.apiVersion, "\($0.apiVersion)/\($0.kind)"] }).sorted()
        }
        return o
    }
}
