import Foundation
public import Rollout
import Schema
public import Values

extension PipelineSpec {
    public static let apiVersion = "sluice.dev/v1alpha1"
    public static let kind = "ModelPipeline"

    /// Reads a ModelPipeline object, collecting every problem with its field path (and line,
    /// where the object came from YAML that kept marks).
    public static func parse(_ object: Value) -> Result<PipelineSpec, SpecErrors> {
        var reader = FieldReader(root: object, errors: ModelPipelineAPI.spec.check(object["spec"] ?? .null, at: ["spec"]))
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? "default"

        let registry = Self.registry(&reader, namespace: namespace)

        var environments: [EnvironmentSpec] = []
        let list = reader.lookup(["spec", "environments"])?.arrayValue ?? []
        if list.isEmpty { reader.fail(["spec", "environments"], "required: at least one environment, in promotion order") }
        var seen = Set<String>()
        for i in list.indices {
            environments.append(environment(i, pipeline: name, registry: registry, reader: &reader, seen: &seen))
        }
        let reviewBranch = reader.string(["spec", "reviewBranch"])
        if let branch = reviewBranch, let problem = Self.reviewBranchProblem(branch) { reader.fail(["spec", "reviewBranch"], problem) }
        guard reader.errors.isEmpty else { return .failure(SpecErrors(errors: reader.errors)) }
        return .success(PipelineSpec(name: name, namespace: namespace, registry: registry, environments: environments, reviewBranch: reviewBranch))
    }
}

extension PipelineSpec {
    /// `spec.registry`: the registry the first environment's candidates come from.
    static func registry(_ reader: inout FieldReader, namespace: String) -> RegistrySpec? {
        guard reader.lookup(["spec", "registry"]) != nil else { return nil }
        let base = ["spec", "registry", "mlflow"]
        guard reader.lookup(base) != nil else {
            reader.fail(["spec", "registry"], "must name a registry: mlflow (the only one supported)")
            return nil
        }
        let url = reader.string(base + ["url"]) ?? ""
        if !url.isEmpty, !(url.hasPrefix("http://") || url.hasPrefix("https://")) { reader.fail(base + ["url"], "must be an http:// or https:// URL") }
        let model = reader.string(base + ["model"]) ?? ""
        let alias = reader.string(base + ["alias"])
        var tag: RegistryTag?
        if reader.lookup(base + ["tag"]) != nil {
            let key = reader.string(base + ["tag", "key"]) ?? ""
            tag = RegistryTag(key: key, value: reader.string(base + ["tag", "value"]) ?? "")
        }
        if (alias == nil) == (tag == nil) { reader.fail(base, "give exactly one of alias or tag: which registry version is the candidate") }
        let image = reader.string(base + ["image"]) ?? ""
        if reader.lookup(base + ["tokenFile"]) != nil {
            reader.fail(
                base + ["tokenFile"],
                "is not read: a synced object may not name a file of the controller's pod; put the token in a Secret in namespace \(namespace) and name it in tokenSecretRef"
            )
        }
        var tokenSecret: SecretKeyReference?
        if reader.lookup(base + ["tokenSecretRef"]) != nil {
            let secret = reader.string(base + ["tokenSecretRef", "name"]) ?? ""
            let key = reader.string(base + ["tokenSecretRef", "key"]) ?? "token"
            if reader.lookup(base + ["tokenSecretRef", "namespace"]) != nil {
                reader.fail(
                    base + ["tokenSecretRef", "namespace"], "is not allowed: the Secret is read from the pipeline's own namespace (\(namespace))")
            }
            tokenSecret = SecretKeyReference(namespace: namespace, name: secret, key: key)
        }
        return RegistrySpec(
            url: url, model: model, alias: alias, tag: tag, image: image, uri: reader.string(base + ["uri"]), tokenSecret: tokenSecret)
    }

    /// `spec.environments[i]`, its name checked unique among those `seen` so far.
    static func environment(_ i: Int, pipeline name: String, registry: RegistrySpec?, reader: inout FieldReader, seen: inout Set<String>)
        -> EnvironmentSpec
    {
        let base = ["spec", "environments", "\(i)"]
        let envName = reader.string(base + ["name"]) ?? ""
        if !envName.isEmpty, !seen.insert(envName).inserted { reader.fail(base + ["name"], "\(envName) is listed twice") }
        let target = reader.string(base + ["modelDeployment", "name"]) ?? name
        let targetNamespace = reader.string(base + ["modelDeployment", "namespace"]) ?? ""
        let soak = reader.duration(base + ["soakTime"])
        if i == 0, soak > 0 { reader.fail(base + ["soakTime"], "the first environment has no upstream to soak in") }
        let approval = reader.string(base + ["approval"]) ?? "none"
        var policy = PolicySpec()
        policy.pinnedImage = reader.bool(base + ["policy", "pinnedImage"], default: true)
        policy.resources = reader.bool(base + ["policy", "resources"], default: true)
        policy.slos = reader.bool(base + ["policy", "slos"], default: true)
        for j in (reader.lookup(base + ["policy", "metrics"])?.arrayValue ?? []).indices {
            let m = base + ["policy", "metrics", "\(j)"]
            let metric = MetricRequirement(
                name: reader.string(m + ["name"]) ?? "", min: reader.number(m + ["min"]), max: reader.number(m + ["max"]))
            if metric.min == nil && metric.max == nil { reader.fail(m, "give min, max or both") }
            policy.metrics.append(metric)
        }
        if !policy.metrics.isEmpty, registry == nil { reader.fail(base + ["policy", "metrics"], "registry metrics need spec.registry") }
        return
            (EnvironmentSpec(
                name: envName, namespace: targetNamespace, modelDeployment: target, soakTime: soak, approvalRequired: approval == "required", policy: policy
            ))
    }
}

/// Reads of an object already checked against `ModelPipelineAPI`: types, required fields and
/// allowed values were reported by the schema, so a read here only takes the value (a missing or
/// ill-typed one reads as absent, its error already recorded) and `fail` records what a schema
/// cannot say.
struct FieldReader {
    let root: Value
    var errors: [SpecError] = []

    /// The value at a path whose numeric components index lists (`environments.0.name`).
    func lookup(_ path: [String]) -> Value? {
        var current: Value? = root
        for key in path {
            if let list = current?.arrayValue, let i = Int(key) {
                current = list.indices.contains(i) ? list[i] : nil
            } else {
                current = current?[key]
            }
        }
        return current
    }

    /// A problem the schema did not already report for the field.
    mutating func fail(_ path: [String], _ message: String) {
        // A field inside one already reported (`modelDeployment: required`) says nothing more.
        guard !errors.contains(where: { path.starts(with: $0.path) }) else { return }
        errors.append(SpecError(path: path, message: message))
    }

    func string(_ path: [String]) -> String? { lookup(path)?.stringValue }

    func bool(_ path: [String], default def: Bool) -> Bool { lookup(path)?.boolValue ?? def }

    func number(_ path: [String]) -> Double? { lookup(path)?.doubleValue }

    /// Seconds: text (`1h30m`) or whole seconds, as the CRD takes them; absent 0.
    func duration(_ path: [String]) -> Double { lookup(path).flatMap(Schema.seconds) ?? 0 }
}

extension PipelineSpec {
    /// Review branches live under `sluice/` and are never force-pushed: a pipeline cannot name
    /// (and so overwrite) `main`, a release branch or another team's branch.
    public static let reviewBranchPrefix = "sluice/"

    static func reviewBranchProblem(_ template: String) -> String? {
        guard template.hasPrefix(reviewBranchPrefix), template.count > reviewBranchPrefix.count else {
            return "must start with \(reviewBranchPrefix) (review branches are Sluice's own), not '\(template)'"
        }
        let plain = template.replacingOccurrences(of: "{{environment}}", with: "e").replacingOccurrences(of: "{{version}}", with: "v")
        let allowed = plain.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./".unicodeScalars.contains($0)
        }
        if !allowed || plain.contains("..") || plain.contains("//") || plain.hasSuffix("/") || plain.hasSuffix(".lock") {
            return "'\(template)' is not a plain branch name (letters, digits, - _ . /, and {{environment}}, {{version}})"
        }
        return nil
    }
}
