import Foundation
public import Values

/// A problem with a ModelDeployment's spec, naming the field.
public struct SpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Dotted path under the object (`spec.canary.steps`).
    public var path: [String]
    public var message: String
    /// A key the reader does not know: the API server drops such a field from a custom
    /// resource without a word, so a sync must stop it before it is applied.
    public var unknownField: Bool

    public var field: String { path.joined(separator: ".") }
    public var description: String { "\(field): \(message)" }

    public init(path: [String], message: String, unknownField: Bool = false) {
        self.path = path
        self.message = message
        self.unknownField = unknownField
    }
}

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
    public static func parse(_ object: Value, policy: PodPolicy = .restricted) -> Result<ModelDeploymentSpec, SpecErrors> {
        var errors: [SpecError] = []
        func fail(_ path: [String], _ message: String) { errors.append(SpecError(path: path, message: message)) }
        let spec = object["spec"] ?? .null
        guard case .object = spec else {
            return .failure(
                SpecErrors(errors: [SpecError(path: ["spec"], message: "missing (a ModelDeployment needs spec.model.version and spec.model.image)")]))
        }
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? "default"

        func string(_ path: [String], required: Bool = false) -> String? {
            switch spec[path: path] {
            case nil, .null?:
                if required { fail(["spec"] + path, "required") }
                return nil
            case .string(let s)?:
                if required && s.isEmpty { fail(["spec"] + path, "must not be empty") }
                return s
            case let other?:
                fail(["spec"] + path, "must be a string, not a \(other.typeName) (quote it: \"...\")")
                return nil
            }
        }
        func int(_ path: [String], default def: Int, range: ClosedRange<Int>) -> Int {
            guard let v = spec[path: path], !v.isNull else { return def }
            guard case .int(let i) = v else {
                fail(["spec"] + path, "must be an integer, not a \(v.typeName)")
                return def
            }
            if !range.contains(Int(i)) { fail(["spec"] + path, "must be between \(range.lowerBound) and \(range.upperBound)") }
            return Int(i)
        }
        func duration(_ path: [String], default def: Double, minimum: Double = 0) -> Double {
            guard let v = spec[path: path], !v.isNull else { return def }
            let seconds: Double?
            switch v {
            case .string(let s): seconds = DurationText.parse(s)
            case .int(let i): seconds = Double(i)
            default: seconds = nil
            }
            guard let seconds else {
                fail(["spec"] + path, "must be a duration such as 30s, 2m or 1h")
                return def
            }
            if seconds < minimum { fail(["spec"] + path, "must be at least \(DurationText.format(minimum))") }
            return seconds
        }

        for (path, known) in Self.knownFields {
            for (key, suggestion) in FieldNames.unknown(in: path.isEmpty ? spec : spec[path: path], known: known) {
                errors.append(SpecError(path: ["spec"] + path + [key], message: FieldNames.message(suggestion, known: known), unknownField: true))
            }
        }
        let version = string(["model", "version"], required: true) ?? ""
        if !version.isEmpty, !isLabelValue(version) {
            fail(
                ["spec", "model", "version"],
                "'\(version)' is not a valid label value (letters, digits, '-', '_', '.', at most 63, starting and ending with a letter or digit)")
        }
        let image = string(["model", "image"], required: true) ?? ""
        let modelName = string(["model", "name"]) ?? name
        let uri = string(["model", "uri"])
        let replicas = int(["replicas"], default: 2, range: 1...1000)
        let port = int(["port"], default: 8080, range: 1...65535)

        var container = Value.emptyObject
        var pod = Value.emptyObject
        var podLabels: [String: String] = [:]
        var podAnnotations: [String: String] = [:]
        if let template = spec["template"], !template.isNull {
            guard let fields = template.objectValue else {
                fail(["spec", "template"], "must be a mapping")
                return .failure(SpecErrors(errors: errors))
            }
            for (k, v) in fields {
                if containerFields.contains(k) {
                    container[k] = v
                } else if podFields.contains(k) {
                    pod[k] = v
                } else if k == "labels" || k == "annotations" {
                    guard let map = v.objectValue, map.values.allSatisfy({ $0.stringValue != nil }) else {
                        fail(["spec", "template", k], "must be a mapping of strings")
                        continue
                    }
                    for (mk, mv) in map {
                        if k == "labels" { podLabels[mk] = mv.stringValue! } else { podAnnotations[mk] = mv.stringValue! }
                    }
                } else {
                    let known = containerFields.union(podFields).union(["labels", "annotations"])
                    errors.append(
                        SpecError(
                            path: ["spec", "template", k], message: FieldNames.message(FieldNames.nearest(k, in: known), known: known), unknownField: true))
                }
            }
            errors += policy.violations(template: template, namespace: namespace)
        }

        let routerText = string(["traffic", "router"]) ?? "replicas"
        let router = Router(rawValue: routerText)
        if router == nil { fail(["spec", "traffic", "router"], "must be replicas or gateway-api, not '\(routerText)'") }
        let httpRoute = spec[path: ["traffic", "httpRoute"]]
        if router == .gatewayAPI {
            if httpRoute?[path: ["parentRefs"]]?.arrayValue?.isEmpty ?? true {
                fail(["spec", "traffic", "httpRoute", "parentRefs"], "required with the gateway-api router (the Gateway to attach to)")
            }
        }

        var steps = defaultSteps
        if let v = spec[path: ["canary", "steps"]], !v.isNull {
            if let list = v.arrayValue, list.allSatisfy({ if case .int = $0 { true } else { false } }) {
                steps = list.map { Int($0.intValue!) }
                if steps.isEmpty {
                    fail(["spec", "canary", "steps"], "must not be empty")
                } else if steps.contains(where: { $0 < 1 || $0 > 100 }) {
                    fail(["spec", "canary", "steps"], "each step must be within 1..100")
                } else if zip(steps, steps.dropFirst()).contains(where: { $0 >= $1 }) {
                    fail(["spec", "canary", "steps"], "must be strictly increasing")
                } else if steps.last != 100 {
                    fail(["spec", "canary", "steps"], "must end at 100")
                }
            } else {
                fail(["spec", "canary", "steps"], "must be a list of integer percentages such as [5, 25, 50, 100]")
            }
        }
        let stepDuration = duration(["canary", "stepDuration"], default: 120)
        let interval = duration(["canary", "analysis", "interval"], default: 30, minimum: 1)
        let failureLimit = int(["canary", "analysis", "failureLimit"], default: 1, range: 0...100)
        let errorLimit = int(["canary", "analysis", "errorLimit"], default: 4, range: 0...100)
        let minSuccessful = int(["canary", "analysis", "minSuccessfulChecks"], default: 2, range: 0...100)
        if minSuccessful == 0 {
            // Zero would let every step advance on time alone: a version with no evidence for it
            // would be promoted.
            fail(["spec", "canary", "analysis", "minSuccessfulChecks"], "must be at least 1: a step advances only on a passing check")
        }
        let autoDeadline = spec[path: ["canary", "progressDeadline"]]?.stringValue == "auto"
        let progressDeadline = autoDeadline ? 600 : duration(["canary", "progressDeadline"], default: 600, minimum: 1)
        let holdLimit: HoldLimit = autoDeadline || spec[path: ["canary", "progressDeadline"]] == nil ? .auto : .fixed(progressDeadline)
        var gates: [Int] = []
        if let v = spec[path: ["canary", "gates"]], !v.isNull {
            if let list = v.arrayValue, list.allSatisfy({ $0.intValue != nil }) {
                gates = list.map { Int($0.intValue!) }
                for g in gates where !steps.contains(g) { fail(["spec", "canary", "gates"], "\(g) is not one of the steps \(steps)") }
            } else {
                fail(["spec", "canary", "gates"], "must be a list of step percentages")
            }
        }
        var slos: [SLO] = []
        if let v = spec[path: ["canary", "slos"]], !v.isNull {
            if let list = v.arrayValue {
                var names = Set<String>()
                for (i, item) in list.enumerated() {
                    let p = ["spec", "canary", "slos", String(i)]
                    guard let slo = SLOParser.parse(item, at: p, fail: fail, unknown: { errors.append(SpecError(path: $0, message: $1, unknownField: true)) })
                    else { continue }
                    if !names.insert(slo.name).inserted { fail(p + ["name"], "duplicate SLO name '\(slo.name)'") }
                    slos.append(slo)
                }
            } else {
                fail(["spec", "canary", "slos"], "must be a list")
            }
        }
        var confidence = 0.95
        if let v = spec[path: ["canary", "analysis", "confidence"]], !v.isNull {
            if let c = v.doubleValue, v.stringValue == nil, c >= 0.5, c < 1 {
                confidence = c
            } else {
                fail(["spec", "canary", "analysis", "confidence"], "must be a number from 0.5 up to (not including) 1, such as 0.95")
            }
        }
        let revert = spec[path: ["rollback", "revertCommit"]]
        if let revert, !revert.isNull, revert.boolValue == nil { fail(["spec", "rollback", "revertCommit"], "must be true or false") }

        if !errors.isEmpty { return .failure(SpecErrors(errors: errors)) }
        return .success(
            ModelDeploymentSpec(
                name: name, namespace: namespace, modelName: modelName, version: version, image: image, uri: uri, replicas: replicas, port: port,
                container: container, pod: pod, podLabels: podLabels, podAnnotations: podAnnotations, router: router ?? .replicas,
                httpRoute: httpRoute, steps: steps, stepDuration: stepDuration, analysisInterval: interval, failureLimit: failureLimit,
                errorLimit: errorLimit, minSuccessfulChecks: minSuccessful, gates: gates, slos: slos, confidence: confidence,
                progressDeadline: progressDeadline, holdLimit: holdLimit,
                revertCommit: revert?.boolValue ?? false))
    }

    /// Every mapping of the spec Sluice reads whole, with its fields (`template`, `httpRoute`
    /// and the SLOs are checked where they are read): an unknown key is a typo until shown
    /// otherwise, and a typo in `rollback` or `steps` would silently keep the defaults.
    static let knownFields: [([String], Set<String>)] = [
        ([], ["model", "replicas", "port", "template", "traffic", "canary", "rollback"]),
        (["model"], ["name", "version", "image", "uri"]),
        (["traffic"], ["router", "httpRoute"]),
        (["canary"], ["steps", "stepDuration", "progressDeadline", "analysis", "gates", "slos"]),
        (["canary", "analysis"], ["interval", "failureLimit", "errorLimit", "minSuccessfulChecks", "confidence"]),
        (["rollback"], ["revertCommit"]),
    ]

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
