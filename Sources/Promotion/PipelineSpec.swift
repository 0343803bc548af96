public import Rollout
public import Values

/// A `ModelPipeline`: the environments one model goes through, in order, and where its new
/// versions come from. The first environment takes versions from the registry (when one is
/// declared); each later one takes the version its upstream environment has promoted.
public struct PipelineSpec: Sendable, Equatable {
    public var name: String
    public var namespace: String
    public var registry: RegistrySpec?
    public var environments: [EnvironmentSpec]
    /// Push promotion commits to this branch (a template: `{{environment}}`, `{{version}}`)
    /// instead of the source's own branch, for review as a pull request.
    public var reviewBranch: String?

    public init(name: String, namespace: String, registry: RegistrySpec? = nil, environments: [EnvironmentSpec], reviewBranch: String? = nil) {
        self.name = name
        self.namespace = namespace
        self.registry = registry
        self.environments = environments
        self.reviewBranch = reviewBranch
    }

    public func environment(_ name: String) -> EnvironmentSpec? { environments.first { $0.name == name } }
}

/// One stage: the ModelDeployment that runs the model there, and what a version must pass first.
public struct EnvironmentSpec: Sendable, Equatable {
    public var name: String
    public var namespace: String
    /// The ModelDeployment's name in `namespace`.
    public var modelDeployment: String
    /// How long a version must have run stable upstream, its SLOs still passing, before it may
    /// come here. Zero: as soon as its canary is promoted upstream.
    public var soakTime: Double
    public var approvalRequired: Bool
    public var policy: PolicySpec

    public init(
        name: String, namespace: String, modelDeployment: String, soakTime: Double = 0, approvalRequired: Bool = false, policy: PolicySpec = PolicySpec()
    ) {
        self.name = name
        self.namespace = namespace
        self.modelDeployment = modelDeployment
        self.soakTime = soakTime
        self.approvalRequired = approvalRequired
        self.policy = policy
    }
}

/// Checks on a version before it is committed to an environment. The defaults are what a
/// production controller should insist on; each can be turned off per environment.
public struct PolicySpec: Sendable, Equatable {
    /// The image names a tag other than `latest`, or a digest.
    public var pinnedImage = true
    /// The environment's ModelDeployment sets container resource requests.
    public var resources = true
    /// The environment's ModelDeployment has at least one SLO (a canary with nothing to judge
    /// would promote on time alone).
    public var slos = true
    /// Registry metrics the version must hold (`val_auc >= 0.85`).
    public var metrics: [MetricRequirement] = []

    public init(pinnedImage: Bool = true, resources: Bool = true, slos: Bool = true, metrics: [MetricRequirement] = []) {
        self.pinnedImage = pinnedImage
        self.resources = resources
        self.slos = slos
        self.metrics = metrics
    }
}

/// A metric recorded for the model version in the registry, with its bound.
public struct MetricRequirement: Sendable, Equatable {
    public var name: String
    public var min: Double?
    public var max: Double?

    public init(name: String, min: Double? = nil, max: Double? = nil) {
        self.name = name
        self.min = min
        self.max = max
    }

    public var description: String {
        [min.map { "\(name) >= \($0)" }, max.map { "\(name) <= \($0)" }].compactMap { $0 }.joined(separator: " and ")
    }
}

/// Where new versions come from: an MLflow registered model, by alias or tag.
public struct RegistrySpec: Sendable, Equatable {
    public var url: String
    public var model: String
    /// The alias whose version is the candidate (`candidate`, `champion`); else the newest
    /// version carrying `tag`.
    public var alias: String?
    public var tag: RegistryTag?
    /// The image a registry version runs in; `{{version}}` is the registry's version number.
    public var image: String
    /// The model's location for the server; default `models:/<model>/<version>`.
    public var uri: String?
    /// The Secret (in the pipeline's own namespace) holding the registry's bearer token, read
    /// through the API at every request and never logged. Never a file: a synced object may not
    /// name what the controller's pod holds.
    public var tokenSecret: SecretKeyReference?

    public init(
        url: String, model: String, alias: String? = nil, tag: RegistryTag? = nil, image: String, uri: String? = nil,
        tokenSecret: SecretKeyReference? = nil
    ) {
        self.url = url
        self.model = model
        self.alias = alias
        self.tag = tag
        self.image = image
        self.uri = uri
        self.tokenSecret = tokenSecret
    }

    /// The ModelDeployment fields for registry version `version` (a number, as MLflow counts).
    public func fields(version: String, source: String?) -> (image: String, uri: String) {
        let image = image.replacingOccurrences(of: "{{version}}", with: version)
        let uri = (uri ?? "models:/{{model}}/{{version}}").replacingOccurrences(of: "{{model}}", with: model)
            .replacingOccurrences(of: "{{version}}", with: version).replacingOccurrences(of: "{{source}}", with: source ?? "")
        return (image, uri)
    }
}

/// A tag on a registry version (`stage: candidate`).
public struct RegistryTag: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
