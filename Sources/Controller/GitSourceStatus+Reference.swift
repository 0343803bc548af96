public import Schema

extension GitSourceStatus {
    /// The status table of docs/sources.md (written by `sluice-dev generate`).
    public static let reference = StatusReference([
        .init(
            ["conditions"],
            "`Ready`: `True` (reason `Synced`), `False` (`SyncFailed`: the last commit was not applied, or `Invalid`: the object may not run as it stands), `Unknown` (`Progressing`: started, first sync under way)"
        ),
        .init(["revision", "commitMessage"], "the commit applied"),
        .init(["sync", "health", "objects", "lastSyncTime"], "as `sluice status` shows them"),
        .init(["errors"], "the last pass's problems, one per object, with file and line (at most 20)"),
        .init(["observedGeneration"], "the spec generation the status is for"),
    ])
}
