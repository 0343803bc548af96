import Endpoints
import Foundation
import HTTP
import Logging
import Synchronization
import TestSupport
import Testing

/// Anyone can reach the webhook port. A request is refused before its body is read unless it
/// carries a signature header, a body is read only up to 1 MiB and MAC'd as it arrives, and a
/// delivery (or a signed timestamp) is taken once.
@Suite(.offThePool) struct HostileWebhookTests {
    static let secret = "It's a Secret to Everybody"

    final class Counter: Sendable {
        let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    func server(_ verifier: WebhookVerifier, pushes: Counter) async throws -> EndpointServer {
        let server = EndpointServer(
            host: "127.0.0.1", port: 0,
            handlers: EndpointHandlers(
                onPush: {
                    pushes.add()
                    return ["apps"]
                }, webhook: verifier), logger: Logger(label: "test"))
        try await server.start()
        return server
    }

    func post(_ port: Int, headers: [(name: String, value: String)], body: [UInt8]) async throws -> HTTPResponse {
        let http = HTTPClient()
        defer { http.shutdown() }
        return try await http.send(HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)/hooks/git", headers: headers, body: body, timeout: 30))
    }

    @Test func aReplayedDeliveryIsTakenOnce() async throws {
        let verifier = WebhookVerifier(secret: Self.secret)
        let pushes = Counter()
        let server = try await server(verifier, pushes: pushes)
        let body = Array(#"{"ref":"refs/heads/main"}"#.utf8)
        let headers = [("X-Hub-Signature-256", verifier.githubSignature(body)), ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")]
        #expect(try await post(server.port, headers: headers, body: body).status == 202)
        let again = try await post(server.port, headers: headers, body: body)
        #expect(again.status == 401)
        #expect(again.bodyText.contains("already taken"), "\(again.bodyText)")
        #expect(pushes.value == 1)
        await server.stop()
    }

    @Test func aSignedTimestampOutsideTheWindowOrTakenTwiceIsRefused() async throws {
        let now = Date()
        let verifier = WebhookVerifier(secret: Self.secret, clock: { now })
        let body = Array("{}".utf8)
        let fresh = verifier.sluiceSignature(body, at: now.addingTimeInterval(-10))
        #expect(verifier.verify(headers: ["x-sluice-signature": fresh], body: body) == .sluice)
        #expect(verifier.verify(headers: ["x-sluice-signature": fresh], body: body) != .sluice, "the same signature twice")
        let stale = verifier.sluiceSignature(body, at: now.addingTimeInterval(-301))
        #expect(verifier.verify(headers: ["x-sluice-signature": stale], body: body) != .sluice)
        let future = verifier.sluiceSignature(body, at: now.addingTimeInterval(301))
        #expect(verifier.verify(headers: ["x-sluice-signature": future], body: body) != .sluice)
        // The timestamp is signed: moving it breaks the signature.
        let moved = fresh.replacingOccurrences(of: "t=\(Int(now.timeIntervalSince1970) - 10)", with: "t=\(Int(now.timeIntervalSince1970) - 5)")
        #expect(verifier.verify(headers: ["x-sluice-signature": moved], body: body) != .sluice)
    }

    @Test func anUnsignedOrOversizedBodyIsRefusedWithoutBeingRead() async throws {
        let verifier = WebhookVerifier(secret: Self.secret)
        let pushes = Counter()
        let server = try await server(verifier, pushes: pushes)
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: 4 << 20)
        let unsigned = try await post(server.port, headers: [], body: big)
        #expect(unsigned.status == 401)
        let signed = try await post(server.port, headers: [("X-Hub-Signature-256", verifier.githubSignature(big))], body: big)
        #expect(signed.status == 413, "\(signed.status) \(signed.bodyText)")
        let forged = try await post(server.port, headers: [("X-Hub-Signature-256", "sha256=" + String(repeating: "00", count: 32))], body: Array("{}".utf8))
        #expect(forged.status == 401)
        #expect(pushes.value == 0)
        await server.stop()
    }

    /// A flood of fresh delivery ids cannot grow memory: the oldest are forgotten.
    @Test func theReplayGuardIsBounded() {
        let verifier = WebhookVerifier(secret: Self.secret)
        let body = Array("{}".utf8)
        let signature = verifier.githubSignature(body)
        for i in 0..<25_000 {
            #expect(verifier.verify(headers: ["x-hub-signature-256": signature, "x-github-delivery": "d-\(i)"], body: body) == .github)
        }
        #expect(verifier.verify(headers: ["x-hub-signature-256": signature, "x-github-delivery": "d-24999"], body: body) != .github)
        #expect(verifier.replayGuardSize <= 10_000)
    }
}
