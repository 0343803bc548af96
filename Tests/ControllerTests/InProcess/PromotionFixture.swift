import Controller
import ControllerRuntime
import DesiredState
import Foundation
import Kube
import Logging
import Manifests
import ModelRegistry
import Promotion
import Sync
import TestSupport
import YAML

@testable import Rollout

/// A ModelPipeline (`ml-platform/churn`: staging → production) and its promotion controller, in
/// process: the emulator's API without a socket, a real git repository the controller commits
/// to through libgit2, a registry in memory, scripted metrics and a clock that moves when told.
final class PromotionFixture: Sendable {
    let cluster: InProcessCluster
    let git: GitFixture
    let cache = TemporaryDirectory(prefix: "sluice-promo-cache")
    let clock = ManualClock()
    let metrics = ScriptedMetrics()
    let registry = MemoryRegistry()
    let controller: PromotionController
    static let key = "ml-platform/churn"
    static let ref = ObjectReference(apiVersion: PromotionController.apiVersion, kind: PromotionController.kind, namespace: "ml-platform", name: "churn")

    init(pipeline: String = PromotionFixture.pipeline()) async throws {
        cluster = try InProcessCluster()
        try await cluster.installModelDeploymentCRD()
        try await cluster.installModelPipelineCRD()
        for ns in ["ml-staging", "ml-production", "ml-platform"] { try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: \(ns)}\n") }
        git = try GitFixture()
        for env in ["staging", "production"] { try git.write("envs/\(env)/churn.yaml", Self.modelDeployment(env, version: "6")) }
        _ = try git.commit("churn 6 everywhere")
        var logger = Logger(label: "test.promotion")
        logger.logLevel = .critical
        let source = GitSource(spec: GitSourceSpec(url: git.bare), cacheDirectory: cache.path)
        let registry = self.registry
        controller = PromotionController(
            client: cluster.api, registries: { _ in registry },
            committer: GitPromotionCommitter(ownership: SourceOwnership(client: cluster.api, inventoryNamespace: "sluice-system", sources: ["envs": source])),
            prometheus: metrics,
            logger: logger, clock: clock.function)
        for env in ["staging", "production"] { try await sync(env) }
        try await cluster.apply(pipeline)
        try await recordInventory()
    }

    /// What the source controller records for source `envs` once it applied the pipeline and
    /// both ModelDeployments: the inventory promotions and reverts trust for which source owns
    /// what.
    func recordInventory(_ objects: [ObjectReference]? = nil) async throws {
        try await cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: sluice-system}\n")
        let owned =
            objects ?? [
                Self.ref,
                ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "ModelDeployment", namespace: "ml-staging", name: "churn"),
                ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "ModelDeployment", namespace: "ml-production", name: "churn"),
            ]
        let inventory = Inventory(source: "envs", objects: owned)
        _ = try await cluster.client.apply(try inventory.configMap(namespace: "sluice-system"), fieldManager: "sluice")
    }

    static func pipeline(soak: String = "1h", approval: String = "required", extra: String = "") -> String {
        """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelPipeline
        metadata: {name: churn, namespace: ml-platform}
        spec:
          registry:
            mlflow: {url: "http://mlflow:5000", model: churn, alias: candidate, image: "registry.example.com/ml/churn:{{version}}"}
          environments:
          - name: staging
            modelDeployment: {namespace: ml-staging}
          - name: production
            modelDeployment: {namespace: ml-production}
            soakTime: \(soak)
            approval: \(approval)
        \(extra)
        """
    }

    static func modelDeployment(_ env: String, version: String, image: String? = nil) -> String {
        """
        # churn in \(env): the promotion controller edits the three model fields only.
        apiVersion: sluice.dev/v1alpha1
        kind: ModelDeployment
        metadata:
          name: churn
          namespace: ml-\(env)
        spec:
          model:
            version: "\(version)"
            image: \(image ?? "registry.example.com/ml/churn:\(version)")
            uri: models:/churn/\(version)
          template:
            resources:
              requests: {cpu: "1", memory: 1Gi}
          canary:
            slos:
            - name: error-rate
              query: 'errors{version="{{version}}"}'
              max: 0.05
        """
    }

    /// What the source controller does: the file as git has it now, applied with its source marks.
    func sync(_ env: String) async throws {
        _ = try git.git(["pull", "-q", "--ff-only", "origin", "main"])
        let path = "envs/\(env)/churn.yaml"
        var object = try YAML.documents(in: try String(contentsOfFile: "\(git.work)/\(path)", encoding: .utf8))[0].root.value
        object.set(.string("envs"), at: ["metadata", "annotations", "sluice.dev/source"])
        object.set(.string(path), at: ["metadata", "annotations", "sluice.dev/source-path"])
        _ = try await cluster.client.apply(object, fieldManager: "sluice")
    }

    static func fields(_ v: String) -> VersionSpec {
        var spec = VersionSpec(try! ModelDeploymentSpec.parse(YAML.documents(in: modelDeployment("staging", version: v))[0].root.value).get())
        spec.uri = "models:/churn/\(v)"
        return spec
    }

    /// What the rollout controller would have written in `env`: `stable` runs, promoted by a
    /// canary at `promotedAt` (nil: deployed without one), with `failed` rolled back.
    func rollout(_ env: String, phase: RolloutStatus.Phase, stable: String, promotedAt: Date? = nil, failed: [FailedVersion] = []) async throws {
        var status = RolloutStatus()
        status.phase = phase
        status.stable = Self.fields(stable)
        status.failedVersions = failed
        if let promotedAt { status.record(stable, "Promoted", "canary promoted", at: promotedAt) }
        let body: Value = [
            "apiVersion": "sluice.dev/v1alpha1", "kind": "ModelDeployment", "metadata": ["name": "churn", "namespace": .string("ml-\(env)")],
            "status": try status.value(conditions: []),
        ]
        _ = try await cluster.client.apply(body, fieldManager: RolloutController.fieldManager, subresource: "status")
    }

    func status() async throws -> PipelineStatus {
        try PipelineStatus.read(try await cluster.client.getIfExists(Self.ref)?["status"], of: Self.key)
    }

    func environment(_ name: String) async throws -> EnvironmentState? { try await status().environments.first { $0.name == name } }

    /// The file `env`'s ModelDeployment comes from, at the head of main in the remote.
    func file(_ env: String) throws -> String {
        _ = try git.git(["pull", "-q", "--ff-only", "origin", "main"])
        return try String(contentsOfFile: "\(git.work)/envs/\(env)/churn.yaml", encoding: .utf8)
    }

    func lastCommitMessage() throws -> String { try git.git(["log", "-1", "--format=%B"]) }

    /// `sluice approve` as `by`: a person the API server authenticates, holding the verb approve
    /// on the pipeline through a RoleBinding in its namespace.
    @discardableResult
    func approve(_ env: String, version: String, by: String = "alice@example.com", grant: Bool = true) async throws -> ApprovalService.Outcome {
        if grant {
            try await cluster.apply(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: approver, namespace: ml-platform}
                rules: [{apiGroups: [sluice.dev], resources: [modelpipelines], verbs: [get, list, approve]}]
                """)
            try await cluster.apply(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: approver-\(abs(by.hashValue)), namespace: ml-platform}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: approver}
                subjects: [{kind: User, name: "\(by)", apiGroup: rbac.authorization.k8s.io}]
                """)
        }
        let token = cluster.emulator.userToken(by)
        var logger = Logger(label: "test.approvals")
        logger.logLevel = .critical
        return await ApprovalService(
            client: cluster.client, review: { [client = cluster.client] in try await client.review($0) }, logger: logger, clock: clock.function
        )
        .approve(token: token, .init(namespace: "ml-platform", pipeline: "churn", environment: env, version: version))
    }

    @discardableResult
    func reconcile() async throws -> ReconcileResult { try await controller.reconcile(Self.key) }
}
