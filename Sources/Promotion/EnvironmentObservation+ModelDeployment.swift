public import Rollout
public import Values

extension EnvironmentObservation {
    /// What an environment's ModelDeployment says, read from the object the API server returned
    /// (nil: there is none). A status that is there but cannot be read throws: a promotion is
    /// never decided on a status mistaken for an empty one.
    public static func of(_ environment: String, object: Value?, key: String) throws(StoredStateError) -> EnvironmentObservation {
        guard let object else { return EnvironmentObservation(name: environment, desired: nil) }
        let status = try RolloutStatus.read(object["status"], of: key)
        let model = object[path: ["spec", "model"]]
        let desired = model.flatMap { m -> ModelVersionFields? in
            guard let version = m["version"]?.stringValue, let image = m["image"]?.stringValue else { return nil }
            return ModelVersionFields(version: version, image: image, uri: m["uri"]?.stringValue)
        }
        let requests = object[path: ["spec", "template", "resources", "requests"]]?.objectValue ?? [:]
        let slos = object[path: ["spec", "canary", "slos"]]?.arrayValue?.count ?? 0
        let stable = status.stable.map { ModelVersionFields(version: $0.version, image: $0.image, uri: $0.uri) }
        let promotedAt = stable.flatMap { s in status.history.last(where: { $0.version == s.version && $0.event == "Promoted" })?.time }
        return EnvironmentObservation(
            name: environment, desired: desired, phase: status.phase, stable: stable, promotedAt: promotedAt, failed: status.failedVersions,
            hasResourceRequests: !requests.isEmpty, sloCount: slos)
    }
}
