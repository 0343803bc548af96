public import Schema

extension RolloutStatus {
    /// The status table of docs/modeldeployment.md (written by `sluice-dev generate`).
    public static let reference = StatusReference(
        [
            .init(["phase"], "`Pending`, `Progressing`, `Paused` (at a gate), `Succeeded`, `RolledBack`, `Failed`"),
            .init(["message"], "What is happening, in a sentence."),
            .init(["stableVersion", "canaryVersion"], "The versions running."),
            .init(["stepWeight", "canaryWeight"], "The step's requested and the effective canary share (percent)."),
            .init(["step", "stepStartedAt", "successfulChecks", "failedChecks", "consecutiveErrors"], "Progress at the current step."),
            .init(
                ["canaryStartedAt", "canaryWaitingSince"],
                "When the canary started, and since when its pods have not been ready (absent while they are); `progressDeadline` counts from the latter."),
            .init(["lastAnalysis", "lastAnalysisAt"], "The last checks: for each SLO its outcome, value, stable value, threshold and evidence."),
            .init(
                ["canaryRequests", "canaryRequestRate", "verdictExpectedIn"],
                "Canary requests counted at the last analysis, their rate, and the seconds until the holding SLOs reach a verdict at that rate (absent: no estimate)."
            ),
            .init(["failedVersions"], "Versions that failed, with reason, SLO, value and threshold."),
            .init(
                ["inconclusive"],
                "The version whose canary ended without a verdict: why, automatic restarts so far, when the next may happen, and whether it waits at no traffic."
            ),
            .init(
                ["scaling"],
                "With `autoscaling`: for `stable`, `canary` and (during a hand-over) `previous`, the version, its Deployment's `replicas` and `ready` pods, and its HPA's `minReplicas`, `maxReplicas`, `currentReplicas` and `desiredReplicas`."
            ),
            .init(
                ["handover"],
                "During the promotion of an autoscaled model: the version handed over `from`, its `replicas` then (the new stable version's minimum until `until`), and whether it was scaled down (`retired`)."
            ),
            .init(["history"], "The last 20 events of the rollout (started, promoted, rolled back...)."),
            .init(["sourceRevision"], "The git commit the spec came from."),
            .init(
                ["observedGeneration", "conditions"],
                "As usual: `Ready` and `Progressing` (a condition's `lastTransitionTime` changes only when its status does), and `StatusUnreadable` while the status cannot be read."
            ),
        ],
        internal: ["stable", "canary", "approvedGates", "handledCommands", "analyses", "judge"])
}
