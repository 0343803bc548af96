import ArgumentParser
import Controller
import Foundation
import HTTP
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
            Sends your own bearer token (from your kubeconfig) to the controller, which asks the API \
            server who you are (TokenReview) and whether you hold the verb approve on the ModelPipeline \
            (SubjectAccessReview: the chart's sluice-approver ClusterRole, bound per namespace), then \
            records the approval in the pipeline's status, bound to the version and image waiting. \
            Nobody can approve in another's name, and nothing in git or in an annotation approves. \
            Reach the controller with `kubectl -n sluice-system port-forward svc/sluice 8080` and \
            --controller http://127.0.0.1:8080 (or SLUICE_CONTROLLER). Without --version, the version \
            waiting for the environment is approved. The promotion still waits for every other gate.
            """)

    @OptionGroup var pipeline: PipelineOptions

    @Option(help: "The environment to approve for.")
    var to: String

    @Option(help: "The version to approve (default: the one waiting for the environment).")
    var version: String?

    @Option(help: ArgumentHelp("The controller's endpoint (default: $SLUICE_CONTROLLER).", valueName: "url"))
    var controller: String?

    func run() async throws {
        guard let base = controller ?? ProcessInfo.processInfo.environment["SLUICE_CONTROLLER"], !base.isEmpty else {
            throw ValidationError("--controller is required: the controller records approvals (kubectl -n sluice-system port-forward svc/sluice 8080)")
        }
        // The request carries your credentials: only over TLS, or to this machine (a port-forward).
        guard let url = URLComponents(string: base), let scheme = url.scheme, let host = url.host,
            scheme == "https" || (scheme == "http" && ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host))
        else {
            throw ValidationError(
                "--controller \(base): your token goes only to https:// or to http://127.0.0.1 (kubectl port-forward), not elsewhere over plain HTTP")
        }
        let client = try pipeline.kube.client()
        defer { client.shutdown() }
        guard let token = try await client.bearerToken() else {
            Terminal.error(
                "your kubeconfig has no bearer token (a client certificate cannot be vouched for by TokenReview): use an OIDC or service-account token")
            throw ExitCode(1)
        }
        let namespace = pipeline.kube.namespace ?? client.defaultNamespace
        var body: [String: String] = ["namespace": namespace, "pipeline": pipeline.name, "environment": to]
        if let version { body["version"] = version }
        let http = HTTPClient()
        defer { http.shutdown() }
        let response: HTTPResponse
        do {
            response = try await http.send(
                HTTPRequest(
                    method: "POST", url: base.hasSuffix("/") ? base + "v1/approvals" : base + "/v1/approvals",
                    headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")], body: Array(try JSONEncoder().encode(body)),
                    timeout: 30))
        } catch {
            Terminal.error("cannot reach the controller at \(base): \(error)")
            throw ExitCode(1)
        }
        let said = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard response.status == 201 else {
            Terminal.error("not approved (HTTP \(response.status)): \(said)")
            throw ExitCode(1)
        }
        Terminal.out(said + "\n")
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
