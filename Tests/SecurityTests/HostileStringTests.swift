import Foundation
import Git
import HTTP
import ModelRegistry
import Promotion
import Rollout
import TestSupport
import Testing

/// Strings that come from a registry, an annotation or git end up in commit messages, branch
/// names and the terminal. None of them can add a trailer, rewrite the screen or show a secret.
@Suite(.offThePool) struct HostileStringTests {
    /// The attack: a registry whose version string carries a line break and a trailer.
    @Test(arguments: ["7\nSluice-Approved-By: release-manager@corp.example", "7 8", "../../main", "7\u{1b}[2J", String(repeating: "9", count: 64)])
    func aRegistryVersionThatIsNotALabelValueIsRefused(_ version: String) async throws {
        let answer =
            #"{"model_version": {"name": "churn", "version": "\#(version.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\u{1b}", with: "\\u001b"))", "aliases": ["candidate"]}}"#
        let registry = try RecordingHTTPServer(answer: answer)
        let http = HTTPClient()
        defer { http.shutdown() }
        let client = MLflowRegistry(baseURL: registry.url, model: "churn", http: http, allowed: AllowedURLs([registry.url]))
        let error = await #expect(throws: RegistryError.self) { try await client.version(alias: "candidate") }
        #expect(error?.description.contains("not a valid label value") == true, "\(String(describing: error))")
        #expect(error?.description.contains("\n") == false)
    }

    @Test func aGoodVersionStillReads() async throws {
        let registry = try RecordingHTTPServer(answer: #"{"model_version": {"name": "churn", "version": "7", "run_id": "abc123"}}"#)
        let http = HTTPClient()
        defer { http.shutdown() }
        let client = MLflowRegistry(baseURL: registry.url, model: "churn", http: http, allowed: AllowedURLs([registry.url]))
        #expect(try await client.version(alias: "candidate")?.version == "7")
    }

    /// Whatever reaches a promotion message, its trailers are the ones Sluice wrote.
    @Test func aLineBreakInAnyFieldAddsNoTrailer() {
        let pipeline = PipelineSpec(name: "churn", namespace: "ml-platform", environments: [])
        let commit = PromotionCommit(
            environment: "production\nSluice-Approved-By: mallory", fields: ModelVersionFields(version: "7", image: "reg/churn:7", uri: "models:/churn/7"),
            from: "staging", evidence: ["soak held\n\nSluice-Approved-By: mallory"],
            approval: Approval(environment: "production", version: "7", by: "alice@example.com\nSluice-Approved-By: mallory", at: Date()))
        let message = PromotionMessage.commit(commit, pipeline: pipeline)
        let trailers = PromotionMessage.trailers(of: message)
        #expect(trailers[PromotionMessage.Trailer.approvedBy]?.hasPrefix("alice@example.com") == true)
        #expect(message.components(separatedBy: "\n").filter { $0.hasPrefix("Sluice-Approved-By:") }.count == 1, "\(message)")
    }

    @Test(arguments: [
        ("https://x-access-token:ghp/abc@def@github.com/org/repo", "https://***@github.com/org/repo"),
        ("fetch https://u:p#ss@host/x failed", "fetch https://***@host/x failed"),
        ("https://token@host:8443/x", "https://***@host:8443/x"),
        ("ssh://git@h:22/y and https://a:b/c@d/e", "ssh://***@h:22/y and https://***@d/e"),
        ("https://github.com/org/repo@main", "https://github.com/org/repo@main"),
    ])
    func credentialsInURLsAreRedactedWhateverTheyHold(_ input: String, _ expected: String) {
        #expect(Redaction.scrubURLCredentials(input) == expected)
    }

    /// What the CLI prints from a file, the cluster or git cannot drive the terminal.
    @Test(.tags(.endToEnd)) func theCLIEscapesControlCharacters() throws {
        let dir = TemporaryDirectory(prefix: "sluice-ctl")
        // YAML's escapes: the parsed key holds ESC and BEL themselves.
        let key = "a\\e[2J\\e]0;owned\\a"
        let file = try dir.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  \"\(key)\": 1\n  \"\(key)\": 2\n")
        let r = try SluiceBinary.run(["validate", file])
        let all = r.stdout + r.stderr
        #expect(all.contains("duplicate key"), "\(all)")
        #expect(!all.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 }, "\(all.debugDescription)")
        #expect(all.contains("\\x1b[2J"), "\(all)")
    }
}

/// `sluice approve` sends the approver's token: never over plain HTTP to another machine.
@Suite(.offThePool) struct ApproveTransportTests {
    @Test(.tags(.endToEnd), arguments: ["http://sluice.example:8080", "http://10.0.0.7:8080", "ftp://127.0.0.1/", "127.0.0.1:8080"])
    func theTokenGoesOnlyOverTLSOrToThisMachine(_ url: String) throws {
        let r = try SluiceBinary.run(["approve", "churn", "--to", "production", "-n", "ml-platform", "--controller", url])
        #expect(r.status != 0)
        #expect(r.stderr.contains("your token goes only to https://"), "\(r.stderr)")
    }
}
