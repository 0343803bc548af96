public import Rollout

/// Keeps the registry saying what runs where: each environment's alias on the version it runs
/// stable, and a tag on each version rolled back there. Pure: the current registry state in,
/// the writes to make out.
public enum RegistrySync {
    public struct AliasChange: Sendable, Equatable {
        public var alias: String
        public var version: String

        public init(alias: String, version: String) {
            self.alias = alias
            self.version = version
        }
    }

    public struct FailureTag: Sendable, Equatable {
        public var version: String
        public var key: String
        public var value: String

        public init(version: String, key: String, value: String) {
            self.version = version
            self.key = key
            self.value = value
        }
    }

    public struct Plan: Sendable, Equatable {
        public var aliases: [AliasChange] = []
        public var tags: [FailureTag] = []
        /// Environments whose version cannot be mapped to a registry version, and why.
        public var notes: [String] = []

        public init(aliases: [AliasChange] = [], tags: [FailureTag] = [], notes: [String] = []) {
            self.aliases = aliases
            self.tags = tags
            self.notes = notes
        }
    }

    public static func tagKey(environment: String) -> String { "sluice.failed.\(environment)" }

    /// `versions`: the registry's versions by number, with their aliases and tags as they are.
    public static func plan(pipeline: PipelineSpec, environments: [String: EnvironmentObservation], versions: [String: RegistryVersion]) -> Plan {
        var plan = Plan()
        guard let model = pipeline.registry?.model else { return plan }
        for env in pipeline.environments {
            guard let here = environments[env.name] else { continue }
            // While a canary runs, the alias stays on the stable version: that is what serves.
            if let stable = here.stable {
                if let number = RegistryMapping.registryVersion(of: stable, model: model), let version = versions[number] {
                    if !version.aliases.contains(env.name) { plan.aliases.append(AliasChange(alias: env.name, version: number)) }
                } else {
                    plan.notes.append("\(env.name) runs \(stable.version), which is not a version of registered model \(model)")
                }
            }
            for failed in here.failed {
                guard let number = RegistryMapping.registryVersion(of: ModelVersionFields(version: failed.version, image: "", uri: nil), model: model),
                    let version = versions[number]
                else { continue }
                let value = failureText(failed)
                let key = tagKey(environment: env.name)
                if version.tags[key] != value { plan.tags.append(FailureTag(version: number, key: key, value: value)) }
            }
        }
        return plan
    }

    /// `error-rate = 0.08 > 0.02: <reason>` (or the reason alone when no SLO value was recorded).
    static func failureText(_ failed: FailedVersion) -> String {
        guard let slo = failed.slo else { return failed.reason }
        var text = slo
        if let value = failed.value { text += " = \(value)" }
        if let threshold = failed.threshold { text += " (bound \(threshold))" }
        return text + ": " + failed.reason
    }
}
