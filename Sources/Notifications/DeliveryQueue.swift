/// One channel's outbox: notifications wait here, in order, and one worker sends them with the
/// channel's `DeliveryPolicy`, so a slow or failing receiver delays only its own channel and
/// never the reconcile that produced the notification (`enqueue` only appends).
public actor DeliveryQueue {
    public enum Outcome: String, Sendable, CaseIterable {
        case delivered, retried, failed, duplicate, dropped
    }

    public let channel: String
    let sender: any NotificationSender
    let policy: DeliveryPolicy
    let pacer: any Pacer
    let report: @Sendable (_ channel: String, _ outcome: Outcome, _ notification: NotificationEvent, _ error: DeliveryError?) -> Void
    var pending: [NotificationEvent] = []
    var seen: [String: Double] = [:]
    var sent: [Double] = []
    var waiter: CheckedContinuation<NotificationEvent?, Never>?
    var stopped = false

    public init(
        channel: String, sender: any NotificationSender, policy: DeliveryPolicy = .init(), pacer: any Pacer = ContinuousPacer(),
        report: @escaping @Sendable (_ channel: String, _ outcome: Outcome, _ notification: NotificationEvent, _ error: DeliveryError?) -> Void
    ) {
        self.channel = channel
        self.sender = sender
        self.policy = policy
        self.pacer = pacer
        self.report = report
    }

    public var depth: Int { pending.count }

    /// Queues a notification; false if it is a duplicate (its id seen within the window).
    @discardableResult
    public func enqueue(_ n: NotificationEvent) async -> Bool {
        let now = await pacer.now
        seen = seen.filter { now - $0.value < policy.dedupWindow }
        guard seen[n.id] == nil else {
            report(channel, .duplicate, n, nil)
            return false
        }
        seen[n.id] = now
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: n)
            return true
        }
        if pending.count >= policy.capacity {
            let victim = pending.firstIndex { !$0.kind.isWarning } ?? 0
            report(channel, .dropped, pending.remove(at: victim), nil)
        }
        pending.append(n)
        return true
    }

    /// Sends until cancelled.
    public func run() async {
        while let n = await next() { await deliver(n) }
    }

    func next() async -> NotificationEvent? {
        if stopped { return nil }
        if !pending.isEmpty { return pending.removeFirst() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { waiter = $0 }
        } onCancel: {
            Task { await self.stop() }
        }
    }

    func stop() {
        stopped = true
        waiter?.resume(returning: nil)
        waiter = nil
    }

    func deliver(_ n: NotificationEvent) async {
        for attempt in 0..<max(1, policy.maxAttempts) {
            await takeRateSlot()
            do {
                try await sender.send(n)
                report(channel, .delivered, n, nil)
                return
            } catch {
                if case .permanent = error { return report(channel, .failed, n, error) }
                if attempt == policy.maxAttempts - 1 || stopped { return report(channel, .failed, n, error) }
                report(channel, .retried, n, error)
                await pacer.wait(policy.backoff(after: attempt, draw: Double.random(in: 0...1)))
            }
        }
    }

    /// At most `perMinute` sends in any minute: waits for the oldest of the last ones to age out.
    func takeRateSlot() async {
        var now = await pacer.now
        sent.removeAll { now - $0 >= 60 }
        if sent.count >= policy.perMinute, let oldest = sent.first {
            await pacer.wait(oldest + 60 - now)
            now = await pacer.now
            sent.removeAll { now - $0 >= 60 }
        }
        sent.append(now)
    }
}
