import Schema
import Values

/// The checks of a ModelDeployment's spec that its schema cannot state, over the spec with its
/// defaults filled in. Each adds to `errors`; a field the schema already found wrong is not
/// reported twice.
struct SpecReading {
    let spec: Value
    private(set) var errors: [SpecError]

    init(spec: Value, errors: [SpecError]) {
        self.spec = spec
        self.errors = errors
    }

    mutating func fail(_ path: [String], _ message: String, unknownField: Bool = false) {
        guard !errors.contains(where: { $0.path == path }) else { return }
        errors.append(SpecError(path: path, message: message, unknownField: unknownField))
    }

    /// A field of the spec that passed its schema's check (nil when absent or wrong).
    func checked(_ path: [String]) -> Value? {
        let full = ["spec"] + path
        guard !errors.contains(where: { $0.path.starts(with: full) }) else { return nil }
        return spec[path: path]
    }

    mutating func checkVersion() {
        guard let version = checked(["model", "version"])?.stringValue, !ModelDeploymentSpec.isLabelValue(version) else { return }
        fail(
            ["spec", "model", "version"],
            "'\(Printable.escaped(version, limit: 80))' is not a valid label value (letters, digits, '-', '_', '.', at most 63, starting and ending with a letter or digit)"
        )
    }

    mutating func checkRouter() {
        guard checked(["traffic", "router"])?.stringValue == ModelDeploymentSpec.Router.gatewayAPI.rawValue else { return }
        if spec[path: ["traffic", "httpRoute", "parentRefs"]]?.arrayValue?.isEmpty ?? true {
            fail(["spec", "traffic", "httpRoute", "parentRefs"], "required with the gateway-api router (the Gateway to attach to)")
        }
    }

    mutating func steps() -> [Int] {
        guard let steps = checked(["canary", "steps"])?.arrayValue?.compactMap(\.intValue).map({ Int($0) }) else {
            return ModelDeploymentSpec.defaultSteps
        }
        if zip(steps, steps.dropFirst()).contains(where: { $0 >= $1 }) {
            fail(["spec", "canary", "steps"], "must be strictly increasing")
        } else if steps.last != 100 {
            fail(["spec", "canary", "steps"], "must end at 100")
        }
        return steps
    }

    mutating func gates(steps: [Int]) -> [Int] {
        let gates = checked(["canary", "gates"])?.arrayValue?.compactMap(\.intValue).map { Int($0) } ?? []
        for g in gates where !steps.contains(g) { fail(["spec", "canary", "gates"], "\(g) is not one of the steps \(steps)") }
        return gates
    }

    mutating func slos() -> [SLO] {
        var slos: [SLO] = []
        var names = Set<String>()
        for (i, item) in (spec[path: ["canary", "slos"]]?.arrayValue ?? []).enumerated() {
            let p = ["spec", "canary", "slos", String(i)]
            guard let slo = SLOParser.parse(item, at: p, fail: { fail($0, $1) }, unknown: { fail($0, $1, unknownField: true) }) else { continue }
            if !names.insert(slo.name).inserted { fail(p + ["name"], "duplicate SLO name '\(slo.name)'") }
            slos.append(slo)
        }
        return slos
    }
}

extension SpecReading {
    /// `spec.template` split into what goes on the model container and what on the pod, with
    /// the pod labels and annotations; what it asks of the pods checked against `policy`.
    mutating func template(policy: PodPolicy, namespace: String) -> (container: Value, pod: Value, labels: [String: String], annotations: [String: String]) {
        var out = (container: Value.emptyObject, pod: Value.emptyObject, labels: [String: String](), annotations: [String: String]())
        guard let template = checked(["template"]), let fields = template.objectValue else { return out }
        for (k, v) in fields {
            if ModelDeploymentSpec.containerFields.contains(k) {
                out.container[k] = v
            } else if ModelDeploymentSpec.podFields.contains(k) {
                out.pod[k] = v
            }
        }
        for (k, v) in fields["labels"]?.objectValue ?? [:] { out.labels[k] = v.stringValue }
        for (k, v) in fields["annotations"]?.objectValue ?? [:] { out.annotations[k] = v.stringValue }
        for violation in policy.violations(template: template, namespace: namespace) { fail(violation.path, violation.message) }
        return out
    }
}
