import Controller
import Foundation
import HTTP
import Kube
import Logging
import Manifests
import Notifications
import Rollout
import TestSupport
import Testing
import YAML

/// NotificationChannel objects through their controller, and a rollout's events reaching a real
/// HTTP receiver: signed, with the evidence, re-announced after a restart.
@Suite(.offThePool) struct NotificationFlowTests {
    static var quiet: Logger {
        var l = Logger(label: "test.notifications")
        l.logLevel = .critical
        return l
    }

    /// A channel controller and a rollout controller sharing one hub: what one controller process runs.
    struct Process {
        let hub: NotificationHub
        let channels: NotificationChannelController
        let rollouts: RolloutController

        init(_ f: RolloutFixture, http: HTTPClient, allowed: [String]) {
            hub = NotificationHub(metrics: nil, logger: NotificationFlowTests.quiet, policy: DeliveryPolicy(baseDelay: 0.05, maxDelay: 0.2))
            channels = NotificationChannelController(client: f.cluster.api, hub: hub, http: http, allowedURLs: allowed, logger: NotificationFlowTests.quiet)
            rollouts = RolloutController(
                client: f.cluster.api, prometheus: f.metrics, logger: NotificationFlowTests.quiet, notifications: hub, clock: f.clock.function)
        }

        func rollout(_ f: RolloutFixture) async throws {
            defer { f.cluster.settle() }
            _ = try await rollouts.reconcile(RolloutFixture.key)
        }
    }

    static func setUp(receiver: RecordingHTTPServer, namespace: String = "ml", events: String = "[CanaryStarted, RolledBack]") async throws -> RolloutFixture {
        let f = try await RolloutFixture()
        try await f.cluster.apply(try String(contentsOfFile: "\(SluiceBinary.repositoryRoot)/manifests/crd-notificationchannel.yaml", encoding: .utf8))
        if namespace != "ml" { try await f.cluster.apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: \(namespace)}\n") }
        try await f.cluster.apply(
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: oncall-hook, namespace: \(namespace)}
            stringData: {url: "\(receiver.url)/hook", hmacKey: k3y}
            ---
            apiVersion: sluice.dev/v1alpha1
            kind: NotificationChannel
            metadata: {name: oncall, namespace: \(namespace)}
            spec: {type: webhook, secretRef: {name: oncall-hook}, events: \(events)}
            """)
        return f
    }

    @Test func aRollbackReachesTheReceiverSignedWithItsEvidenceAndIsReannouncedAfterARestart() async throws {
        let receiver = try RecordingHTTPServer(failFirst: 1, secret: "k3y")
        defer { receiver.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let f = try await Self.setUp(receiver: receiver)
        var process = Process(f, http: http, allowed: [receiver.url])
        _ = try await process.channels.reconcile("ml/oncall")
        let channel = try await f.cluster.client.get(
            ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "NotificationChannel", namespace: "ml", name: "oncall"))
        #expect(channel[path: ["status", "conditions"]]?.arrayValue?.first?["status"] == "True", "\(channel["status"] ?? .null)")

        try await f.commit(version: "v1")
        try await process.rollout(f)
        try await process.rollout(f)
        try await f.commit(version: "v2")
        try await process.rollout(f)
        f.metrics.answer("v2", .value(0.5))
        f.clock.advance(30)
        try await process.rollout(f)
        #expect(try await f.status.phase == .rolledBack)

        try await eventually("the canary's start and its rollback delivered", timeout: 60) { receiver.requests.filter { $0.status == 200 }.count == 2 }
        let delivered = receiver.requests.filter { $0.status == 200 }
        #expect(delivered.map { $0.headers["X-Sluice-Event"] ?? "" } == ["CanaryStarted", "RolledBack"])
        #expect(receiver.requests.allSatisfy { $0.verified == true }, "the receiver checked every signature")
        let body = try JSON.parse(try #require(delivered.last?.body))
        #expect(body["version"] == "v2" && body[path: ["evidence", "slo"]] == "error-rate")
        #expect(body[path: ["evidence", "estimate"]] == 0.5 && body[path: ["evidence", "threshold"]] == 0.05)
        let id = try #require(delivered.last?.headers["X-Sluice-Delivery"])

        // A restart: nothing in memory. The rollback is announced again, with the same id.
        process = Process(f, http: http, allowed: [receiver.url])
        try await process.rollout(f)
        _ = try await process.channels.reconcile("ml/oncall")
        try await eventually("re-announced after the restart", timeout: 60) { receiver.requests.filter { $0.status == 200 }.count == 3 }
        #expect(receiver.requests.last?.headers["X-Sluice-Delivery"] == id, "the same notification, which the receiver can drop")
        #expect(receiver.requests.last?.headers["X-Sluice-Event"] == "RolledBack")
    }

    /// A tenant's channel must not make the controller POST wherever it likes (a service inside
    /// the cluster, the cloud's metadata address): only to Slack and what the operator allows.
    @Test func aURLTheOperatorDidNotAllowIsRefusedWithoutBeingNamed() async throws {
        let receiver = try RecordingHTTPServer()
        defer { receiver.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let f = try await Self.setUp(receiver: receiver)
        let process = Process(f, http: http, allowed: ["https://hooks.example.com/"])
        _ = try await process.channels.reconcile("ml/oncall")
        let condition = try await f.cluster.client.get(
            ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "NotificationChannel", namespace: "ml", name: "oncall"))[path: ["status", "conditions"]]?
            .arrayValue?.first
        #expect(condition?["status"] == "False" && condition?["reason"] == "URLNotAllowed", "\(condition ?? .null)")
        #expect(condition?["message"]?.stringValue?.contains("--allowed-notification-url") == true)
        #expect(condition?["message"]?.stringValue?.contains(receiver.url) == false, "the URL is a credential and is not echoed")
        #expect(await process.hub.channelKeys.isEmpty)
        try await f.commit(version: "v1")
        try await process.rollout(f)
        #expect(receiver.requests.isEmpty)
    }

    @Test func aChannelHearsOnlyItsOwnNamespace() async throws {
        let receiver = try RecordingHTTPServer()
        defer { receiver.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let f = try await Self.setUp(receiver: receiver, namespace: "team-b")
        let process = Process(f, http: http, allowed: [receiver.url])
        _ = try await process.channels.reconcile("team-b/oncall")
        try await f.commit(version: "v1")
        try await process.rollout(f)
        try await f.commit(version: "v2")
        try await process.rollout(f)
        #expect(try await f.status.canaryVersion == "v2")
        #expect(await process.hub.channelKeys == ["team-b/oncall"])
        // Published and not delivered: a later event of ml's would be queued by now.
        try await process.rollout(f)
        #expect(receiver.requests.isEmpty, "team-b's channel got ml's rollout: \(receiver.requests.map(\.body))")
    }

    @Test func aChannelThatCannotRunSaysWhyAndIsStopped() async throws {
        let receiver = try RecordingHTTPServer()
        defer { receiver.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let f = try await Self.setUp(receiver: receiver)
        let process = Process(f, http: http, allowed: [receiver.url])
        try await f.cluster.apply(
            """
            apiVersion: sluice.dev/v1alpha1
            kind: NotificationChannel
            metadata: {name: slack, namespace: ml}
            spec: {type: slack, secretRef: {name: oncall-hook}}
            ---
            apiVersion: sluice.dev/v1alpha1
            kind: NotificationChannel
            metadata: {name: nosecret, namespace: ml}
            spec: {type: teams, secretRef: {name: missing}}
            """)
        _ = try await process.channels.reconcile("ml/slack")
        _ = try await process.channels.reconcile("ml/nosecret")
        func condition(_ name: String) async throws -> Value? {
            try await f.cluster.client.get(ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "NotificationChannel", namespace: "ml", name: name))[
                path: ["status", "conditions"]]?.arrayValue?.first
        }
        let slack = try await condition("slack")
        #expect(slack?["status"] == "False" && slack?["reason"] == "Invalid")
        #expect(slack?["message"]?.stringValue?.contains("spec.slackChannel: required with type slack") == true, "\(slack ?? .null)")
        let missing = try await condition("nosecret")
        #expect(missing?["reason"] == "SecretMissing" && missing?["message"]?.stringValue?.contains("Secret ml/missing") == true)
        #expect(await process.hub.channelKeys.isEmpty)
        let all = try await f.cluster.client.listAll(apiVersion: "sluice.dev/v1alpha1", kind: "NotificationChannel", namespace: "ml").items
        #expect(!all.contains { "\($0)".contains(receiver.url) }, "the URL is in no status")
    }
}
