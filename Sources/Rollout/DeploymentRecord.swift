import Foundation
public import Values

/// What each version's Deployment remembers of the rollout, in annotations on the Deployment
/// (not its pods, so writing them restarts nothing). The status is the rollout's memory, but a
/// status can be lost: a backup tool restores objects without it, `kubectl replace --force`
/// recreates the object, a person clears it. The Deployments that run are still there, and
/// from them `ClusterRecord` tells which version is stable, which is the canary at what weight,
/// and which versions failed.
public enum DeploymentRecord {
    /// The version's `VersionSpec` as JSON: all it takes to render the version again.
    public static let versionSpecAnnotation = "sluice.dev/version-spec"
    /// On a failed version's Deployment (kept at zero replicas while git names the version): the
    /// `FailedVersion` as JSON. The failure survives the loss of the status.
    public static let failedAnnotation = "sluice.dev/failed"
    /// On the canary's Deployment: the step's requested weight, in percent.
    public static let stepWeightAnnotation = "sluice.dev/step-weight"

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    /// The annotations a rendered Deployment carries.
    static func annotations(_ version: VersionSpec, role: String, topology: Topology) -> [(String, String)] {
        var out: [(String, String)] = []
        // JSONEncoder fails only on non-finite numbers: a VersionSpec has none, and a failure's
        // measured value (an infinite ratio, say) is dropped below, since the mark matters more
        // than the number and a lost mark would let the version be tried again.
        if let spec = try? encoder.encode(version) { out.append((versionSpecAnnotation, String(decoding: spec, as: UTF8.self))) }
        if role == "canary" { out.append((stepWeightAnnotation, String(topology.canaryWeight))) }
        if var failed = topology.failed.last(where: { $0.version == version.version }) {
            if failed.value?.isFinite == false { failed.value = nil }
            if failed.threshold?.isFinite == false { failed.threshold = nil }
            if let json = try? encoder.encode(failed) { out.append((failedAnnotation, String(decoding: json, as: UTF8.self))) }
        }
        return out
    }

    /// The failure a Deployment is marked with, if any. A mark that cannot be read still marks the
    /// version failed: the version label says which, and failing safe means not trying it again.
    public static func failure(of deployment: Value) -> FailedVersion? {
        guard let text = deployment[path: ["metadata", "annotations", failedAnnotation]]?.stringValue else { return nil }
        let version = deployment[path: ["metadata", "labels", WorkloadRenderer.versionLabel]]?.stringValue
        do {
            let failed = try StoredState.decode(FailedVersion.self, from: Array(text.utf8), what: "annotation \(failedAnnotation)")
            return version == nil || failed.version == version ? failed : nil
        } catch {
            guard let version else { return nil }
            return FailedVersion(version: version, reason: "marked failed on its Deployment (\(error))", time: Date(timeIntervalSince1970: 0))
        }
    }

    /// The version a Deployment runs, from its annotation, or, for a Deployment written before the
    /// annotation existed, from its pod template.
    public static func versionSpec(of deployment: Value) -> VersionSpec? {
        // An annotation that does not read falls back to the Deployment's own pod template: what
        // the version's pods actually run, not a guess.
        if let text = deployment[path: ["metadata", "annotations", versionSpecAnnotation]]?.stringValue,
            let spec = try? StoredState.decode(VersionSpec.self, from: Array(text.utf8), what: "annotation \(versionSpecAnnotation)")
        {
            return spec
        }
        return VersionSpec(template: deployment)
    }
}

extension VersionSpec {
    /// Inverts `WorkloadRenderer.deployment`: the model container's image, port and MODEL_URI, the
    /// container and pod fields beside them, the pod labels and annotations Sluice did not add.
    /// Fields the API server defaulted come back too; they only make the next apply state them.
    init?(template d: Value) {
        guard let version = d[path: ["metadata", "labels", WorkloadRenderer.versionLabel]]?.stringValue,
            let podSpec = d[path: ["spec", "template", "spec"]]?.objectValue,
            let model = podSpec["containers"]?.arrayValue?.first(where: { $0["name"] == "model" }) ?? podSpec["containers"]?.arrayValue?.first,
            let image = model["image"]?.stringValue
        else { return nil }
        self.version = version
        self.image = image
        port = Int(model["ports"]?.arrayValue?.first?["containerPort"]?.intValue ?? 8080)
        let env = model["env"]?.arrayValue ?? []
        uri = env.first { $0["name"] == "MODEL_URI" }?["value"]?.stringValue
        var container = Value.emptyObject
        for (k, v) in model.objectValue ?? [:] where !["name", "image", "ports", "env"].contains(k) { container[k] = v }
        let extraEnv = env.filter { !["MODEL_NAME", "MODEL_VERSION", "MODEL_URI"].contains($0["name"]?.stringValue ?? "") }
        if !extraEnv.isEmpty { container["env"] = .array(extraEnv) }
        var pod = Value.emptyObject
        for (k, v) in podSpec where k != "containers" { pod[k] = v }
        self.container = container
        self.pod = pod
        let sluiceLabels: Set<String> = ["app.kubernetes.io/name", WorkloadRenderer.modelLabel, WorkloadRenderer.versionLabel]
        labels = [:]
        for (k, v) in d[path: ["spec", "template", "metadata", "labels"]]?.objectValue ?? [:] where !sluiceLabels.contains(k) { labels[k] = v.stringValue }
        annotations = [:]
        templateHash = ""
        for (k, v) in d[path: ["spec", "template", "metadata", "annotations"]]?.objectValue ?? [:] {
            if k == WorkloadRenderer.hashAnnotation { templateHash = v.stringValue ?? "" } else { annotations[k] = v.stringValue }
        }
    }
}

/// What the Deployments of one ModelDeployment say about its rollout.
public struct ClusterRecord: Sendable, Equatable {
    public var stable: VersionSpec?
    public var canary: VersionSpec?
    /// The canary's step weight (0 when it takes no traffic).
    public var canaryWeight: Int
    public var failed: [FailedVersion]
    /// How many of the ModelDeployment's Deployments exist: none means a first deployment.
    public var deployments: Int

    public init(stable: VersionSpec? = nil, canary: VersionSpec? = nil, canaryWeight: Int = 0, failed: [FailedVersion] = [], deployments: Int = 0) {
        self.stable = stable
        self.canary = canary
        self.canaryWeight = canaryWeight
        self.failed = failed
        self.deployments = deployments
    }

    /// Reads the Deployments labelled with the ModelDeployment's name. Two Deployments in the same
    /// role (a promotion cut short) are told apart by replicas: the one serving more is the one
    /// traffic relies on.
    public init(deployments: [Value]) {
        self.init(deployments: deployments.count)
        failed = deployments.compactMap(DeploymentRecord.failure(of:))
        func replicas(_ d: Value) -> Int64 { d[path: ["spec", "replicas"]]?.intValue ?? 0 }
        func inRole(_ role: String) -> Value? {
            deployments.filter { $0[path: ["metadata", "labels", WorkloadRenderer.roleLabel]]?.stringValue == role }.max { replicas($0) < replicas($1) }
        }
        stable = inRole("stable").flatMap(DeploymentRecord.versionSpec(of:))
        if let c = inRole("canary"), let spec = DeploymentRecord.versionSpec(of: c), spec.version != stable?.version {
            canary = spec
            if let w = c[path: ["metadata", "annotations", DeploymentRecord.stepWeightAnnotation]]?.stringValue.flatMap(Int.init) {
                canaryWeight = w
            } else {
                // Written before the annotation: the share of pods is the share of traffic.
                let all = deployments.map(replicas).reduce(0, +)
                canaryWeight = all == 0 ? 0 : Int((Double(replicas(c)) * 100 / Double(all)).rounded())
            }
        }
        if stable == nil, let only = canary, !failed.contains(where: { $0.version == only.version }) {
            // No stable Deployment is left: the version still running is the one that serves.
            stable = only
            canary = nil
            canaryWeight = 0
        }
    }
}
