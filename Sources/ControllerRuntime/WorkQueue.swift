import Foundation

/// A controller work queue, after client-go's: keys are deduplicated (a key queued twice is
/// processed once), a key is never processed by two workers at once (a key added while it is
/// being processed is queued again when it is done), and failures back off exponentially per key.
public actor WorkQueue<Key: Hashable & Sendable> {
    private var queue: [Key] = []
    private var queued = Set<Key>()
    private var processing = Set<Key>()
    private var dirty = Set<Key>()
    private var failures: [Key: Int] = [:]
    private var timers: [Key: (task: Task<Void, Never>, due: ContinuousClock.Instant)] = [:]
    private var waiters: [CheckedContinuation<Key?, Never>] = []
    private var shutDown = false
    public let baseDelay: Double
    public let maxDelay: Double

    public init(baseDelay: Double = 0.1, maxDelay: Double = 60) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public var depth: Int { queue.count }

    public func add(_ key: Key) {
        guard !shutDown else { return }
        if processing.contains(key) {
            dirty.insert(key)
            return
        }
        guard queued.insert(key).inserted else { return }
        if !waiters.isEmpty {
            queued.remove(key)
            processing.insert(key)
            waiters.removeFirst().resume(returning: key)
        } else {
            queue.append(key)
        }
    }

    /// Adds the key after a delay. A pending delay for the same key that ends sooner is kept
    /// (as controller-runtime's delaying queue does): a later request never postpones a check
    /// that was already due earlier.
    public func add(_ key: Key, after seconds: Double) {
        guard !shutDown else { return }
        if seconds <= 0 { return add(key) }
        let due = ContinuousClock.now + .seconds(seconds)
        if let pending = timers[key], pending.due <= due { return }
        timers[key]?.task.cancel()
        let task = Task { [weak self] in
            try? await Task.sleep(until: due, clock: .continuous)
            guard !Task.isCancelled else { return }
            await self?.fire(key)
        }
        timers[key] = (task, due)
    }

    private func fire(_ key: Key) {
        timers[key] = nil
        add(key)
    }

    /// Re-adds a key that failed, waiting longer after each consecutive failure.
    public func addRateLimited(_ key: Key) {
        let n = failures[key, default: 0]
        failures[key] = n + 1
        add(key, after: min(maxDelay, baseDelay * pow(2, Double(n))))
    }

    /// The key succeeded: its backoff starts over.
    public func forget(_ key: Key) { failures[key] = nil }

    /// The next key to process, or nil once shut down.
    public func next() async -> Key? {
        if shutDown { return nil }
        if !queue.isEmpty {
            let key = queue.removeFirst()
            queued.remove(key)
            processing.insert(key)
            return key
        }
        return await withCheckedContinuation { waiters.append($0) }
    }

    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.remove(key) != nil { add(key) }
    }

    public func shutdown() {
        shutDown = true
        for t in timers.values { t.task.cancel() }
        timers.removeAll()
        for w in waiters { w.resume(returning: nil) }
        waiters.removeAll()
    }
}
