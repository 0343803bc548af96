public import Rendering

/// What a chart sees of its cluster as `.Capabilities`: the server's version and every API
/// version and kind it serves (read from discovery by the shell, `ClusterCapabilities.read`).
public struct ClusterCapabilities: Sendable {
    public var kubeVersion: String?
    public var apiVersions: [String]

    public init(kubeVersion: String?, apiVersions: [String]) {
        self.kubeVersion = kubeVersion
        self.apiVersions = apiVersions
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
}
