import Foundation
import HTTP
import ModelRegistry
import Promotion
import Rollout
import TestSupport
import Testing
import YAML

/// A ModelPipeline comes from git and can be patched by approvers: whatever it names, the
/// controller reads no file of its pod and sends nothing (least of all a token) to a URL the
/// operator has not allowed.
@Suite(.offThePool) struct RegistryCredentialTests {
    struct FixedToken: RegistryToken {
        let value: String
        func token() async throws(RegistryError) -> String { value }
    }

    static func pipeline(_ mlflow: String) throws -> Result<PipelineSpec, SpecErrors> {
        let yaml = """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelPipeline
            metadata: {name: churn, namespace: team-a}
            spec:
              registry:
                mlflow: {url: "https://mlflow.corp.example", model: churn, alias: candidate, image: "reg/churn:{{version}}", \(mlflow)}
              environments:
              - name: staging
                modelDeployment: {namespace: team-a}
            """
        return PipelineSpec.parse(try YAML.documents(in: yaml)[0].root.value)
    }

    /// The attack: `tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token`.
    @Test func aPipelineCannotNameAFileOfThePod() throws {
        guard case .failure(let errors) = try Self.pipeline("tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token") else {
            Issue.record("a pipeline naming the pod's service-account token was accepted")
            return
        }
        #expect(errors.description.contains("spec.registry.mlflow.tokenFile"), "\(errors)")
        #expect(errors.description.contains("tokenSecretRef"), "\(errors)")
    }

    @Test func theTokenSecretIsThePipelinesOwnNamespace() throws {
        let spec = try Self.pipeline("tokenSecretRef: {name: mlflow}").get()
        #expect(spec.registry?.tokenSecret == SecretKeyReference(namespace: "team-a", name: "mlflow", key: "token"))
        guard case .failure(let errors) = try Self.pipeline("tokenSecretRef: {name: mlflow, namespace: team-b}") else {
            Issue.record("a pipeline naming another namespace's Secret was accepted")
            return
        }
        #expect(errors.description.contains("tokenSecretRef.namespace"), "\(errors)")
    }

    static let allowed = AllowedURLs(["https://mlflow.corp.example", "http://127.0.0.1:5000/team-a/"])

    @Test(arguments: [
        "https://mlflow.corp.example", "https://mlflow.corp.example/", "https://MLflow.Corp.Example:443/api/2.0/mlflow/x",
        "http://127.0.0.1:5000/team-a", "http://127.0.0.1:5000/team-a/api/2.0/mlflow/registered-models/alias?name=x",
    ])
    func allowed(_ url: String) {
        #expect(Self.allowed.refusal(url) == nil, "\(url)")
    }

    /// Each is one way to make an allowed-looking URL reach another host or path.
    @Test(arguments: [
        "https://mlflow.corp.example.evil.example", "https://mlflow.corp.example@evil.example", "https://user:pw@mlflow.corp.example",
        "http://mlflow.corp.example", "https://mlflow.corp.example:8443", "http://127.0.0.1:5000/team-b", "http://127.0.0.1:5000/team-ab",
        "http://127.0.0.1:5000/team-a/../team-b", "http://127.0.0.1:5000/team-a/%2e%2e/team-b", "http://127.0.0.1:5001/team-a",
        "file:///var/run/secrets/kubernetes.io/serviceaccount/token", "gopher://mlflow.corp.example", "mlflow.corp.example", "",
    ])
    func refused(_ url: String) {
        #expect(Self.allowed.refusal(url) != nil, "\(url)")
    }

    @Test func noneAllowedIsNoRegistry() {
        #expect(AllowedURLs([]).refusal("https://mlflow.corp.example")?.contains("--allowed-registry-url") == true)
    }

    /// The attack as it was done, against a real HTTP receiver: a pipeline (or a patch of it)
    /// pointing the registry at the attacker's server. Nothing arrives there.
    @Test func nothingIsSentToAURLTheOperatorDidNotAllow() async throws {
        let attacker = try RecordingHTTPServer()
        let http = HTTPClient()
        defer { http.shutdown() }
        let registry = MLflowRegistry(
            baseURL: attacker.url, model: "churn", http: http, allowed: AllowedURLs(["https://mlflow.corp.example"]),
            token: FixedToken(value: "controller-token"))
        let error = await #expect(throws: RegistryError.self) { try await registry.version(alias: "candidate") }
        #expect(error?.description.contains("not under an allowed registry URL") == true, "\(String(describing: error))")
        await #expect(throws: RegistryError.self) { try await registry.setAlias("production", version: "7") }
        #expect(attacker.requests.isEmpty)

        // The same receiver, allowed: the request and its token do arrive (so the test above
        // would have seen them).
        let allowedRegistry = MLflowRegistry(
            baseURL: attacker.url, model: "churn", http: http, allowed: AllowedURLs([attacker.url]), token: FixedToken(value: "registry-token"))
        _ = try? await allowedRegistry.version(alias: "candidate")
        #expect(attacker.requests.map { $0.headers["Authorization"] } == ["Bearer registry-token"])
    }

    @Test func aTokenWithALineBreakIsNotSent() async throws {
        let receiver = try RecordingHTTPServer()
        let http = HTTPClient()
        defer { http.shutdown() }
        let registry = MLflowRegistry(
            baseURL: receiver.url, model: "churn", http: http, allowed: AllowedURLs([receiver.url]), token: FixedToken(value: "t\r\nX-Injected: 1"))
        let error = await #expect(throws: RegistryError.self) { try await registry.version(alias: "candidate") }
        #expect(error?.kind == .unauthorized)
        #expect(receiver.requests.isEmpty)
    }
}
