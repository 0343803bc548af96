public import ControllerRuntime
import Foundation
public import HTTP
public import Kube
public import Logging
import Manifests
import ModelRegistry
public import Notifications
import YAML

/// Runs one delivery queue per NotificationChannel object: reads it and the Secret it names,
/// starts (or restarts) its channel in the hub, and says in its status whether it is ready.
/// A channel that cannot run (a field wrong, the Secret or a key missing) is stopped and says
/// why; the Secret is read again every `recheck`, so a rotated URL or token takes effect.
public actor NotificationChannelController: Reconciler {
    public static let apiVersion = "sluice.dev/v1alpha1"
    public static let kind = "NotificationChannel"
    public static let fieldManager = "sluice-notifications"
    public static let recheck = 60.0

    let client: any KubeAPI
    let hub: NotificationHub
    let http: any HTTPExchange
    let logger: Logger
    /// Where a channel may send: Slack's own endpoints and what the operator allows. A
    /// tenant's channel is otherwise a way to make the controller POST to any address it can
    /// reach (cluster-internal services included).
    let allowed: AllowedURLs
    let informers: [Informer]
    public let queue = WorkQueue<String>()
    private var written: [String: String] = [:]

    public static let slackEndpoints = ["https://hooks.slack.com/", "https://slack.com/api/"]

    public init(
        client: any KubeAPI, hub: NotificationHub, http: any HTTPExchange, allowedURLs: [String] = [], namespaces: [String] = [], logger: Logger
    ) {
        allowed = AllowedURLs(Self.slackEndpoints + allowedURLs)
        self.client = client
        self.hub = hub
        self.http = http
        self.logger = logger
        informers = Watch.informers(client: client, apiVersion: Self.apiVersion, kind: Self.kind, namespaces: namespaces)
    }

    public func run() async {
        let loop = ControllerLoop(name: "notifications", keyLabel: "notificationchannel", workers: 1, metrics: nil, logger: logger)
        await loop.run(self, queue: queue, watches: informers.map(Watch.primary))
        await hub.stopAll()
    }

    public func reconcile(_ key: String) async throws -> ReconcileResult {
        let ref = ObjectKey.reference(key, apiVersion: Self.apiVersion, kind: Self.kind)
        // A failed read throws (retried): a channel is never stopped on a guess.
        guard let object = try await client.getIfExists(ref) else {
            await hub.remove(key)
            written[key] = nil
            return .done
        }
        let spec: ChannelSpec
        switch ChannelSpec.parse(object) {
        case .failure(let problems):
            await hub.remove(key)
            try await write(ref, ready: false, reason: "Invalid", message: "NotificationChannel \(key): \(problems)", object: object)
            return .done
        case .success(let s): spec = s
        }
        do {
            let (sender, fingerprint) = try await sender(for: spec, namespace: ref.namespace ?? "")
            await hub.set(key, namespace: ref.namespace ?? "", spec: spec, fingerprint: fingerprint, sender: sender)
            try await write(ref, ready: true, reason: "Ready", message: "delivering to a \(spec.kind.rawValue) channel", object: object)
        } catch let problem as ChannelProblem {
            await hub.remove(key)
            try await write(ref, ready: false, reason: problem.reason, message: problem.message, object: object)
        }
        return ReconcileResult(requeueAfter: Self.recheck)
    }

    struct ChannelProblem: Error {
        var message: String
        /// `SecretMissing` (the Secret, a key, or a value's encoding) or `URLNotAllowed`.
        var reason = "SecretMissing"
    }

    /// The sender the spec and its Secret describe, and a fingerprint of both (never the
    /// credentials themselves: a hash).
    func sender(for spec: ChannelSpec, namespace: String) async throws -> (any NotificationSender, String) {
        let ref = ObjectReference(apiVersion: "v1", kind: "Secret", namespace: namespace, name: spec.secretName)
        guard let secret = try await client.getIfExists(ref) else {
            throw ChannelProblem(message: "Secret \(namespace)/\(spec.secretName) (spec.secretRef.name) does not exist")
        }
        func key(_ name: String) throws -> [UInt8]? {
            guard let text = secret[path: ["data", name]]?.stringValue else { return nil }
            guard let data = Data(base64Encoded: text) else {
                throw ChannelProblem(message: "Secret \(namespace)/\(spec.secretName): key \(name) is not base64")
            }
            return Array(data)
        }
        func required(_ name: String) throws -> String {
            guard let bytes = try key(name), let text = String(bytes: bytes, encoding: .utf8), !text.isEmpty else {
                throw ChannelProblem(message: "Secret \(namespace)/\(spec.secretName) has no key \(name) (a \(spec.kind.rawValue) channel needs it)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // The refusal names the key, never the URL: a webhook URL is itself a credential.
        func url(_ name: String) throws -> String {
            let url = try required(name)
            guard allowed.refusal(url) == nil else {
                throw ChannelProblem(
                    message:
                        "Secret \(namespace)/\(spec.secretName): the URL in key \(name) is not under an allowed notification URL (\(allowed.prefixes.joined(separator: ", ")); the operator sets --allowed-notification-url)",
                    reason: "URLNotAllowed")
            }
            return url
        }
        let fingerprint = "\(spec)|\(secret[path: ["metadata", "resourceVersion"]]?.stringValue ?? "")"
        switch spec.kind {
        case .webhook: return (WebhookSender(url: try url("url"), secret: try key("hmacKey"), http: http), fingerprint)
        case .slackWebhook: return (JSONWebhookSender.slack(url: try url("url"), http: http), fingerprint)
        case .teams: return (JSONWebhookSender.teams(url: try url("url"), http: http), fingerprint)
        case .slack:
            let api = try key("apiURL") == nil ? "https://slack.com/api" : try url("apiURL")
            return (SlackBotSender(token: try required("token"), channel: spec.slackChannel ?? "", http: http, apiURL: api), fingerprint)
        }
    }

    private func write(_ ref: ObjectReference, ready: Bool, reason: String, message: String, object: Value) async throws {
        let key = ObjectKey.of(object)
        let summary = "\(ready)|\(reason)|\(message)"
        guard written[key] != summary else { return }
        let condition: Value = [
            "type": "Ready", "status": .string(ready ? "True" : "False"), "reason": .string(reason), "message": .string(message),
            "lastTransitionTime": .string(Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))),
            "observedGeneration": object[path: ["metadata", "generation"]] ?? .int(0),
        ]
        let body: Value = [
            "apiVersion": .string(Self.apiVersion), "kind": .string(Self.kind),
            "metadata": ["name": .string(ref.name), "namespace": .string(ref.namespace ?? "")], "status": ["conditions": [condition]],
        ]
        _ = try await client.apply(body, fieldManager: Self.fieldManager, subresource: "status")
        written[key] = summary
    }
}
