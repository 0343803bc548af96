import ClusterSync
public import CommitSigning
public import Controller
public import DesiredState
import Foundation
public import Git
public import Kube
import Logging
public import Sync

/// Builds one source's controller: its git mirror, its client (the controller's, or one acting
/// as the source's service account), its syncer and its verifier. The same for a source of the
/// settings and one a GitSource object defines.
public struct SourceBuilder: Sendable {
    let settings: RunConfiguration
    let cluster: ClusterConfig
    let client: KubeClient
    let metrics: SluiceMetrics
    let signer: SSHCommitSigner?
    let events: EventRecorder
    /// Read once at start when a source of the settings renders for the cluster.
    let capabilities: ClusterCapabilities?
    /// A client for a configuration (one impersonating a source's account) and the source's
    /// name: libcurl's in a process, the emulator's in-process exchange in tests.
    let makeClient: @Sendable (ClusterConfig, String) -> KubeClient

    public init(
        settings: RunConfiguration, cluster: ClusterConfig, client: KubeClient, metrics: SluiceMetrics, signer: SSHCommitSigner?, events: EventRecorder,
        capabilities: ClusterCapabilities?, makeClient: @escaping @Sendable (ClusterConfig, String) -> KubeClient
    ) {
        self.settings = settings
        self.cluster = cluster
        self.client = client
        self.metrics = metrics
        self.signer = signer
        self.events = events
        self.capabilities = capabilities
        self.makeClient = makeClient
    }

    public func make(
        _ s: RunConfiguration.Source, transport: GitTransportOptions, verifier: SignatureVerifier?,
        onStatus: @escaping @Sendable (String, SourceStatus) -> Void = { _, _ in }
    ) async throws -> SourceCatalog.Entry {
        var render = s.render
        if render.wantsCapabilities {
            if let capabilities {
                render = render.with(capabilities)
            } else {
                render = render.with(try await ClusterCapabilities.read(from: client))
            }
        }
        let git = GitSource(
            spec: GitSourceSpec(url: GitSourceSpec.normalizedURL(s.repo), ref: s.ref, path: s.path), cacheDirectory: settings.cacheDirectory,
            transport: transport, render: render, limits: settings.sourceLimits, renderDirectory: settings.renderDirectory, signer: signer)
        // A source with a service account acts as it: its RBAC, not the controller's, decides
        // what the source may change. The inventory stays the controller's.
        var sourceClient = client
        if let account = s.serviceAccount {
            var impersonating = cluster
            let parts = account.split(separator: "/")
            impersonating.impersonate = "system:serviceaccount:\(parts[0]):\(parts[1])"
            sourceClient = makeClient(impersonating, s.name)
        }
        let syncer = Syncer(
            client: sourceClient, inventoryClient: client,
            options: SyncOptions(
                source: s.name, inventoryNamespace: settings.inventoryNamespace, concurrency: settings.concurrency, prune: s.prune, allowEmpty: s.allowEmpty,
                detailedPlan: false,
                targetNamespaces: s.targetNamespaces, allowClusterScoped: s.allowClusterScoped, adopt: s.adopt,
                protectedNamespaces: settings.controllerNamespace.map { [$0] } ?? []))
        var log = Logger(label: "sluice.sync")
        log[metadataKey: "source"] = "\(s.name)"
        let controller = SourceController(
            name: s.name, git: git, syncer: syncer, interval: s.interval, logger: log, metrics: metrics, events: events,
            namespaces: settings.watchNamespaces, verifier: verifier, onStatus: onStatus)
        return SourceCatalog.Entry(git: git, controller: controller)
    }
}
