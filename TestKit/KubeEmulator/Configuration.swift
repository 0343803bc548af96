/// How an emulator instance behaves.
public struct EmulatorConfiguration: Sendable {
    /// 0 picks a free port.
    public var port: Int = 0
    /// Serve HTTPS with a certificate from a CA the emulator generates.
    public var tls: Bool = false
    /// With TLS, offer HTTP/2 (ALPN) as a real API server does. Off by default: SwiftNIO's HTTP/2
    /// flood protection answers libcurl's end-of-stream resets with GOAWAY (ENHANCE_YOUR_CALM)
    /// after 200 requests on one connection, which a Go API server does not do; with it on,
    /// clients see occasional connection resets that are artefacts of the emulator.
    public var http2: Bool = false
    /// With TLS: demand a client certificate signed by the emulator's CA (and accept no token).
    public var requireClientCertificate: Bool = false
    /// Bearer token every request must carry; nil accepts any request (loopback only).
    public var token: String?
    /// Basic-auth pair accepted instead of the token.
    public var basicAuth: (user: String, password: String)?
    /// Seconds after a Deployment changes until its simulated status catches up.
    public var deploymentReadyDelay: Double = 0.3
    /// Image tags whose Deployments never become available (as if the image were broken).
    public var failingImageTags: Set<String> = []
    /// `progressDeadlineSeconds` is multiplied by this, so demos and tests need not wait 10 minutes.
    public var progressDeadlineScale: Double = 1
    /// Seconds between the HPA controller's passes over every HorizontalPodAutoscaler (a real
    /// kube-controller-manager's `--horizontal-pod-autoscaler-sync-period` is 15s).
    public var autoscalerSyncPeriod: Double = 1
    /// HPA stabilisation windows (`behavior.*.stabilizationWindowSeconds`, 300s by default for
    /// scale-down) are multiplied by this, so demos and tests need not wait five minutes.
    public var autoscalerTimeScale: Double = 1
    /// Seconds until a new CustomResourceDefinition is Established.
    public var crdEstablishDelay: Double = 0.05
    /// Changes kept for watches to resume from; older resourceVersions get 410 Gone.
    public var watchHistory: Int = 10_000
    /// Seconds between BOOKMARK events on watches that ask for them.
    public var bookmarkInterval: Double = 5
    /// Namespaces present at start (a real cluster has these).
    public var initialNamespaces: [String] = ["default", "kube-system", "kube-public"]
    /// Server version reported at /version (kubectl picks a matching client from it).
    public var gitVersion: String = "v1.33.5"
    /// The simulated controllers (Deployment status, CRD establishment) wait for
    /// `KubeEmulator.runControllers()` instead of their delays: an in-process test decides
    /// when the cluster catches up, and never sleeps for it.
    public var manualControllers: Bool = false

    public init() {}
}
