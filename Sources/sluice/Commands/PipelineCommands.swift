import ArgumentParser
import Controller
import Foundation
import Kube
import Manifests
import Promotion
import Rollout
import YAML

/// A ModelPipeline read for a command: its spec and status, both required to be readable.
struct PipelineOptions: ParsableArguments {
    @OptionGroup var kube: KubeOptions

    @Argument(help: "The ModelPipeline (usually the model's name).")
    var name: String

    func current(_ client: KubeClient) async throws -> (ref: ObjectReference, object: Value, spec: PipelineSpec, status: PipelineStatus) {
        let ref = ObjectReference(
            apiVersion: PromotionController.apiVersion, kind: PromotionController.kind, namespace: kube.namespace ?? client.defaultNamespace, name: name)
        let key = "\(ref.namespace ?? "")/\(name)"
        let found: Value?
        do {
            found = try await client.getIfExists(ref)
        } catch let e as KubeError where e.reason == .unknownKind {
            Terminal.error("the ModelPipeline CRD is not installed (manifests/crd-modelpipeline.yaml)")
            throw ExitCode(1)
        }
        guard let object = found else {
            Terminal.error("ModelPipeline \(key) not found")
            throw ExitCode(1)
        }
        do {
            let spec = try PipelineSpec.parse(object).get()
            return (ref, object, spec, try PipelineStatus.read(object["status"], of: key))
        } catch {
            Terminal.error("ModelPipeline \(key): \(error)")
            throw ExitCode(2)
        }
    }
}

struct Approve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Approve a model version for an environment of its pipeline.",
        discussion: """
            Records who approved (the identity the API server knows you by, read with a \
            SelfSubjectReview, as `kubectl auth whoami` does) and when, on the ModelPipeline. RBAC decides \
            who may: patching ModelPipelines (the chart's sluice-approver ClusterRole, bound per namespace). \
            Without --version, the version waiting for the environment is approved. The promotion still \
            waits for every other gate (soak, policy).
            """)

    @OptionGroup var pipeline: PipelineOptions

    @Option(help: "The environment to approve for.")
    var to: String

    @Option(help: "The version to approve (default: the one waiting for the environment).")
    var version: String?

    func run() async throws {
        let client = try pipeline.kube.client()
        defer { client.shutdown() }
        let (ref, _, spec, status): (ObjectReference, Value, PipelineSpec, PipelineStatus)
        do {
            (ref, _, spec, status) = try await pipeline.current(client)
        } catch let e as KubeError where e.reason == .forbidden {
            Terminal.error("you may not approve: \(e.message) (approvers need the sluice-approver ClusterRole in the pipeline's namespace)")
            throw ExitCode(1)
        }
        guard let env = spec.environment(to) else {
            Terminal.error("ModelPipeline \(pipeline.name) has no environment \(to) (it has \(spec.environments.map(\.name).joined(separator: ", ")))")
            throw ExitCode(1)
        }
        guard env.approvalRequired else {
            Terminal.error("\(to) does not require approval (spec.environments[].approval is none): nothing to approve")
            throw ExitCode(1)
        }
        let state = status.environments.first { $0.name == to }
        guard let v = version ?? state?.pending else {
            Terminal.error(
                "no version is waiting for \(to) (\(state?.message ?? "the controller has not looked at the pipeline yet")); name one with --version")
            throw ExitCode(1)
        }
        let who: String
        do {
            who = try await Self.identity(client)
        } catch {
            Terminal.error("cannot tell who you are (SelfSubjectReview): \(error); no approval recorded")
            throw ExitCode(1)
        }
        let approval = Approval(environment: to, version: v, by: who, at: Date())
        var patch = Value.emptyObject
        patch.set(.string(ApprovalAnnotation.value(approval)), at: ["metadata", "annotations", ApprovalAnnotation.key(environment: to)])
        do {
            _ = try await client.mergePatch(ref, patch, fieldManager: "sluice-approve")
        } catch let e as KubeError where e.reason == .forbidden {
            Terminal.error("\(who) may not approve in namespace \(ref.namespace ?? ""): \(e.message) (approvers need the sluice-approver ClusterRole there)")
            throw ExitCode(1)
        }
        Terminal.out("approved \(pipeline.name) \(v) for \(to) as \(who)\n")
        if let state, state.pending == v, state.gate != .approval {
            Terminal.out("still held by \(state.gate?.rawValue ?? state.state.rawValue): \(state.message)\n")
        }
    }

    /// The user the API server authenticated this client as.
    static func identity(_ client: KubeClient) async throws -> String {
        let review = try await client.review(["apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"])
        guard let user = review[path: ["status", "userInfo", "username"]]?.stringValue, !user.isEmpty else {
            throw KubeError(reason: .other, message: "the API server named no user")
        }
        return user
    }
}
