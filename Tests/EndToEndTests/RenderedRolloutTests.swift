import Foundation
import Rollout
import TestSupport
import Testing

/// A ModelDeployment whose version a Kustomize overlay sets, under `sluice run`: rolled out as a
/// canary, rolled back on its SLO, and reverted in git by editing the overlay (the base it
/// shares is left alone).
@Suite(.offThePool, .tags(.endToEnd)) struct RenderedRolloutTests {
    func overlay(version: String, image: String) -> String {
        """
        resources: [../../base]
        patches:
        - target: {group: sluice.dev, kind: ModelDeployment, name: churn}
          patch: |-
            - {op: replace, path: /spec/model/version, value: "\(version)"}
            - {op: replace, path: /spec/model/image, value: "\(image)"}

        """
    }

    @Test func anOverlaySetsTheVersionAndTheRevertEditsTheOverlay() async throws {
        let h = try await RolloutHarness()
        // The harness's CRD and namespace move into the base, beside the model.
        for f in ["crd.yaml", "ns.yaml"] {
            let text = try String(contentsOfFile: "\(h.sync.git.work)/\(f)", encoding: .utf8)
            try FileManager.default.removeItem(atPath: "\(h.sync.git.work)/\(f)")
            try h.sync.write("base/\(f)", text)
        }
        // Without the harness's error-free annotation: the overlay's bad image must be bad. v1 is
        // a first deployment, which no SLO judges.
        let model = h.modelDeployment(version: "v1", image: "reg/churn:1.0", extra: "  rollback: {revertCommit: true}")
            .replacingOccurrences(of: "  template:\n    annotations: {sim.sluice.dev/error-rate: \"0\"}\n", with: "")
        try h.sync.write("base/churn.yaml", model)
        try h.sync.write("base/kustomization.yaml", "resources: [crd.yaml, ns.yaml, churn.yaml]\n")
        try h.sync.write("overlays/prod/kustomization.yaml", overlay(version: "v1", image: "reg/churn:1.0"))
        try h.sync.commit("churn v1 in prod")
        try h.startController(extra: ["--path", "overlays/prod"], environment: RenderingTests.environment)
        try await h.waitFor("v1 stable") {
            let s = await h.status()
            return s.phase == .succeeded && s.stableVersion == "v1"
        }

        try h.sync.write("overlays/prod/kustomization.yaml", overlay(version: "v2", image: "reg/churn:2.0-bad"))
        try h.sync.commit("churn v2 in prod")
        try await h.waitFor("rollback") { await h.status().phase == .rolledBack }
        try await h.waitFor("revert pushed", timeout: 30) {
            (try? h.sync.git.git(["--git-dir", h.sync.git.bare, "log", "-1", "--format=%s", "main"])) == "Revert churn to model version v1"
        }
        let edited = try h.sync.git.git(["--git-dir", h.sync.git.bare, "show", "main:overlays/prod/kustomization.yaml"])
        #expect(edited.contains("value: \"v1\"") && edited.contains("reg/churn:1.0") && !edited.contains("v2"), "\(edited)")
        let changed = try h.sync.git.git(["--git-dir", h.sync.git.bare, "show", "--name-only", "--format=", "main"])
        #expect(changed == "overlays/prod/kustomization.yaml", "only the overlay is edited: \(changed)")
        try await h.waitFor("stable again on v1") {
            let s = await h.status()
            return s.phase == .succeeded && s.stableVersion == "v1"
        }
        #expect(await h.status().isFailed("v2"))
        await h.stop()
    }
}
