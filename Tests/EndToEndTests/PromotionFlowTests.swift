import Foundation
import Kube
import Manifests
import Promotion
import Rollout
import TestSupport
import Testing
import YAML

/// Promotion end to end, with every part real: the built `sluice run` against the emulator, a
/// git remote it commits to, a real Prometheus scraping simulated traffic, a real MLflow
/// tracking server, and the `sluice` CLI for approvals, status and history.
@Suite(.offThePool, .tags(.endToEnd)) struct PromotionFlowTests {
    static func modelDeployment(_ env: String, version: String) -> String {
        """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelDeployment
        metadata: {name: churn, namespace: ml-\(env)}
        spec:
          model:
            name: churn-\(env)
            version: "\(version)"
            image: "reg/churn:\(version)"
            uri: "models:/churn/\(version)"
          replicas: 4
          template:
            resources:
              requests: {cpu: 100m, memory: 128Mi}
          canary:
            steps: [5, 25, 50, 100]
            stepDuration: 2s
            progressDeadline: 120s
            analysis: {interval: 2s, failureLimit: 0, errorLimit: 2, minSuccessfulChecks: 1}
            slos:
            - name: error-rate
              errors: sum(increase(model_requests_total{model="{{model}}",version="{{version}}",code=~"5.."}[{{window}}]))
              total: sum(increase(model_requests_total{model="{{model}}",version="{{version}}"}[{{window}}]))
              max: 0.05
        """
    }

    static func pipeline(mlflow: String, image: String = "reg/churn:{{version}}") -> String {
        """
        apiVersion: sluice.dev/v1alpha1
        kind: ModelPipeline
        metadata: {name: churn, namespace: ml-platform}
        spec:
          registry:
            mlflow: {url: "\(mlflow)", model: churn, alias: candidate, image: "\(image)"}
          environments:
          - name: staging
            modelDeployment: {namespace: ml-staging}
          - name: production
            modelDeployment: {namespace: ml-production}
            soakTime: 6s
            approval: required
            policy:
              metrics: [{name: val_auc, min: 0.8}]
        """
    }

    static let approverBinding = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: sluice-approver}
        rules:
        - apiGroups: [sluice.dev]
          resources: [modelpipelines]
          verbs: [get, list, approve]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: release-managers, namespace: ml-platform}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: sluice-approver}
        subjects:
        - {kind: ServiceAccount, name: release-manager, namespace: ml-platform}
        """

    final class Flow: Sendable {
        let h: RolloutHarness
        let mlflow: MLflowServer

        init(h: RolloutHarness, mlflow: MLflowServer) {
            self.h = h
            self.mlflow = mlflow
        }

        func pipelineStatus() async -> PipelineStatus? {
            let ref = ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "ModelPipeline", namespace: "ml-platform", name: "churn")
            return try? PipelineStatus.read(try await h.sync.client.getIfExists(ref)?["status"], of: "ml-platform/churn")
        }

        func environment(_ name: String) async -> EnvironmentState? { await pipelineStatus()?.environments.first { $0.name == name } }

        func rollout(_ env: String) async -> RolloutStatus {
            let ref = ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "ModelDeployment", namespace: "ml-\(env)", name: "churn")
            return (try? RolloutStatus.read(try await h.sync.client.getIfExists(ref)?["status"], of: "ml-\(env)/churn")) ?? RolloutStatus()
        }

        func stable(_ env: String, _ version: String) async -> Bool {
            let s = await rollout(env)
            return s.phase == .succeeded && s.stableVersion == version
        }

        /// What the controller pushed: the remote's main, pulled into the fixture's copy.
        func file(_ env: String) throws -> String {
            _ = try h.sync.git.git(["pull", "-q", "--ff-only", "origin", "main"])
            return try String(contentsOfFile: "\(h.sync.git.work)/envs/\(env)/churn.yaml", encoding: .utf8)
        }

        func remoteHead() throws -> String { try h.sync.git.git(["ls-remote", h.sync.git.bare, "refs/heads/main"]) }

        /// `sluice approve` as a service account of ml-platform.
        func approve(as account: String, version: String? = nil) async throws -> ProcessResult {
            let kubeconfig = try String(contentsOfFile: h.sync.kubeconfig, encoding: .utf8)
                .replacingOccurrences(of: "e2e-token", with: h.sync.fx.emulator.serviceAccountToken(namespace: "ml-platform", name: account))
            let file = try h.sync.dir.write("kubeconfig-\(account)", kubeconfig)
            return try await SluiceBinary.run(
                ["approve", "churn", "--to", "production", "-n", "ml-platform", "--kubeconfig", file, "--controller", "http://127.0.0.1:\(h.listenPort)"]
                    + (version.map { ["--version", $0] } ?? []))
        }
    }

    @Test func fromTheRegistryThroughStagingToProductionAndBackOnABreach() async throws {
        let h = try await RolloutHarness()
        let mlflow = try MLflowServer()
        let flow = Flow(h: h, mlflow: mlflow)
        try await mlflow.createModel("churn")
        let v1 = try await mlflow.registerVersion(of: "churn", metrics: ["val_auc": 0.86])
        try await mlflow.setAlias("candidate", of: "churn", to: v1)

        try h.sync.write("crd-pipeline.yaml", try String(contentsOfFile: "\(SluiceBinary.repositoryRoot)/manifests/crd-modelpipeline.yaml", encoding: .utf8))
        try h.sync.write(
            "namespaces.yaml",
            ["ml-staging", "ml-production", "ml-platform"].map { "apiVersion: v1\nkind: Namespace\nmetadata: {name: \($0)}\n" }.joined(separator: "---\n"))
        for env in ["staging", "production"] { try h.sync.write("envs/\(env)/churn.yaml", Self.modelDeployment(env, version: v1)) }
        try h.sync.write("pipelines/churn.yaml", Self.pipeline(mlflow: mlflow.url))
        try h.sync.commit("churn \(v1) in staging and production, and its pipeline")
        let signing = try SigningKey(in: h.sync.dir)
        try h.startController(extra: ["--promotion-interval", "1s", "--allowed-registry-url", mlflow.url, "--commit-signing-key", signing.privateKey])
        try await h.waitFor("version 1 stable in both environments", timeout: 90) {
            let staging = await flow.stable("staging", v1)
            let production = await flow.stable("production", v1)
            return staging && production
        }
        for object in try YAML.documents(in: Self.approverBinding) { _ = try await h.sync.client.apply(object.root.value, fieldManager: "kubectl") }

        // A new version is registered: staging gets it by commit, its canary promotes it.
        let v2 = try await mlflow.registerVersion(of: "churn", metrics: ["val_auc": 0.88])
        try await mlflow.setAlias("candidate", of: "churn", to: v2)
        try await h.waitFor("staging committed to \(v2)", timeout: 60) { (try? flow.file("staging").contains("version: \"\(v2)\"")) == true }
        let stagingCommit = try h.sync.git.git(["log", "-1", "--format=%B", "--", "envs/staging/churn.yaml"])
        #expect(stagingCommit.hasPrefix("Promote churn \(v2) to staging (from registry)"), "\(stagingCommit)")
        try await h.waitFor("\(v2) promoted in staging", timeout: 120) { await flow.stable("staging", v2) }

        // Soak, then the approval gate.
        try await h.waitFor("production waits for approval of \(v2)", timeout: 60) {
            let p = await flow.environment("production")
            return p?.gate == .approval && p?.pending == v2
        }
        let held = await flow.pipelineStatus()?.history.filter { $0.event == "Held" && $0.environment == "production" }.map(\.message) ?? []
        #expect(held.contains { $0.hasPrefix("Soak:") }, "it soaked first: \(held)")
        #expect(try flow.file("production").contains("version: \"\(v1)\""), "nothing reaches production unapproved")

        let refused = try await flow.approve(as: "intern")
        #expect(refused.status == 1 && refused.stderr.contains("may not approve") && refused.stderr.contains("sluice-approver"), "\(refused.stderr)")
        let approved = try await flow.approve(as: "release-manager")
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("approved churn \(v2) for production as system:serviceaccount:ml-platform:release-manager"), "\(approved.stdout)")

        try await h.waitFor("production committed to \(v2)", timeout: 60) { (try? flow.file("production").contains("version: \"\(v2)\"")) == true }
        let productionCommit = try h.sync.git.git(["log", "-1", "--format=%B", "--", "envs/production/churn.yaml"])
        #expect(productionCommit.contains("Sluice-Approved-By: system:serviceaccount:ml-platform:release-manager"), "\(productionCommit)")
        #expect(productionCommit.contains("soaked 6s in staging: error-rate"), "\(productionCommit)")
        #expect(productionCommit.contains("val_auc = 0.88"), "\(productionCommit)")
        try await h.waitFor("\(v2) promoted in production", timeout: 120) { await flow.stable("production", v2) }
        try await h.waitFor("MLflow's aliases on \(v2)", timeout: 30) {
            let staging = try? await mlflow.alias("staging", of: "churn")
            let production = try? await mlflow.alias("production", of: "churn")
            return staging == v2 && production == v2
        }

        // The next version passes staging but breaches in production.
        let v3 = try await mlflow.registerVersion(of: "churn", metrics: ["val_auc": 0.9])
        try await mlflow.setAlias("candidate", of: "churn", to: v3)
        try await h.waitFor("\(v3) promoted in staging and waiting for approval", timeout: 180) {
            let p = await flow.environment("production")
            return p?.gate == .approval && p?.pending == v3
        }
        h.traffic.setBehavior(model: "churn-production", version: v3, .init(errorRate: 0.4, latency: 0.04))
        let admin = try await h.sync.sluice(
            "approve", ["churn", "--to", "production", "-n", "ml-platform", "--controller", "http://127.0.0.1:\(h.listenPort)"], repo: false)
        #expect(admin.status == 0 && admin.stdout.contains("as kubernetes-admin"), "\(admin.stdout)\(admin.stderr)")
        try await h.waitFor("\(v3) rolled back in production", timeout: 120) { await flow.rollout("production").isFailed(v3) }
        try await h.waitFor("\(v3) tagged as failed in production", timeout: 30) {
            (try? await mlflow.tags(of: "churn", version: v3))?["sluice.failed.production"]?.hasPrefix("error-rate") == true
        }
        #expect(try await mlflow.alias("production", of: "churn") == v2, "the registry says what runs in production: \(v2)")
        #expect(try await mlflow.alias("staging", of: "churn") == v3)

        let history = try await h.sync.sluice("history", ["churn", "-n", "ml-platform"], repo: false)
        #expect(history.status == 0, "\(history.stderr)")
        for expected in [
            "version \(v3)", "Registered", "Promoted", "approved by kubernetes-admin", "canary RolledBack", "verdict Failed", "AliasMoved", "Tagged",
        ] {
            #expect(history.stdout.contains(expected), "history lacks \(expected):\n\(history.stdout)")
        }

        // A pipeline that would run :latest blocks, with a clear status, and commits nothing.
        // (The edit goes on top of what the controller pushed, as a person's commit would.)
        #expect(try flow.file("staging").contains("version: \"\(v3)\""))
        try h.sync.write("pipelines/churn.yaml", Self.pipeline(mlflow: mlflow.url, image: "reg/churn:latest"))
        try h.sync.commit("churn pipeline: images from :latest")
        let pipelineRef = ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "ModelPipeline", namespace: "ml-platform", name: "churn")
        try await h.waitFor("the pipeline change applied", timeout: 30) {
            let image = try? await h.sync.client.getIfExists(pipelineRef)?[path: ["spec", "registry", "mlflow", "image"]]?.stringValue
            return image == "reg/churn:latest"
        }
        let v4 = try await mlflow.registerVersion(of: "churn", metrics: ["val_auc": 0.9])
        try await mlflow.setAlias("candidate", of: "churn", to: v4)
        try await h.waitFor("staging blocked by policy", timeout: 60) {
            let s = await flow.environment("staging")
            return s?.state == .blocked && s?.gate == .policy
        }
        let status = try await h.sync.sluice("status", ["churn", "-n", "ml-platform"], repo: false)
        #expect(status.stdout.contains("Blocked") && status.stdout.contains("reg/churn:latest is :latest"), "\(status.stdout)")
        #expect(try flow.file("staging").contains("version: \"\(v3)\""))

        // MLflow down: everything holds, and the status says why.
        let head = try flow.remoteHead()
        mlflow.stop()
        try await h.waitFor("the registry reported down", timeout: 60) {
            let p = await flow.pipelineStatus()
            return p?.registry?.reachable == false && p?.environments.first?.gate == .registry
        }
        #expect(try flow.remoteHead() == head, "no commit while the registry is down")
        h.controller?.stop()

        // The status keeps the last events only; git keeps every promotion. With the audit trail
        // gone from the status, `history --repo` still finds them by their trailers, in the
        // commits the controller's key signed: a person's commit with the same trailers (an
        // approval nobody gave) is left out.
        try h.sync.git.git(["pull", "-q", "--rebase", "origin", "main"])
        try h.sync.write("pipelines/churn.yaml", Self.pipeline(mlflow: mlflow.url))
        try h.sync.git.git([
            "commit", "-q", "-a", "-m",
            "Promote churn 99 to production (from staging)\n\n- soak held\n\nSluice-Pipeline: ml-platform/churn\nSluice-Environment: production\nSluice-Version: 99\nSluice-From: staging\nSluice-Approved-By: mallory@corp.example",
        ])
        try h.sync.git.git(["push", "-q", "origin", "HEAD:main"])
        let signed = try h.sync.git.git(["log", "-1", "--format=%H", "--grep", "Promote churn \(v3) to production"])
        let verified = try await run(
            "git", ["-c", "gpg.ssh.allowedSignersFile=\(signing.allowedSigners)", "verify-commit", signed], cwd: h.sync.git.work)
        #expect(verified.status == 0 && verified.stderr.contains("Good \"git\" signature"), "git verify-commit: \(verified.stderr)")
        _ = try await h.sync.client.mergePatch(pipelineRef, ["status": ["history": []]], subresource: "status", fieldManager: "test")
        let fromGit = try await SluiceBinary.run([
            "history", "churn", "-n", "ml-platform", "--kubeconfig", h.sync.kubeconfig, "--repo", h.sync.daemon.url, "--cache-dir",
            h.sync.dir.file("cache-cli"), "--trusted-signer", signing.publicKey,
        ])
        #expect(fromGit.status == 0, "\(fromGit.stderr)")
        let committed = fromGit.stdout.split(separator: "\n").filter { $0.contains("Committed") }
        #expect(committed.count == 4, "staging and production, for \(v2) and \(v3):\n\(fromGit.stdout)")
        #expect(committed.contains { $0.contains("production") && $0.contains("approved by system:serviceaccount:ml-platform:release-manager") })
        #expect(!fromGit.stdout.contains("mallory"), "\(fromGit.stdout)")
        #expect(fromGit.stderr.contains("1 commit(s) carry this pipeline's trailers without the trusted signature"), "\(fromGit.stderr)")
    }
}
