public import Foundation

/// Joins what the status remembers with what the cluster runs, before the machine decides. Pure.
///
/// - A failure marked on a Deployment is a failure, whatever the status says: a status edited
///   by hand, written by an older release or half lost never puts a failed version back on
///   traffic.
/// - A status that remembers nothing while Deployments of the ModelDeployment exist was lost
///   (a backup restored without status, `kubectl replace --force`, a cleared status): the
///   rollout is rebuilt from the Deployments — stable, canary at its weight, failures. Only
///   with no Deployment at all is it a first deployment.
public enum RolloutRecovery {
    public struct Outcome: Sendable, Equatable {
        public var status: RolloutStatus
        /// What was taken from the cluster, for an Event (empty: nothing).
        public var restored: [String]
        public var rebuilt: Bool
    }

    public static func recover(_ status: RolloutStatus, from record: ClusterRecord, now: Date) -> Outcome {
        var s = status
        var restored: [String] = []
        let rebuilt = status.remembersNothing && record.deployments > 0
        if rebuilt {
            s.stable = record.stable
            if let stable = record.stable { restored.append("stable version \(stable.version)") }
            if let canary = record.canary {
                s.canary = canary
                s.stepWeight = record.canaryWeight
                s.canaryStartedAt = now
                s.stepStartedAt = now
                restored.append("canary \(canary.version) at \(record.canaryWeight)%")
            }
        }
        for failed in record.failed where !s.isFailed(failed.version) {
            s.failedVersions.append(failed)
            restored.append("failed version \(failed.version) (\(failed.reason))")
        }
        if let canary = s.canary, s.isFailed(canary.version), s.phase != .rolledBack {
            // The canary's Deployment says it failed: no traffic, whatever the status said.
            s.phase = .rolledBack
            s.stepWeight = 0
        } else if rebuilt, s.canary != nil {
            s.phase = .progressing
        }
        if !restored.isEmpty {
            let message = (rebuilt ? "status rebuilt from the cluster: " : "restored from the cluster: ") + restored.joined(separator: ", ")
            s.record(s.canary?.version ?? s.stable?.version ?? "-", rebuilt ? "StatusRebuilt" : "FailureRestored", message, at: now)
        }
        return Outcome(status: s, restored: restored, rebuilt: rebuilt)
    }
}
