import Foundation
import YAML

/// The columns `kubectl get` (and `-o wide`) prints for built-in kinds, as a real 1.33 server's
/// Table answers give them, as data: `apiVersion Kind: column; column; ...`. A column is
/// `Header=cell`, with `*` after the header for wide-only (priority 1) columns. `Name` and `Age`
/// stand alone. Cells:
///
/// - `n:path` the value, or `<none>`; `s:path` the value, or empty; `i:path` an integer (0 when missing)
/// - `ratio:a,b` "a/b" of two integers; `count:path` entries of a map or list
/// - `containers:path`, `images:path` of a pod spec; `selector:path` a label selector
/// - `ports`, `externalIP` of a Service; `ready`, `restarts` of a Pod
/// - `job`, `completions`, `duration` of a Job; `date:path` a timestamp as written; `ago:path` a timestamp's age
/// - `roleRef`, `subjects:Kind` of a binding; `object` and `lastSeen` of an Event; `bool:path` true or false
/// - `const:text`
enum PrinterColumns {
    static let table = """
        v1 Pod: Name; Ready=ready; Status=n:status.phase; Restarts=restarts; Age; IP*=n:status.podIP; Node*=n:spec.nodeName; Nominated Node*=n:status.nominatedNodeName; Readiness Gates*=const:<none>
        v1 Service: Name; Type=s:spec.type; Cluster-IP=n:spec.clusterIP; External-IP=externalIP; Port(s)=ports; Age; Selector*=selector:spec.selector
        v1 ConfigMap: Name; Data=count:data; Age
        v1 Secret: Name; Type=s:type; Data=count:data; Age
        v1 Namespace: Name; Status=s:status.phase; Age
        v1 ServiceAccount: Name; Secrets=count:secrets; Age
        v1 Endpoints: Name; Endpoints=const:<none>; Age
        v1 Event: Last Seen=lastSeen; Type=s:type; Reason=s:reason; Object=object; Message=s:message; Subobject*=s:involvedObject.fieldPath; Source*=s:source.component; First Seen*=ago:firstTimestamp; Count*=i:count; Name*=s:metadata.name
        v1 PersistentVolumeClaim: Name; Status=s:status.phase; Volume=s:spec.volumeName; Capacity=s:status.capacity.storage; Access Modes=s:status.accessModes; StorageClass=n:spec.storageClassName; VolumeAttributesClass=n:spec.volumeAttributesClassName; Age; VolumeMode*=s:spec.volumeMode
        v1 PersistentVolume: Name; Capacity=s:spec.capacity.storage; Access Modes=s:spec.accessModes; Reclaim Policy=s:spec.persistentVolumeReclaimPolicy; Status=s:status.phase; Claim=s:spec.claimRef.name; StorageClass=s:spec.storageClassName; VolumeAttributesClass=n:spec.volumeAttributesClassName; Reason=s:status.reason; Age
        v1 ResourceQuota: Name; Age; Request=count:spec.hard; Limit=const:
        v1 LimitRange: Name; Created At=date:metadata.creationTimestamp
        v1 ReplicationController: Name; Desired=i:spec.replicas; Current=i:status.replicas; Ready=i:status.readyReplicas; Age; Containers*=containers:spec.template.spec; Images*=images:spec.template.spec; Selector*=selector:spec.selector
        v1 Node: Name; Status=const:Ready; Roles=const:<none>; Age; Version=s:status.nodeInfo.kubeletVersion
        apps/v1 Deployment: Name; Ready=ratio:status.readyReplicas,spec.replicas; Up-to-date=i:status.updatedReplicas; Available=i:status.availableReplicas; Age; Containers*=containers:spec.template.spec; Images*=images:spec.template.spec; Selector*=selector:spec.selector
        apps/v1 ReplicaSet: Name; Desired=i:spec.replicas; Current=i:status.replicas; Ready=i:status.readyReplicas; Age; Containers*=containers:spec.template.spec; Images*=images:spec.template.spec; Selector*=selector:spec.selector
        apps/v1 StatefulSet: Name; Ready=ratio:status.readyReplicas,spec.replicas; Age; Containers*=containers:spec.template.spec; Images*=images:spec.template.spec
        apps/v1 DaemonSet: Name; Desired=i:status.desiredNumberScheduled; Current=i:status.currentNumberScheduled; Ready=i:status.numberReady; Up-to-date=i:status.updatedNumberScheduled; Available=i:status.numberAvailable; Node Selector=selector:spec.template.spec.nodeSelector; Age; Containers*=containers:spec.template.spec; Images*=images:spec.template.spec; Selector*=selector:spec.selector
        apps/v1 ControllerRevision: Name; Controller=s:metadata.ownerReferences; Revision=i:revision; Age
        batch/v1 Job: Name; Status=job; Completions=completions; Duration=duration; Age; Containers*=containers:spec.template.spec; Images*=images:spec.template.spec; Selector*=selector:spec.selector
        batch/v1 CronJob: Name; Schedule=s:spec.schedule; Timezone=n:spec.timeZone; Suspend=bool:spec.suspend; Active=count:status.active; Last Schedule=ago:status.lastScheduleTime; Age; Containers*=containers:spec.jobTemplate.spec.template.spec; Images*=images:spec.jobTemplate.spec.template.spec; Selector*=selector:spec.jobTemplate.spec.selector
        autoscaling/v2 HorizontalPodAutoscaler: Name; Reference=scaleTarget; Targets=hpaTargets; MinPods=i:spec.minReplicas; MaxPods=i:spec.maxReplicas; Replicas=i:status.currentReplicas; Age
        autoscaling/v1 HorizontalPodAutoscaler: Name; Reference=scaleTarget; Targets=const:<unknown>; MinPods=i:spec.minReplicas; MaxPods=i:spec.maxReplicas; Replicas=i:status.currentReplicas; Age
        networking.k8s.io/v1 Ingress: Name; Class=n:spec.ingressClassName; Hosts=hosts; Address=const:; Ports=const:80; Age
        networking.k8s.io/v1 IngressClass: Name; Controller=s:spec.controller; Parameters=n:spec.parameters.name; Age
        networking.k8s.io/v1 NetworkPolicy: Name; Pod-Selector=selector:spec.podSelector; Age
        policy/v1 PodDisruptionBudget: Name; Min Available=n:spec.minAvailable; Max Unavailable=n:spec.maxUnavailable; Allowed Disruptions=i:status.disruptionsAllowed; Age
        scheduling.k8s.io/v1 PriorityClass: Name; Value=i:value; Global-Default=bool:globalDefault; Age; PreemptionPolicy=s:preemptionPolicy
        storage.k8s.io/v1 StorageClass: Name; Provisioner=s:provisioner; ReclaimPolicy=s:reclaimPolicy; VolumeBindingMode=s:volumeBindingMode; AllowVolumeExpansion=bool:allowVolumeExpansion; Age
        rbac.authorization.k8s.io/v1 Role: Name; Created At=date:metadata.creationTimestamp
        rbac.authorization.k8s.io/v1 ClusterRole: Name; Created At=date:metadata.creationTimestamp
        rbac.authorization.k8s.io/v1 RoleBinding: Name; Role=roleRef; Age; Users*=subjects:User; Groups*=subjects:Group; ServiceAccounts*=subjects:ServiceAccount
        rbac.authorization.k8s.io/v1 ClusterRoleBinding: Name; Role=roleRef; Age; Users*=subjects:User; Groups*=subjects:Group; ServiceAccounts*=subjects:ServiceAccount
        coordination.k8s.io/v1 Lease: Name; Holder=s:spec.holderIdentity; Age
        apiextensions.k8s.io/v1 CustomResourceDefinition: Name; Created At=date:metadata.creationTimestamp
        apiregistration.k8s.io/v1 APIService: Name; Service=apiService; Available=const:True; Age
        discovery.k8s.io/v1 EndpointSlice: Name; AddressType=s:addressType; Ports=count:ports; Endpoints=count:endpoints; Age
        admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration: Name; Webhooks=count:webhooks; Age
        admissionregistration.k8s.io/v1 MutatingWebhookConfiguration: Name; Webhooks=count:webhooks; Age
        """

    struct Column {
        var header: String
        var cell: String
        var wide: Bool
    }

    static let byKind: [String: [Column]] = {
        var out: [String: [Column]] = [:]
        for line in table.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            out[key] = line[line.index(after: colon)...].split(separator: ";").map { raw in
                let part = raw.trimmingCharacters(in: .whitespaces)
                let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
                let header = pieces[0]
                let wide = header.hasSuffix("*")
                return Column(header: wide ? String(header.dropLast()) : header, cell: pieces.count > 1 ? pieces[1] : header, wide: wide)
            }
        }
        return out
    }()

    static func columns(_ type: ResourceType) -> [Column]? { byKind["\(type.apiVersion) \(type.kind)"] }

    static func isInteger(_ cell: String) -> Bool { cell.hasPrefix("i:") || cell.hasPrefix("count:") }

    static func cell(_ spec: String, _ o: Value, now: Date) -> Value {
        let (fn, arg) = spec.firstIndex(of: ":").map { (String(spec[..<$0]), String(spec[spec.index(after: $0)...])) } ?? (spec, "")
        func at(_ path: String) -> Value? { o[path: path.split(separator: ".").map(String.init)] }
        switch fn {
        case "Name": return .string(o.metadataString("name") ?? "")
        case "Age": return .string(Table.age(o.metadataString("creationTimestamp"), now: now))
        case "n":
            let t = text(at(arg))
            return .string(t.isEmpty ? "<none>" : t)
        case "s": return .string(text(at(arg)))
        case "i": return .int(at(arg)?.intValue ?? 0)
        case "bool": return .string(String(at(arg)?.boolValue ?? false))
        case "const": return .string(arg)
        case "count": return .int(Int64(at(arg)?.objectValue?.count ?? at(arg)?.arrayValue?.count ?? 0))
        case "ratio":
            let p = arg.split(separator: ",").map(String.init)
            return .string("\(at(p[0])?.intValue ?? 0)/\(at(p[1])?.intValue ?? 0)")
        case "date": return .string(text(at(arg)))
        case "ago":
            let t = text(at(arg))
            return .string(t.isEmpty ? "<none>" : Table.age(t, now: now))
        default: return special(fn, arg, o, now: now) ?? .string(text(at(spec)))
        }
    }

    /// A value as a cell shows it: lists comma-joined, whole numbers without a fraction.
    static func text(_ v: Value?) -> String {
        switch v {
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        case .double(let d)?: return d == d.rounded() ? String(Int64(d)) : String(d)
        case .bool(let b)?: return String(b)
        case .array(let a)?: return a.map { text($0) }.joined(separator: ",")
        default: return ""
        }
    }

    /// The cells that read several fields of one kind (a pod's ready containers, a job's state).
    static func special(_ fn: String, _ arg: String, _ o: Value, now: Date) -> Value? {
        func at(_ path: String) -> Value? { o[path: path.split(separator: ".").map(String.init)] }
        switch fn {
        case "containers", "images":
            let containers = at(arg)?["containers"]?.arrayValue ?? []
            return .string(containers.map { text($0[fn == "containers" ? "name" : "image"]) }.joined(separator: ","))
        case "selector": return .string(selector(at(arg)))
        case "ports": return .string(servicePorts(o))
        case "externalIP":
            let ips = (o[path: ["spec", "externalIPs"]]?.arrayValue ?? []).map { text($0) }
            return .string(ips.isEmpty ? (o[path: ["spec", "type"]] == "LoadBalancer" ? "<pending>" : "<none>") : ips.joined(separator: ","))
        case "ready":
            let total = o[path: ["spec", "containers"]]?.arrayValue?.count ?? 0
            let ready = (o[path: ["status", "containerStatuses"]]?.arrayValue ?? []).filter { $0["ready"] == .bool(true) }.count
            return .string("\(ready)/\(total)")
        case "restarts":
            return .int((o[path: ["status", "containerStatuses"]]?.arrayValue ?? []).map { $0["restartCount"]?.intValue ?? 0 }.reduce(0, +))
        case "job":
            let conditions = (o[path: ["status", "conditions"]]?.arrayValue ?? []).filter { $0["status"] == "True" }.compactMap { $0["type"]?.stringValue }
            if conditions.contains("Complete") { return "Complete" }
            if conditions.contains("Failed") { return "Failed" }
            if o[path: ["spec", "suspend"]] == .bool(true) { return "Suspended" }
            return "Running"
        case "completions":
            return .string("\(o[path: ["status", "succeeded"]]?.intValue ?? 0)/\(o[path: ["spec", "completions"]]?.intValue ?? 1)")
        case "duration":
            let start = text(o[path: ["status", "startTime"]])
            return .string(start.isEmpty ? "" : Table.age(start, now: now))
        case "roleRef": return .string("\(text(o[path: ["roleRef", "kind"]]))/\(text(o[path: ["roleRef", "name"]]))")
        case "subjects":
            let names = (o["subjects"]?.arrayValue ?? []).filter { $0["kind"]?.stringValue == arg }.map { s in
                arg == "ServiceAccount" ? "\(text(s["namespace"]))/\(text(s["name"]))" : text(s["name"])
            }
            return .string(names.joined(separator: ", "))
        case "object":
            return .string("\(text(o[path: ["involvedObject", "kind"]]).lowercased())/\(text(o[path: ["involvedObject", "name"]]))")
        case "lastSeen":
            let t = text(o["lastTimestamp"]).isEmpty ? text(o["eventTime"]) : text(o["lastTimestamp"])
            return .string(t.isEmpty ? "<unknown>" : Table.age(t, now: now))
        case "hpaTargets": return .string(AutoscalerTargets.text(o))
        case "scaleTarget": return .string("\(text(o[path: ["spec", "scaleTargetRef", "kind"]]))/\(text(o[path: ["spec", "scaleTargetRef", "name"]]))")
        case "hosts":
            let hosts = (o[path: ["spec", "rules"]]?.arrayValue ?? []).compactMap { $0["host"]?.stringValue }
            return .string(hosts.isEmpty ? "*" : hosts.joined(separator: ","))
        case "apiService":
            guard let svc = o[path: ["spec", "service"]] else { return "Local" }
            return .string("\(text(svc["namespace"]))/\(text(svc["name"]))")
        default: return nil
        }
    }

    /// `app=web,tier in (a,b)`, or `<none>`.
    static func selector(_ s: Value?) -> String {
        guard let s, let o = s.objectValue, !o.isEmpty else { return "<none>" }
        var parts: [String] = []
        let labels = s["matchLabels"]?.objectValue ?? (s["matchExpressions"] == nil ? o : [:])
        for (k, v) in labels.sorted(by: { $0.key < $1.key }) { parts.append("\(k)=\(v.stringValue ?? "")") }
        for e in s["matchExpressions"]?.arrayValue ?? [] {
            let values = (e["values"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ",")
            let key = e["key"]?.stringValue ?? ""
            switch e["operator"]?.stringValue {
            case "In": parts.append("\(key) in (\(values))")
            case "NotIn": parts.append("\(key) notin (\(values))")
            case "Exists": parts.append(key)
            case "DoesNotExist": parts.append("!\(key)")
            default: break
            }
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }

    /// `80/TCP,443:30443/TCP`, or `<none>`.
    static func servicePorts(_ o: Value) -> String {
        let ports = (o[path: ["spec", "ports"]]?.arrayValue ?? []).map { p in
            let node = p["nodePort"]?.intValue.map { ":\($0)" } ?? ""
            return "\(p["port"]?.intValue ?? 0)\(node)/\(p["protocol"]?.stringValue ?? "TCP")"
        }
        return ports.isEmpty ? "<none>" : ports.joined(separator: ",")
    }
}
