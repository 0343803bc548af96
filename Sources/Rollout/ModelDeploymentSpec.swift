import Foundation
public import Schema
public import Values

/// A problem with a ModelDeployment's spec, naming the field.
public typealias SpecError = FieldError

/// Every problem found in a spec.
public struct SpecErrors: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [SpecError]
    public var description: String { errors.map(\.description).joined(separator: "; ") }

    public init(errors: [SpecError]) { self.errors = errors }
}

/// One SLO a canary must meet at every step.
public struct SLO: Sendable, Equatable {
    /// What is measured, and so how it is judged.
    public enum Measure: Sendable, Equatable {
        /// One PromQL value held against max/min/relativeToStable at each check (the threshold
        /// judge; no sample size, so no confidence).
        case value(query: String)
        /// Events among requests (errors among all requests), judged with stated confidence.
        case rate(events: String, total: String)
        /// A latency histogram by `le`: the share of requests slower than `max`, held against
        /// 1 − quantile; with `relativeToStable`, also a rank test against the stable version.
        case latency(histogram: String, quantile: Double)
        /// Counts by a label (a class, or `le` of a score histogram), canary against stable.
        case distribution(query: String)
    }

    public var name: String
    public var measure: Measure
    public var max: Double?
    public var min: Double?
    /// Rates and values: also fail when the canary's exceeds this multiple of the stable's.
    /// Latency: any value turns on the rank test against the stable version.
    public var relativeToStable: Double?
    /// Below this many requests (per version for comparisons) the SLO gives no verdict.
    public var minSamples: Int
    /// Distributions: the largest Jensen-Shannon divergence (bits) from the stable version's.
    public var maxDivergence: Double?
    /// Latency rank test: how far above one half the probability that a canary request is slower
    /// than a stable one must credibly be to fail (trivial shifts on big samples do not).
    public var minEffect: Double

    public static let defaultMinSamples = 50
    public static let defaultMinEffect = 0.05

    public init(
        name: String, measure: Measure, max: Double? = nil, min: Double? = nil, relativeToStable: Double? = nil, minSamples: Int = defaultMinSamples,
        maxDivergence: Double? = nil, minEffect: Double = defaultMinEffect
    ) {
        self.name = name
        self.measure = measure
        self.max = max
        self.min = min
        self.relativeToStable = relativeToStable
        self.minSamples = minSamples
        self.maxDivergence = maxDivergence
        self.minEffect = minEffect
    }

    /// A threshold SLO over one PromQL value.
    public init(name: String, query: String, max: Double? = nil, min: Double? = nil, relativeToStable: Double? = nil) {
        self.init(name: name, measure: .value(query: query), max: max, min: min, relativeToStable: relativeToStable)
    }

    /// The value query of a threshold SLO (empty for the others).
    public var query: String {
        if case .value(let q) = measure { return q }
        return ""
    }

    /// Every PromQL query the SLO runs, per version.
    public var queries: [String] {
        switch measure {
        case .value(let q): [q]
        case .rate(let events, let total): [events, total]
        case .latency(let histogram, _): [histogram]
        case .distribution(let q): [q]
        }
    }
}

/// The desired state of a ModelDeployment (`sluice.dev/v1alpha1`), with defaults applied.
public struct ModelDeploymentSpec: Sendable, Equatable {
    public enum Router: String, Sendable, Codable {
        case replicas
        case gatewayAPI = "gateway-api"
    }

    public var name: String
    public var namespace: String
    public var modelName: String
    public var version: String
    public var image: String
    public var uri: String?
    public var replicas: Int
    /// Set: each version's HorizontalPodAutoscaler sets its replicas, not `replicas`.
    public var autoscaling: Autoscaling?
    public var port: Int
    /// Fields merged into the model container.
    public var container: Value
    /// Fields merged into the pod spec.
    public var pod: Value
    public var podLabels: [String: String]
    public var podAnnotations: [String: String]
    public var router: Router
    public var httpRoute: Value?
    public var steps: [Int]
    public var stepDuration: Double
    public var analysisInterval: Double
    public var failureLimit: Int
    public var errorLimit: Int
    public var minSuccessfulChecks: Int
    /// Step weights that wait for `sluice promote`.
    public var gates: [Int]
    public var slos: [SLO]
    /// `canary.analysis.confidence`: 1 − the chance of each kind of wrong verdict (promoting a
    /// canary that breaks an SLO, rolling back one that meets it) for evidence-judged SLOs.
    public var confidence: Double
    /// How long a new version may take to become ready before it is rolled back.
    public var progressDeadline: Double
    /// How long a step may hold without a verdict: a fixed time (`progressDeadline` set to a
    /// duration), or `auto` (unset, or `progressDeadline: auto`): as long as the judge expects a
    /// verdict within `HoldLimit.ceiling` at the traffic the canary gets.
    public var holdLimit: HoldLimit = .auto
    public var revertCommit: Bool

    public enum HoldLimit: Sendable, Equatable {
        case fixed(Double)
        case auto
        /// `auto` holds a step at least this long (or its stepDuration)...
        public static let floor = 600.0
        /// ...and never longer than this.
        public static let ceiling = 7200.0
    }

    public static let defaultSteps = [5, 25, 50, 100]
    /// `progressDeadline: auto` gives a new version's pods this long to become ready.
    public static let autoReadinessDeadline = 600.0

    /// Container and pod fields `spec.template` may set, and where each goes.
    static let containerFields: Set<String> = [
        "env", "envFrom", "resources", "readinessProbe", "livenessProbe", "startupProbe", "args", "command", "volumeMounts",
        "lifecycle", "workingDir", "imagePullPolicy",
    ]
    static let podFields: Set<String> = [
        "nodeSelector", "tolerations", "affinity", "serviceAccountName", "volumes", "imagePullSecrets", "priorityClassName",
        "topologySpreadConstraints", "securityContext", "runtimeClassName", "terminationGracePeriodSeconds", "initContainers",
    ]

    /// Reads and validates a ModelDeployment object. Every problem is reported, not only the first.
    /// `policy` is what the template may ask of the pods (the operator's; restricted by default).
    /// The fields' types, bounds and defaults are `ModelDeploymentAPI.spec`'s; what is checked
    /// here is what a schema cannot say (steps that increase, SLO forms, the pod policy).
    public static func parse(_ object: Value, policy: PodPolicy = .restricted) -> Result<ModelDeploymentSpec, SpecErrors> {
        guard let raw = object["spec"], raw.objectValue != nil else {
            return .failure(
                SpecErrors(errors: [SpecError(path: ["spec"], message: "missing (a ModelDeployment needs spec.model.version and spec.model.image)")]))
        }
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? "default"
        var reading = SpecReading(spec: ModelDeploymentAPI.spec.defaulted(raw) ?? raw, errors: ModelDeploymentAPI.spec.check(raw, at: ["spec"]))
        let template = reading.template(policy: policy, namespace: namespace)
        reading.checkVersion()
        reading.checkRouter()
        let autoscaling = reading.autoscaling(raw)
        let steps = reading.steps()
        let gates = reading.gates(steps: steps)
        let slos = reading.slos()
        if !reading.errors.isEmpty { return .failure(SpecErrors(errors: reading.errors)) }
        let d = reading.spec
        func int(_ path: [String]) -> Int { Int(d[path: path]?.intValue ?? 0) }
        func text(_ path: [String]) -> String? { d[path: path]?.stringValue }
        func seconds(_ path: [String]) -> Double { d[path: path].flatMap(Schema.seconds) ?? 0 }
        let deadline = d[path: ["canary", "progressDeadline"]].flatMap(Schema.seconds)
        return .success(
            ModelDeploymentSpec(
                name: name, namespace: namespace, modelName: text(["model", "name"]) ?? name, version: text(["model", "version"]) ?? "",
                image: text(["model", "image"]) ?? "", uri: text(["model", "uri"]), replicas: Int(d[path: ["replicas"]]?.intValue ?? 2),
                autoscaling: autoscaling, port: int(["port"]),
                container: template.container, pod: template.pod, podLabels: template.labels, podAnnotations: template.annotations,
                router: Router(rawValue: text(["traffic", "router"]) ?? "") ?? .replicas, httpRoute: d[path: ["traffic", "httpRoute"]], steps: steps,
                stepDuration: seconds(["canary", "stepDuration"]), analysisInterval: seconds(["canary", "analysis", "interval"]),
                failureLimit: int(["canary", "analysis", "failureLimit"]), errorLimit: int(["canary", "analysis", "errorLimit"]),
                minSuccessfulChecks: int(["canary", "analysis", "minSuccessfulChecks"]), gates: gates, slos: slos,
                confidence: d[path: ["canary", "analysis", "confidence"]]?.doubleValue ?? 0.95, progressDeadline: deadline ?? autoReadinessDeadline,
                holdLimit: deadline.map { .fixed($0) } ?? .auto, revertCommit: d[path: ["rollback", "revertCommit"]]?.boolValue ?? false))
    }

    /// What Kubernetes allows as a label value: a version names pods, Services and commits.
    public static func isLabelValue(_ s: String) -> Bool {
        guard s.utf8.count <= 63, let f = s.utf8.first, let l = s.utf8.last else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        return alnum(f) && alnum(l) && s.utf8.allSatisfy { alnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    /// What identifies a version's pods: a change here means new pods. Replicas are not part of it.
    public var templateHash: String {
        var v: Value = ["image": .string(image), "version": .string(version), "port": .int(Int64(port)), "container": container, "pod": pod]
        v["uri"] = uri.map { .string($0) } ?? .null
        var labels = Value.emptyObject
        for (k, x) in podLabels.sorted(by: { $0.key < $1.key }) { labels[k] = .string(x) }
        var annotations = Value.emptyObject
        for (k, x) in podAnnotations.sorted(by: { $0.key < $1.key }) { annotations[k] = .string(x) }
        v["labels"] = labels
        v["annotations"] = annotations
        // JSON.bytes fails only on non-finite numbers, which neither a manifest (refused at
        // parse, Node.checkJSONRepresentable) nor an object from the API (JSON) can hold.
        let bytes = (try? JSON.bytes(v)) ?? []
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }
}
