import Foundation
import HTTP
import Notifications
import Synchronization
import TestSupport
import Testing
import YAML

/// A queue per channel, against real HTTP receivers on 127.0.0.1.
@Suite(.offThePool) struct DeliveryTests {
    final class Outcomes: Sendable {
        let all = Mutex<[(DeliveryQueue.Outcome, String)]>([])
        func record(_ outcome: DeliveryQueue.Outcome, _ id: String) { all.withLock { $0.append((outcome, id)) } }
        func count(_ outcome: DeliveryQueue.Outcome) -> Int { all.withLock { $0.filter { $0.0 == outcome }.count } }
    }

    /// Time that passes only as the queue waits, and the waits it asked for.
    actor VirtualPacer: Pacer {
        var clock = 0.0
        var waits: [Double] = []
        var now: Double { clock }
        func wait(_ seconds: Double) {
            waits.append(seconds)
            clock += seconds
        }
    }

    static func queue(_ sender: any NotificationSender, _ outcomes: Outcomes, policy: DeliveryPolicy, pacer: any Pacer = ContinuousPacer()) -> DeliveryQueue {
        DeliveryQueue(channel: "test", sender: sender, policy: policy, pacer: pacer) { _, outcome, n, _ in outcomes.record(outcome, n.id) }
    }

    @Test func aReceiverThatFailsFirstGetsItOnARetryWithAValidSignature() async throws {
        let receiver = try RecordingHTTPServer(failFirst: 2, secret: "s3cret")
        defer { receiver.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let outcomes = Outcomes()
        let q = Self.queue(
            WebhookSender(url: receiver.url + "/hooks/sluice", secret: Array("s3cret".utf8), http: http), outcomes,
            policy: DeliveryPolicy(baseDelay: 0.05, maxDelay: 0.2))
        let worker = Task { await q.run() }
        defer { worker.cancel() }
        await q.enqueue(rollback)
        try await eventually("delivered", timeout: 60) { outcomes.count(.delivered) == 1 }
        #expect(outcomes.count(.retried) == 2)
        let got = receiver.requests
        #expect(got.map(\.status) == [503, 503, 200])
        #expect(got.allSatisfy { $0.verified == true }, "the receiver verified every signature")
        #expect(Set(got.map { $0.headers["X-Sluice-Delivery"] ?? "" }) == [rollback.id], "one delivery id, so a receiver can drop repeats")
    }

    @Test func aSlowReceiverTimesOutAndIsRetriedWithoutHoldingTheCaller() async throws {
        let receiver = try RecordingHTTPServer(delay: 1.5)
        defer { receiver.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let outcomes = Outcomes()
        let q = Self.queue(
            JSONWebhookSender.teams(url: receiver.url + "/workflows", http: http, timeout: 0.5), outcomes,
            policy: DeliveryPolicy(maxAttempts: 2, baseDelay: 0.01))
        let worker = Task { await q.run() }
        defer { worker.cancel() }
        let started = ContinuousClock.now
        await q.enqueue(rollback)
        #expect(ContinuousClock.now - started < .milliseconds(200), "enqueueing does not wait for the receiver")
        try await eventually("given up after two timeouts", timeout: 60) { outcomes.count(.failed) == 1 }
        #expect(outcomes.count(.retried) == 1 && outcomes.count(.delivered) == 0)
    }

    @Test func theSameEventTwiceIsSentOnce() async throws {
        let receiver = try RecordingHTTPServer()
        defer { receiver.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let outcomes = Outcomes()
        let q = Self.queue(JSONWebhookSender.slack(url: receiver.url + "/services/T/B/X", http: http), outcomes, policy: .init())
        let worker = Task { await q.run() }
        defer { worker.cancel() }
        #expect(await q.enqueue(rollback))
        #expect(!(await q.enqueue(rollback)), "a second look at the same rollback")
        try await eventually("delivered", timeout: 60) { outcomes.count(.delivered) == 1 }
        #expect(outcomes.count(.duplicate) == 1 && receiver.requests.count == 1)
        let body = try JSON.parse(try #require(receiver.requests.first?.body))
        #expect(body["blocks"]?.arrayValue?.count == 4)
    }

    @Test func backoffDoublesWithJitterAndTheRateLimitSpacesSends() async throws {
        let policy = DeliveryPolicy(baseDelay: 1, maxDelay: 8)
        #expect(policy.backoff(after: 0, draw: 0) == 0.5 && policy.backoff(after: 0, draw: 1) == 1)
        #expect(policy.backoff(after: 3, draw: 1) == 8 && policy.backoff(after: 10, draw: 1) == 8, "capped")

        struct Accepting: NotificationSender {
            func send(_ notification: NotificationEvent) async throws(DeliveryError) {}
        }
        let pacer = VirtualPacer()
        let outcomes = Outcomes()
        let q = Self.queue(Accepting(), outcomes, policy: DeliveryPolicy(perMinute: 2), pacer: pacer)
        let worker = Task { await q.run() }
        defer { worker.cancel() }
        for i in 0..<5 {
            var n = rollback
            n.id = "n\(i)"
            await q.enqueue(n)
        }
        try await eventually("all five delivered", timeout: 60) { outcomes.count(.delivered) == 5 }
        #expect(await pacer.waits == [60, 60], "two a minute: the third and the fifth wait for a slot")
    }

    @Test func aPermanentRefusalIsNotRetried() async throws {
        struct Refusing: NotificationSender {
            func send(_ notification: NotificationEvent) async throws(DeliveryError) { throw .permanent("Slack refused the message: channel_not_found") }
        }
        let outcomes = Outcomes()
        let q = Self.queue(Refusing(), outcomes, policy: .init())
        let worker = Task { await q.run() }
        defer { worker.cancel() }
        await q.enqueue(rollback)
        try await eventually("failed", timeout: 60) { outcomes.count(.failed) == 1 }
        #expect(outcomes.count(.retried) == 0)
    }
}
