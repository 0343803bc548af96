import Foundation

/// The promotion of an autoscaled model, without a dip in capacity: the new stable version's
/// HPA starts from the old one's size, and the old one runs until the new one has that many
/// ready pods.
extension RolloutStep {
    func scalePlan() -> ScalePlan? {
        guard let autoscaling = spec.autoscaling else { return nil }
        let stable = o.scale?.stable?.replicas ?? autoscaling.minReplicas
        return ScalePlan(stableReplicas: stable, handoverMinimum: s.handover?.replicas)
    }

    /// At a promotion: retired at once, unless autoscaled, where it hands over first.
    mutating func retireOrHandOver(_ old: String) {
        guard let autoscaling = spec.autoscaling, let size = o.scale?.stable, size.version == old else {
            retire.append(old)
            return
        }
        s.handover = Handover(from: old, replicas: max(size.replicas, autoscaling.minReplicas), until: now.addingTimeInterval(autoscaling.scaleDownWindow))
    }

    /// Each look during a hand-over: the old version is scaled down once the new stable version
    /// has as many ready pods as it had, and the minimum goes back to `minReplicas` one
    /// stabilisation window after the promotion (never while the old version still runs).
    mutating func continueHandover() {
        guard var h = s.handover else { return }
        guard spec.autoscaling != nil, s.stable?.version != h.from, s.canary?.version != h.from else {
            // Not autoscaled any more (the plain promotion retires at once), or git went back
            // to that version: it is not scaled down under the rollout that now runs it.
            if s.stable?.version != h.from && s.canary?.version != h.from { retire.append(h.from) }
            s.handover = nil
            return
        }
        if !h.retired, let stable = o.scale?.stable, stable.version == s.stable?.version, stable.ready >= h.replicas {
            retire.append(h.from)
            h.retired = true
            event(.normal, "HandedOver", "\(stable.version) has \(stable.ready) ready pods, as many as \(h.from) had: \(h.from) scaled down")
        }
        if h.retired && now >= h.until {
            s.handover = nil
            event(.normal, "HandoverEnded", "the minimum of \(s.stable?.version ?? "") is back to \(spec.autoscaling?.minReplicas ?? 1)")
        } else {
            s.handover = h
        }
    }

    /// While a hand-over runs, look again soon enough to scale the old version down once the
    /// new one is ready, and to end it on time.
    func handoverRequeue(_ requeue: Double?) -> Double? {
        guard let h = s.handover else { return requeue }
        let next = h.retired ? max(0.1, h.until.timeIntervalSince(now)) : RolloutMachine.readinessPoll
        return min(requeue ?? next, next)
    }
}
