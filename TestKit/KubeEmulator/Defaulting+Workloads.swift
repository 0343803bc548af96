import YAML

/// Defaults of the workload and policy kinds beyond Deployments, as a 1.33 server writes them.
extension Defaulting {
    static func statefulSet(_ s: inout Value) {
        setIfMissing(&s, ["spec", "replicas"], 1)
        setIfMissing(&s, ["spec", "podManagementPolicy"], "OrderedReady")
        setIfMissing(&s, ["spec", "revisionHistoryLimit"], 10)
        if s[path: ["spec", "updateStrategy", "type"]] == nil { s.set("RollingUpdate", at: ["spec", "updateStrategy", "type"]) }
        if s[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate" { setIfMissing(&s, ["spec", "updateStrategy", "rollingUpdate", "partition"], 0) }
        setIfMissing(&s, ["spec", "persistentVolumeClaimRetentionPolicy"], ["whenDeleted": "Retain", "whenScaled": "Retain"])
        mapArray(&s, ["spec", "volumeClaimTemplates"]) { claim in
            setIfMissing(&claim, ["apiVersion"], "v1")
            setIfMissing(&claim, ["kind"], "PersistentVolumeClaim")
            setIfMissing(&claim, ["spec", "volumeMode"], "Filesystem")
            setIfMissing(&claim, ["status"], ["phase": "Pending"])
        }
        podTemplate(&s, ["spec", "template"])
    }

    static func daemonSet(_ d: inout Value) {
        setIfMissing(&d, ["spec", "revisionHistoryLimit"], 10)
        if d[path: ["spec", "updateStrategy", "type"]] == nil { d.set("RollingUpdate", at: ["spec", "updateStrategy", "type"]) }
        if d[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate" {
            setIfMissing(&d, ["spec", "updateStrategy", "rollingUpdate", "maxUnavailable"], 1)
            setIfMissing(&d, ["spec", "updateStrategy", "rollingUpdate", "maxSurge"], 0)
        }
        podTemplate(&d, ["spec", "template"])
    }

    static func job(_ j: inout Value, _ path: [String] = ["spec"]) {
        setIfMissing(&j, path + ["parallelism"], 1)
        setIfMissing(&j, path + ["completions"], 1)
        setIfMissing(&j, path + ["backoffLimit"], 6)
        setIfMissing(&j, path + ["completionMode"], "NonIndexed")
        setIfMissing(&j, path + ["suspend"], false)
        setIfMissing(&j, path + ["podReplacementPolicy"], "TerminatingOrFailed")
        // As on a real server, a missing restartPolicy becomes Always, which validation then
        // refuses for a Job (OnFailure or Never).
        podTemplate(&j, path + ["template"])
        // The selector the Job controller uses, from the Job's uid (a CronJob's template gets it
        // per Job, not here).
        if path == ["spec"], j[path: ["spec", "manualSelector"]] != true, j[path: ["spec", "selector"]] == nil,
            let uid = j.metadataString("uid"), let name = j.metadataString("name")
        {
            j.set(["matchLabels": ["batch.kubernetes.io/controller-uid": .string(uid)]], at: ["spec", "selector"])
            for (k, v) in ["batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name, "controller-uid": uid, "job-name": name] {
                setIfMissing(&j, ["spec", "template", "metadata", "labels", k], .string(v))
            }
        }
    }

    static func cronJob(_ c: inout Value) {
        setIfMissing(&c, ["spec", "concurrencyPolicy"], "Allow")
        setIfMissing(&c, ["spec", "suspend"], false)
        setIfMissing(&c, ["spec", "successfulJobsHistoryLimit"], 3)
        setIfMissing(&c, ["spec", "failedJobsHistoryLimit"], 1)
        if c[path: ["spec", "jobTemplate"]]?.objectValue != nil {
            if c[path: ["spec", "jobTemplate", "metadata"]] == nil { c.set([:], at: ["spec", "jobTemplate", "metadata"]) }
            setIfMissing(&c, ["spec", "jobTemplate", "metadata", "creationTimestamp"], Value.null)
            job(&c, ["spec", "jobTemplate", "spec"])
        }
    }

    static func persistentVolumeClaim(_ p: inout Value) {
        setIfMissing(&p, ["spec", "volumeMode"], "Filesystem")
        if p["status"] == nil { p["status"] = ["phase": "Pending"] }
    }

    static func storageClass(_ s: inout Value) {
        setIfMissing(&s, ["reclaimPolicy"], "Delete")
        setIfMissing(&s, ["volumeBindingMode"], "Immediate")
    }

    static func priorityClass(_ p: inout Value) {
        setIfMissing(&p, ["preemptionPolicy"], "PreemptLowerPriority")
    }

    static func networkPolicy(_ n: inout Value) {
        if n[path: ["spec", "policyTypes"]] == nil, n["spec"]?.objectValue != nil {
            var types: [Value] = ["Ingress"]
            if n[path: ["spec", "egress"]] != nil { types.append("Egress") }
            n.set(.array(types), at: ["spec", "policyTypes"])
        }
    }

    static func webhooks(_ w: inout Value, validating: Bool) {
        mapArray(&w, ["webhooks"]) { h in
            setIfMissing(&h, ["failurePolicy"], "Fail")
            setIfMissing(&h, ["matchPolicy"], "Equivalent")
            setIfMissing(&h, ["namespaceSelector"], [:])
            setIfMissing(&h, ["objectSelector"], [:])
            setIfMissing(&h, ["timeoutSeconds"], 10)
            if !validating { setIfMissing(&h, ["reinvocationPolicy"], "Never") }
            mapArray(&h, ["rules"]) { setIfMissing(&$0, ["scope"], "*") }
            if h[path: ["clientConfig", "service"]]?.objectValue != nil { setIfMissing(&h, ["clientConfig", "service", "port"], 443) }
        }
    }

    static func apiService(_ a: inout Value) {
        if a[path: ["spec", "service"]]?.objectValue != nil { setIfMissing(&a, ["spec", "service", "port"], 443) }
    }

    static func endpointSlice(_ e: inout Value) {
        mapArray(&e, ["ports"]) { setIfMissing(&$0, ["protocol"], "TCP") }
    }

    /// The applied configuration of a server-side apply, before it is merged: a real server
    /// defaults the key fields of keyed lists first (a Service port's and a container port's
    /// protocol), so `ports: [{port: 81}]` names the live entry `81/TCP`.
    static func applyConfiguration(_ type: ResourceType, _ config: inout Value) {
        if type.group.isEmpty, type.kind == "Service" {
            mapArray(&config, ["spec", "ports"]) { setIfMissing(&$0, ["protocol"], "TCP") }
        }
        config = containerPortProtocols(config)
        if let schema = type.schema { structuralKeyDefaults(&config, schema: schema) }
    }

    /// The key fields of a custom resource's map-lists take their schema defaults in the applied
    /// configuration, as the built-ins' protocols do: otherwise `endpoints: [{port: 8080}]`
    /// re-applied beside a live `{port: 8080, protocol: TCP}` would add a second entry.
    static func structuralKeyDefaults(_ value: inout Value, schema: Value) {
        switch value {
        case .object(var o):
            for (name, child) in o {
                let childSchema = schema[path: ["properties", name]] ?? schema["additionalProperties"]
                guard let childSchema, childSchema.objectValue != nil else { continue }
                var c = child
                structuralKeyDefaults(&c, schema: childSchema)
                o[name] = c
            }
            value = .object(o)
        case .array(var items):
            guard let itemSchema = schema["items"] else { return }
            let keys = schema["x-kubernetes-list-type"]?.stringValue == "map" ? schema["x-kubernetes-list-map-keys"]?.arrayValue ?? [] : []
            for i in items.indices {
                for key in keys.compactMap(\.stringValue) where items[i][key] == nil {
                    if let d = itemSchema[path: ["properties", key, "default"]] { items[i][key] = d }
                }
                structuralKeyDefaults(&items[i], schema: itemSchema)
            }
            value = .array(items)
        default:
            break
        }
    }

    /// Every container port (in pods, pod templates, job templates) with its protocol.
    static func containerPortProtocols(_ v: Value) -> Value {
        switch v {
        case .object(var o):
            for (k, child) in o {
                if ["containers", "initContainers", "ephemeralContainers"].contains(k), var items = child.arrayValue {
                    for i in items.indices { mapArray(&items[i], ["ports"]) { setIfMissing(&$0, ["protocol"], "TCP") } }
                    o[k] = .array(items)
                } else {
                    o[k] = containerPortProtocols(child)
                }
            }
            return .object(o)
        case .array(let items): return .array(items.map(containerPortProtocols))
        default: return v
        }
    }
}
