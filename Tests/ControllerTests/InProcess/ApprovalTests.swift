import Controller
import Foundation
import Kube
import Promotion
import TestSupport
import Testing
import YAML

/// Approvals the API server vouches for: nothing in git or in an annotation approves, a caller
/// without the `approve` verb is refused, the identity is the token's (a caller cannot name
/// another), and an approval is of one version in one image.
@Suite(.offThePool) struct ApprovalTests {
    /// A fixture whose production waits for approval of 7.
    func waitingForApproval() async throws -> PromotionFixture {
        let f = try await PromotionFixture(pipeline: PromotionFixture.pipeline(soak: "0s"))
        f.registry.add("6")
        f.registry.add("7")
        try await f.registry.setAlias("candidate", version: "7")
        try await f.rollout("staging", phase: .succeeded, stable: "6", promotedAt: f.clock.now)
        try await f.rollout("production", phase: .succeeded, stable: "6", promotedAt: f.clock.now)
        try await f.reconcile()
        try await f.sync("staging")
        try await f.rollout("staging", phase: .succeeded, stable: "7", promotedAt: f.clock.now)
        try await f.reconcile()
        let production = try #require(try await f.environment("production"))
        try #require(production.gate == .approval && production.pending == "7", "\(production.message)")
        #expect(production.pendingImage == "registry.example.com/ml/churn:7")
        return f
    }

    /// The attack: the approval annotation committed to git (synced as part of the pipeline) or
    /// written with `kubectl annotate`, naming the release manager.
    @Test func anApprovalAnnotationApprovesNothing() async throws {
        let f = try await waitingForApproval()
        let claim = #"{"version": "7", "by": "release-manager@corp.example", "at": "2026-12-01T10:00:00Z"}"#
        var patch = Value.emptyObject
        patch.set(.string(claim), at: ["metadata", "annotations", "sluice.dev/approve-production"])
        _ = try await f.cluster.client.mergePatch(PromotionFixture.ref, patch, fieldManager: "sluice")
        try await f.reconcile()
        let production = try #require(try await f.environment("production"))
        #expect(production.gate == .approval, "\(production.message)")
        #expect(try f.file("production").contains("version: \"6\""))
        #expect(try await f.status().error?.contains("approves nothing") == true)
        let events = try await f.cluster.client.list(apiVersion: "v1", kind: "Event", namespace: "ml-platform")
        #expect(events.items.contains { $0["reason"]?.stringValue == "ApprovalIgnored" })
    }

    @Test func aCallerWithoutTheApproveVerbIsRefused() async throws {
        let f = try await waitingForApproval()
        let outcome = try await f.approve("production", version: "7", by: "intern@corp.example", grant: false)
        #expect(outcome.status == 403, "\(outcome.message)")
        #expect(outcome.message.contains("intern@corp.example may not approve"))
        // `patch` on the pipeline (the old approver role) is no approval either.
        let patchOnly = try await f.approve("production", version: "7", by: "patcher@corp.example", grant: false)
        #expect(patchOnly.status == 403)
        try await f.reconcile()
        #expect(try await f.environment("production")?.gate == .approval)
    }

    @Test func theApprovalIsTheTokensIdentityAndOfOneImage() async throws {
        let f = try await waitingForApproval()
        let outcome = try await f.approve("production", version: "7", by: "alice@corp.example")
        #expect(outcome.status == 201, "\(outcome.message)")
        #expect(outcome.approval?.by == "alice@corp.example" && outcome.approval?.image == "registry.example.com/ml/churn:7")
        let wrong = try await f.approve("production", version: "8", by: "alice@corp.example")
        #expect(wrong.status == 409 && wrong.message.contains("waits for 7, not 8"), "\(wrong.message)")
        let unauthenticated = await ApprovalService(
            client: f.cluster.client, review: { [c = f.cluster.client] in try await c.review($0) }, logger: .init(label: "t")
        )
        .approve(token: "forged-token", .init(namespace: "ml-platform", pipeline: "churn", environment: "production"))
        #expect(unauthenticated.status == 401)
        try await f.reconcile()
        #expect(try f.file("production").contains("version: \"7\""))
        #expect(PromotionMessage.trailers(of: try f.lastCommitMessage())["Sluice-Approved-By"] == "alice@corp.example")
    }

    /// Nothing applied to the pipeline object writes its status: an approval in the status is
    /// the controller's alone (the status subresource, which the approver role does not hold).
    @Test func anApprovalInTheSpecOrMetadataIsNotRead() async throws {
        let f = try await waitingForApproval()
        let claim: Value = [
            "apiVersion": "sluice.dev/v1alpha1", "kind": "ModelPipeline", "metadata": ["name": "churn", "namespace": "ml-platform"],
            "status": [
                "approvals": [
                    ["environment": "production", "version": "7", "image": "registry.example.com/ml/churn:7", "by": "ceo", "at": "2026-12-01T10:00:00Z"]
                ]
            ],
        ]
        _ = try await f.cluster.client.apply(claim, fieldManager: "sluice")
        try await f.reconcile()
        #expect(try await f.environment("production")?.gate == .approval, "a status in an applied object is dropped by the API server")
    }
}
