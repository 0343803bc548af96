import Foundation
import HTTP
import TestSupport
import Testing

final class EchoServer: Sendable {
    let process: BackgroundProcess
    let port: Int

    init() throws {
        process = try BackgroundProcess("python3", ["\(SluiceBinary.repositoryRoot)/scripts/testing/http-echo-server.py"])
        let log = try process.waitForOutput("listening on")
        port = Int(log.split(separator: ":").last!.trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    var url: String { "http://127.0.0.1:\(port)" }
}

@Suite(.offThePool) struct HTTPClientTests {
    @Test func concurrentRequestsReuseAPoolOfConnections() async throws {
        let server = try EchoServer()
        let client = HTTPClient(maxConnectionsPerHost: 4)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<200 {
                group.addTask { try await client.send(HTTPRequest(url: "\(server.url)/item/\(i)")).status }
            }
            for try await status in group { #expect(status == 200) }
        }
        let count = Int(try await client.send(HTTPRequest(url: "\(server.url)/count")).bodyText)!
        #expect(count <= 5, "200 requests over at most 4 kept-alive connections (+1 for this one), got \(count)")
        client.shutdown()
    }

    @Test func bodiesAndMethods() async throws {
        let server = try EchoServer()
        let client = HTTPClient()
        for method in ["POST", "PUT", "PATCH"] {
            let r = try await client.send(
                HTTPRequest(method: method, url: "\(server.url)/x", headers: [("Content-Type", "application/json")], body: Array(repeating: 65, count: 100_000))
            )
            #expect(r.bodyText == "got 100000 \(method)")
        }
        let empty = try await client.send(HTTPRequest(method: "POST", url: "\(server.url)/x", body: []))
        #expect(empty.bodyText == "got 0 POST")
        client.shutdown()
    }

    @Test func timeoutsAndCancellation() async throws {
        let server = try EchoServer()
        let client = HTTPClient()
        do {
            _ = try await client.send(HTTPRequest(url: "\(server.url)/slow?s=3", timeout: 0.3))
            Issue.record("no timeout")
        } catch let e as HTTPError {
            #expect(e.kind == .timeout)
        }
        let started = Date()
        let task = Task { try await client.send(HTTPRequest(url: "\(server.url)/slow?s=30", timeout: nil)) }
        try await eventually("the request is in flight", timeout: 10) {
            (try? await client.send(HTTPRequest(url: "\(server.url)/seen?path=/slow%3Fs%3D30")).bodyText) == "1"
        }
        let cancelled = Date()
        task.cancel()
        let result = await task.result
        // The server answers 30 s after the request; returning long before that means the cancel took.
        #expect(
            Date().timeIntervalSince(cancelled) < 10 && Date().timeIntervalSince(started) < 25,
            "returned \(Date().timeIntervalSince(cancelled)) s after the cancel")
        if case .success = result { Issue.record("a cancelled request completed") }
        client.shutdown()
    }

    @Test func streamsArriveAsTheyAreSent() async throws {
        let server = try EchoServer()
        let client = HTTPClient()
        let response = try await client.stream(HTTPRequest(url: "\(server.url)/stream?n=5", timeout: nil))
        #expect(response.status == 200)
        var arrivals: [Date] = []
        var text = ""
        for try await chunk in response.body {
            arrivals.append(Date())
            text += String(decoding: chunk, as: UTF8.self)
        }
        #expect(text.split(separator: "\n").count == 5)
        #expect(arrivals.count >= 3, "chunks are delivered as they arrive, not at the end")
        client.shutdown()
    }

    @Test func connectionRefusedIsAConnectError() async throws {
        let client = HTTPClient(connectTimeout: 2)
        do {
            _ = try await client.send(HTTPRequest(url: "http://127.0.0.1:\(freePort())/"))
            Issue.record("connected to a closed port")
        } catch let e as HTTPError {
            #expect(e.kind == .connect)
        }
    }
}
