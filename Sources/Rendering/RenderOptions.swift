/// How a source's path becomes objects: read as YAML, or rendered by the real Kustomize or Helm.
public struct RenderOptions: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Kustomize when the path holds a kustomization, Helm when it holds a `Chart.yaml`,
        /// plain YAML otherwise.
        case auto, plain, kustomize, helm
    }

    public struct Helm: Sendable, Hashable {
        /// Release name; the source's name when nil.
        public var releaseName: String?
        /// The release's namespace (`helm template --namespace`).
        public var namespace: String?
        /// Values files, as paths in the same repository (relative to the chart).
        public var valuesFiles: [String] = []
        /// Inline values, `key.path=value` as for `helm --set`.
        public var set: [String] = []
        public var includeCRDs = true
        /// The Kubernetes version and API versions charts see (`.Capabilities`); Argo CD passes
        /// the cluster's, and so does Sluice when it knows them.
        public var kubeVersion: String?
        public var apiVersions: [String] = []

        public init() {}
    }

    public struct Kustomize: Sendable, Hashable {
        /// `--enable-helm`: lets a kustomization inflate charts. Off, as in kustomize.
        public var enableHelm = false
        /// `--load-restrictor`; kustomize's default (`LoadRestrictionsRootOnly`) when nil.
        public var loadRestrictor: String?

        public init() {}
    }

    public var mode: Mode = .auto
    public var helm = Helm()
    public var kustomize = Kustomize()
    /// Wall-clock limit for one render.
    public var timeout: Double = 60
    /// Largest rendered output accepted.
    public var maxOutputBytes = 64 << 20
    /// Hosts remote bases and chart repositories may be fetched from. Empty: the tools get no
    /// network at all.
    public var allowedHosts: [String] = []

    public init(mode: Mode = .auto) { self.mode = mode }
}
