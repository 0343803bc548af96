public import Foundation
public import Kube
public import Logging
import Manifests
import YAML

/// Leader election on a `coordination.k8s.io/v1` Lease, after client-go's: only the leader
/// runs the controllers; a follower takes over when the leader's lease expires; a leader that
/// cannot renew for `renewDeadline` stops acting — before its lease can expire and another
/// replica takes over — and a leader that shuts down releases the lease at once.
///
/// Expiry is judged by this process's own clock from when it last saw the lease change, never by
/// comparing timestamps written by another machine, so clock skew between replicas is harmless.
public actor LeaderElector {
    public struct Configuration: Sendable {
        public var namespace: String
        public var name: String
        public var identity: String
        public var leaseDuration: Double
        public var renewDeadline: Double
        public var retryPeriod: Double

        public init(
            namespace: String, name: String = "sluice-leader", identity: String, leaseDuration: Double = 15, renewDeadline: Double = 10, retryPeriod: Double = 2
        ) {
            self.namespace = namespace
            self.name = name
            self.identity = identity
            self.leaseDuration = leaseDuration
            self.renewDeadline = renewDeadline
            self.retryPeriod = retryPeriod
        }
    }

    let client: KubeClient
    public nonisolated let configuration: Configuration
    let logger: Logger
    let onChange: @Sendable (Bool) -> Void
    public private(set) var isLeader = false
    private var observedVersion: String?
    private var observedAt = Date.distantPast
    private var observedHolder: String?

    public init(client: KubeClient, configuration: Configuration, logger: Logger, onChange: @escaping @Sendable (Bool) -> Void = { _ in }) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.onChange = onChange
    }

    var ref: ObjectReference {
        ObjectReference(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: configuration.namespace, name: configuration.name)
    }

    public var holder: String? { observedHolder }

    static func microTime(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Takes or renews the lease. True when this process holds it afterwards.
    func tryAcquireOrRenew() async -> Bool {
        let now = Date()
        let c = configuration
        do {
            guard let lease = try await client.getIfExists(ref) else {
                let body: Value = [
                    "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                    "metadata": ["name": .string(c.name), "namespace": .string(c.namespace)],
                    "spec": [
                        "holderIdentity": .string(c.identity), "leaseDurationSeconds": .int(Int64(c.leaseDuration.rounded(.up))),
                        "acquireTime": .string(Self.microTime(now)), "renewTime": .string(Self.microTime(now)), "leaseTransitions": 0,
                    ],
                ]
                let created = try await client.create(body, fieldManager: "sluice-leader-election")
                observe(created, at: now)
                return true
            }
            let holder = lease[path: ["spec", "holderIdentity"]]?.stringValue ?? ""
            let version = lease[path: ["metadata", "resourceVersion"]]?.stringValue
            if version != observedVersion { observe(lease, at: now) }
            let expired = now.timeIntervalSince(observedAt) > Double(lease[path: ["spec", "leaseDurationSeconds"]]?.intValue ?? Int64(c.leaseDuration))
            if !holder.isEmpty, holder != c.identity, !expired { return false }
            var updated = lease
            if holder != c.identity {
                updated.set(.string(Self.microTime(now)), at: ["spec", "acquireTime"])
                updated.set(.int((lease[path: ["spec", "leaseTransitions"]]?.intValue ?? 0) + (holder.isEmpty ? 0 : 1)), at: ["spec", "leaseTransitions"])
            }
            updated.set(.string(c.identity), at: ["spec", "holderIdentity"])
            updated.set(.string(Self.microTime(now)), at: ["spec", "renewTime"])
            updated.set(.int(Int64(c.leaseDuration.rounded(.up))), at: ["spec", "leaseDurationSeconds"])
            // The resourceVersion makes this a compare-and-swap: two candidates cannot both win.
            let written = try await client.update(updated, fieldManager: "sluice-leader-election")
            observe(written, at: now)
            return true
        } catch {
            if let e = error as? KubeError, e.isConflict || e.isAlreadyExists {
                logger.debug("lost the race for the lease", metadata: ["lease": "\(ref)"])
            } else {
                logger.warning("cannot reach the lease", metadata: ["lease": "\(ref)", "error": "\(error)"])
            }
            return false
        }
    }

    private func observe(_ lease: Value, at time: Date) {
        observedVersion = lease[path: ["metadata", "resourceVersion"]]?.stringValue
        observedAt = time
        observedHolder = lease[path: ["spec", "holderIdentity"]]?.stringValue
    }

    /// Gives the lease up (on shutdown), so a follower need not wait for it to expire.
    func release() async {
        // A lease that cannot be read is not given up: followers wait for it to expire, which
        // is slower but never hands leadership over on a guess.
        guard let lease = try? await client.getIfExists(ref), lease[path: ["spec", "holderIdentity"]]?.stringValue == configuration.identity else { return }
        var released = lease
        released.set("", at: ["spec", "holderIdentity"])
        released.set(1, at: ["spec", "leaseDurationSeconds"])
        released.set(.string(Self.microTime(Date())), at: ["spec", "renewTime"])
        do {
            _ = try await client.update(released, fieldManager: "sluice-leader-election")
            logger.info("released the lease", metadata: ["lease": "\(ref)"])
        } catch {
            logger.warning("cannot release the lease", metadata: ["error": "\(error)"])
        }
    }

    private func setLeader(_ leader: Bool) {
        guard leader != isLeader else { return }
        isLeader = leader
        onChange(leader)
    }

    /// Renews the lease, trying every retry period, until `deadline`: the time the successful
    /// attempt began, or nil when the deadline passed, another replica holds the lease or the
    /// task is cancelled. An attempt stuck in a request is abandoned at the deadline, and no
    /// pause runs past it, so a leader stops acting at its deadline, not a retry period later.
    private func renew(before deadline: Date) async -> Date? {
        while !Task.isCancelled {
            let start = Date()
            let remaining = deadline.timeIntervalSince(start)
            guard remaining > 0 else { return nil }
            if await withDeadline(seconds: remaining, Task { await self.tryAcquireOrRenew() }) == true { return start }
            if let holder = observedHolder, !holder.isEmpty, holder != configuration.identity { return nil }
            let pause = min(configuration.retryPeriod, deadline.timeIntervalSinceNow)
            guard pause > 0 else { return nil }
            try? await Task.sleep(for: .seconds(pause))
        }
        return nil
    }

    /// Competes for the lease until cancelled, running `lead` whenever this process holds it.
    /// `lead` is cancelled when leadership is lost and must then return promptly.
    public func run(lead: @escaping @Sendable () async -> Void) async {
        let c = configuration
        while !Task.isCancelled {
            // The deadline counts from when a renewal began, not when its answer came back:
            // the lease's renewTime, which other replicas go by, is no later than that.
            var renewedAt = Date()
            guard await tryAcquireOrRenew() else {
                try? await Task.sleep(for: .seconds(c.retryPeriod * Double.random(in: 1...1.2)))
                continue
            }
            logger.info("became the leader", metadata: ["identity": "\(c.identity)", "lease": "\(ref)"])
            setLeader(true)
            let work = Task { await lead() }
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(c.retryPeriod))
                if Task.isCancelled { break }
                if let at = await renew(before: renewedAt.addingTimeInterval(c.renewDeadline)) {
                    renewedAt = at
                    continue
                }
                if Task.isCancelled { break }
                if let holder = observedHolder, !holder.isEmpty, holder != c.identity {
                    logger.error("another replica holds the lease; stopping", metadata: ["holder": "\(holder)"])
                } else {
                    logger.error("could not renew the lease within the renew deadline; stopping", metadata: ["deadline": "\(c.renewDeadline)"])
                }
                break
            }
            work.cancel()
            await work.value
            setLeader(false)
            if Task.isCancelled {
                // Shutting down: release in a task of its own (this one is cancelled, and the
                // client refuses to start requests for cancelled tasks).
                await Task { await self.release() }.value
                return
            }
        }
    }
}
