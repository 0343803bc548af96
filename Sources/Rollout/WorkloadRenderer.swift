import Foundation
public import Values

/// The Kubernetes objects a ModelDeployment runs as, for a topology. Pure.
///
/// - One Deployment per running version, `<name>-<version>`, so promotion never restarts pods.
/// - A Service `<name>` selecting every version (the `replicas` router splits traffic by pods).
/// - With `gateway-api`: a Service per version and an HTTPRoute `<name>` whose backend weights
///   carry the split.
public enum WorkloadRenderer {
    public static let modelLabel = "sluice.dev/model-deployment"
    public static let versionLabel = "sluice.dev/version"
    public static let roleLabel = "sluice.dev/role"
    public static let hashAnnotation = "sluice.dev/template-hash"

    /// A DNS-safe form of a version for object names.
    public static func slug(_ version: String) -> String {
        let mapped = String(version.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        return mapped.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    public static func deploymentName(_ name: String, _ version: String) -> String { "\(name)-\(slug(version))" }

    /// Service names are DNS-1035 labels (at most 63): shortened with a hash when too long.
    public static func versionServiceName(_ name: String, _ version: String) -> String {
        let full = "\(name)-\(slug(version))"
        if full.count <= 63 { return full }
        var h: UInt32 = 2_166_136_261
        for b in full.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return String(full.prefix(54)) + "-" + String(h, radix: 16).prefix(8)
    }

    public struct Owner: Sendable {
        public var name: String
        public var uid: String
        public init(name: String, uid: String) {
            self.name = name
            self.uid = uid
        }
    }

    public static func objects(spec: ModelDeploymentSpec, topology: Topology, owner: Owner?) -> [Value] {
        let placement = Placement.compute(spec: spec, canaryWeight: topology.canaryWeight, hasCanary: topology.canary != nil, scale: topology.scale)
        var out: [Value] = []
        let sizes = Sizes(spec: spec, placement: placement, topology: topology)
        if let stable = topology.stable {
            out.append(deployment(spec, stable, replicas: sizes.stableReplicas, role: "stable", topology: topology, owner: owner))
            if let bounds = sizes.stableHPA { out.append(autoscaler(spec, stable, bounds, role: "stable", owner: owner)) }
        }
        if let canary = topology.canary {
            out.append(deployment(spec, canary, replicas: sizes.canaryReplicas, role: "canary", topology: topology, owner: owner))
            if let bounds = sizes.canaryHPA { out.append(autoscaler(spec, canary, bounds, role: "canary", owner: owner)) }
        }
        out.append(service(spec, name: spec.name, selector: [modelLabel: spec.name], owner: owner))
        if spec.router == .gatewayAPI {
            var backends: [Value] = []
            for (version, weight) in [(topology.stable, 100 - placement.effectiveWeight), (topology.canary, placement.effectiveWeight)] {
                guard let v = version else { continue }
                let svcName = versionServiceName(spec.name, v.version)
                out.append(service(spec, name: svcName, selector: [modelLabel: spec.name, versionLabel: v.version], owner: owner))
                backends.append(["name": .string(svcName), "port": .int(80), "weight": .int(Int64(topology.canary == nil ? 100 : weight))])
            }
            out.append(httpRoute(spec, backends: backends, owner: owner))
        }
        return out
    }

    static func metadata(_ spec: ModelDeploymentSpec, name: String, labels extra: [String: String], owner: Owner?) -> Value {
        var labels: Value = [
            "app.kubernetes.io/name": .string(spec.modelName), "app.kubernetes.io/managed-by": "sluice", .init(stringLiteral: modelLabel): .string(spec.name),
        ]
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) { labels[k] = .string(v) }
        var m: Value = ["name": .string(name), "namespace": .string(spec.namespace), "labels": labels]
        if let owner {
            m["ownerReferences"] = [
                [
                    "apiVersion": "sluice.dev/v1alpha1", "kind": "ModelDeployment", "name": .string(owner.name), "uid": .string(owner.uid),
                    "controller": true, "blockOwnerDeletion": true,
                ]
            ]
        }
        return m
    }

    /// `replicas` nil: a scaler owns them, and the Deployment is applied without the field.
    static func deployment(_ spec: ModelDeploymentSpec, _ v: VersionSpec, replicas: Int?, role: String, topology: Topology, owner: Owner?) -> Value {
        let selector: Value = [.init(stringLiteral: modelLabel): .string(spec.name), .init(stringLiteral: versionLabel): .string(v.version)]
        var podLabels: Value = [
            "app.kubernetes.io/name": .string(spec.modelName), .init(stringLiteral: modelLabel): .string(spec.name),
            .init(stringLiteral: versionLabel): .string(v.version),
        ]
        for (k, x) in v.labels.sorted(by: { $0.key < $1.key }) where podLabels[k] == nil { podLabels[k] = .string(x) }
        var podAnnotations: Value = [.init(stringLiteral: hashAnnotation): .string(v.templateHash)]
        for (k, x) in v.annotations.sorted(by: { $0.key < $1.key }) { podAnnotations[k] = .string(x) }

        var env: [Value] = [["name": "MODEL_NAME", "value": .string(spec.modelName)], ["name": "MODEL_VERSION", "value": .string(v.version)]]
        if let uri = v.uri { env.append(["name": "MODEL_URI", "value": .string(uri)]) }
        var container: Value = ["name": "model", "image": .string(v.image), "ports": [["name": "http", "containerPort": .int(Int64(v.port))]]]
        let extraContainer = v.container
        for (k, x) in extraContainer.objectValue ?? [:] {
            if k == "env", let more = x.arrayValue { env += more } else { container[k] = x }
        }
        container["env"] = .array(env)
        var podSpec: Value = ["containers": [container]]
        for (k, x) in v.pod.objectValue ?? [:] { podSpec[k] = x }

        var metadata = metadata(spec, name: deploymentName(spec.name, v.version), labels: [versionLabel: v.version, roleLabel: role], owner: owner)
        var annotations = Value.emptyObject
        for (k, x) in DeploymentRecord.annotations(v, role: role, topology: topology) { annotations[k] = .string(x) }
        metadata["annotations"] = annotations
        var deploymentSpec = Value.emptyObject
        if let replicas { deploymentSpec["replicas"] = .int(Int64(replicas)) }
        deploymentSpec["selector"] = ["matchLabels": selector]
        deploymentSpec["template"] = ["metadata": ["labels": podLabels, "annotations": podAnnotations], "spec": podSpec]
        return ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata, "spec": deploymentSpec]
    }

    static func service(_ spec: ModelDeploymentSpec, name: String, selector: [String: String], owner: Owner?) -> Value {
        var sel = Value.emptyObject
        for (k, v) in selector.sorted(by: { $0.key < $1.key }) { sel[k] = .string(v) }
        return [
            "apiVersion": "v1", "kind": "Service",
            "metadata": metadata(spec, name: name, labels: [:], owner: owner),
            "spec": ["selector": sel, "ports": [["name": "http", "port": 80, "targetPort": "http"]]],
        ]
    }

    static func httpRoute(_ spec: ModelDeploymentSpec, backends: [Value], owner: Owner?) -> Value {
        var routeSpec: Value = ["parentRefs": spec.httpRoute?["parentRefs"] ?? [], "rules": [["backendRefs": .array(backends)]]]
        if let hostnames = spec.httpRoute?["hostnames"] { routeSpec["hostnames"] = hostnames }
        return [
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": metadata(spec, name: spec.name, labels: [:], owner: owner),
            "spec": routeSpec,
        ]
    }
}
