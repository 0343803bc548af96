import Foundation
public import Logging
public import Notifications

/// The running channels, each with its queue and worker: what the controllers publish to.
/// Publishing only appends to queues, so it never slows a reconcile.
public actor NotificationHub {
    struct Channel {
        var namespace: String
        var spec: ChannelSpec
        var queue: DeliveryQueue
        var worker: Task<Void, Never>
        /// What it was built from: rebuilt only when this changes.
        var fingerprint: String
    }

    var channels: [String: Channel] = [:]
    /// What was published lately, for channels that start just after the controller does: the
    /// rollout controller re-announces recent rollbacks after a restart, possibly before the
    /// channels are running, and none of those may be lost.
    var recent: [(event: NotificationEvent, labels: [String: String], at: Date)] = []
    let started = Date()
    /// Channels set up within this long of the start get what was published before them.
    public static let startupGrace = 300.0
    static let recentLimit = 1000
    let metrics: SluiceMetrics?
    let logger: Logger
    let policy: DeliveryPolicy
    /// Told about every delivery that failed for good (an Event on the channel object).
    let failed: @Sendable (_ channel: String, _ event: NotificationEvent, _ error: DeliveryError) -> Void

    public init(
        metrics: SluiceMetrics?, logger: Logger, policy: DeliveryPolicy = .init(),
        failed: @escaping @Sendable (_ channel: String, _ event: NotificationEvent, _ error: DeliveryError) -> Void = { _, _, _ in }
    ) {
        self.metrics = metrics
        self.logger = logger
        self.policy = policy
        self.failed = failed
    }

    public var channelKeys: [String] { channels.keys.sorted() }
    /// What was published lately, oldest first.
    public var recentEvents: [NotificationEvent] { recent.map(\.event) }

    /// Starts (or restarts, if what it is built from changed) the channel `key`.
    func set(_ key: String, namespace: String, spec: ChannelSpec, fingerprint: String, sender: any NotificationSender) {
        if channels[key]?.fingerprint == fingerprint { return }
        channels[key]?.worker.cancel()
        var policy = self.policy
        policy.perMinute = spec.perMinute
        let queue = DeliveryQueue(channel: key, sender: sender, policy: policy) { [metrics, logger, failed] channel, outcome, event, error in
            metrics?.notification(channel: channel, outcome: outcome.rawValue)
            switch outcome {
            case .failed:
                logger.warning(
                    "notification not delivered", metadata: ["channel": "\(channel)", "event": "\(event.id)", "error": "\(error?.description ?? "")"])
                if let error { failed(channel, event, error) }
            case .retried:
                logger.info("notification retried", metadata: ["channel": "\(channel)", "event": "\(event.id)", "error": "\(error?.description ?? "")"])
            default: break
            }
        }
        channels[key] = Channel(namespace: namespace, spec: spec, queue: queue, worker: Task { await queue.run() }, fingerprint: fingerprint)
        guard Date().timeIntervalSince(started) < Self.startupGrace else { return }
        let missed = recent.filter { $0.event.namespace == namespace && spec.wants($0.event, labels: $0.labels) }.map(\.event)
        Task { for e in missed { await queue.enqueue(e) } }
    }

    func remove(_ key: String) {
        channels.removeValue(forKey: key)?.worker.cancel()
    }

    /// Queues `event` on every channel of its namespace that wants it.
    public func publish(_ event: NotificationEvent, labels: [String: String]) async {
        recent.append((event, labels, Date()))
        if recent.count > Self.recentLimit { recent.removeFirst(recent.count - Self.recentLimit) }
        for (_, channel) in channels.sorted(by: { $0.key < $1.key }) where channel.namespace == event.namespace && channel.spec.wants(event, labels: labels) {
            await channel.queue.enqueue(event)
        }
    }

    public func stopAll() {
        for c in channels.values { c.worker.cancel() }
        channels.removeAll()
    }
}
