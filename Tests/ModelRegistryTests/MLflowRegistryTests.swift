import Foundation
import HTTP
import ModelRegistry
import Promotion
import TestSupport
import Testing

/// The MLflow client against a real MLflow server on 127.0.0.1.
@Suite(.offThePool) struct MLflowRegistryTests {
    struct FixedToken: RegistryToken {
        let value: String
        func token() async throws(RegistryError) -> String { value }
    }

    static func registry(_ server: MLflowServer, model: String = "churn", token: String? = nil) -> (MLflowRegistry, HTTPClient) {
        let http = HTTPClient()
        return (MLflowRegistry(baseURL: server.url, model: model, http: http, allowed: AllowedURLs([server.url]), token: token.map(FixedToken.init)), http)
    }

    @Test func versionsAliasesTagsAndMetricsBothWays() async throws {
        let server = try MLflowServer()
        try await server.createModel("churn")
        let first = try await server.registerVersion(of: "churn", metrics: ["val_auc": 0.88], source: "s3://models/churn/a")
        let second = try await server.registerVersion(of: "churn", metrics: ["val_auc": 0.91, "val_loss": 0.2])
        let (registry, http) = Self.registry(server)
        defer { http.shutdown() }

        #expect(try await registry.version(alias: "candidate") == nil, "an alias nobody set is no candidate, not an error")
        try await server.setAlias("candidate", of: "churn", to: second)
        let candidate = try #require(try await registry.version(alias: "candidate"))
        #expect(candidate.version == second && candidate.aliases == ["candidate"])
        #expect(candidate.metrics == ["val_auc": 0.91, "val_loss": 0.2], "the metrics of the run that made it")

        let one = try #require(try await registry.version(first))
        #expect(one.source == "s3://models/churn/a" && one.metrics["val_auc"] == 0.88)
        #expect(try await registry.version("99") == nil)

        try await registry.setAlias("production", version: first)
        #expect(try await server.alias("production", of: "churn") == first)
        try await registry.setTag(version: second, key: "sluice.failed.production", value: "error-rate = 0.08 (bound 0.02)")
        #expect(try await server.tags(of: "churn", version: second)["sluice.failed.production"] == "error-rate = 0.08 (bound 0.02)")

        try await registry.setTag(version: first, key: "stage", value: "candidate")
        try await registry.setTag(version: second, key: "stage", value: "candidate")
        #expect(try await registry.newestVersion(tagged: RegistryTag(key: "stage", value: "candidate"))?.version == second)
        #expect(try await registry.newestVersion(tagged: RegistryTag(key: "stage", value: "none")) == nil)

        // A model the registry does not have is a mistake in the pipeline, not "no candidate".
        let (unknown, http2) = Self.registry(server, model: "nosuchmodel")
        defer { http2.shutdown() }
        await #expect(throws: RegistryError.self) { try await unknown.version(alias: "candidate") }
        server.stop()
    }

    @Test func aRegistryThatIsDownIsUnavailableAndTheTokenIsNeverInTheError() async throws {
        let server = try MLflowServer()
        try await server.createModel("churn")
        let (registry, http) = Self.registry(server, token: "s3cr3t-token-value")
        defer { http.shutdown() }
        #expect(try await registry.version(alias: "candidate") == nil, "the open server ignores the token")
        server.stop()
        do {
            _ = try await registry.version(alias: "candidate")
            Issue.record("a stopped registry answered")
        } catch {
            #expect(error.kind == .unavailable, "\(error)")
            #expect(!error.description.contains("s3cr3t"), "\(error)")
        }
    }
}
