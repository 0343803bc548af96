import YAML

/// The defaults a real API server writes into objects. They are what makes a naive diff of
/// "what I applied" against "what is live" noisy, so the emulator must be exactly as noisy.
enum Defaulting {
    static func apply(_ type: ResourceType, to object: inout Value, allocateClusterIP: () -> String) {
        switch (type.group, type.kind) {
        case ("apps", "Deployment"): deployment(&object)
        case ("apps", "ReplicaSet"):
            setIfMissing(&object, ["spec", "replicas"], 1)
            podTemplate(&object, ["spec", "template"])
        case ("apps", "StatefulSet"): statefulSet(&object)
        case ("apps", "DaemonSet"): daemonSet(&object)
        case ("batch", "Job"): job(&object)
        case ("batch", "CronJob"): cronJob(&object)
        case ("", "ReplicationController"):
            setIfMissing(&object, ["spec", "replicas"], 1)
            podTemplate(&object, ["spec", "template"])
        case ("", "PodTemplate"): podTemplate(&object, ["template"])
        case ("", "PersistentVolumeClaim"): persistentVolumeClaim(&object)
        case ("storage.k8s.io", "StorageClass"): storageClass(&object)
        case ("scheduling.k8s.io", "PriorityClass"): priorityClass(&object)
        case ("networking.k8s.io", "NetworkPolicy"): networkPolicy(&object)
        case ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"): webhooks(&object, validating: true)
        case ("admissionregistration.k8s.io", "MutatingWebhookConfiguration"): webhooks(&object, validating: false)
        case ("apiregistration.k8s.io", "APIService"): apiService(&object)
        case ("discovery.k8s.io", "EndpointSlice"): endpointSlice(&object)
        case ("", "Service"): service(&object, allocateClusterIP)
        case ("", "Namespace"): namespace(&object)
        case ("", "Secret"): secret(&object)
        case ("", "Pod"): pod(&object)
        case ("gateway.networking.k8s.io", "HTTPRoute"): httpRoute(&object)
        case ("apiextensions.k8s.io", "CustomResourceDefinition"): setIfMissing(&object, ["spec", "conversion"], ["strategy": "None"])
        default:
            if let schema = type.schema { structuralDefaults(&object, schema: schema) }
        }
    }

    static func setIfMissing(_ object: inout Value, _ path: [String], _ value: Value) {
        if object[path: path] == nil || object[path: path] == .null { object.set(value, at: path) }
    }

    static func mapArray(_ object: inout Value, _ path: [String], _ body: (inout Value) -> Void) {
        guard var items = object[path: path]?.arrayValue else { return }
        for i in items.indices { body(&items[i]) }
        object.set(.array(items), at: path)
    }

    static func deployment(_ d: inout Value) {
        setIfMissing(&d, ["spec", "replicas"], 1)
        let strategyType = d[path: ["spec", "strategy", "type"]]?.stringValue
        if strategyType == nil { d.set("RollingUpdate", at: ["spec", "strategy", "type"]) }
        if strategyType == nil || strategyType == "RollingUpdate" {
            setIfMissing(&d, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
            setIfMissing(&d, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
        }
        setIfMissing(&d, ["spec", "revisionHistoryLimit"], 10)
        setIfMissing(&d, ["spec", "progressDeadlineSeconds"], 600)
        podTemplate(&d, ["spec", "template"])
    }

    /// A pod as a real server creates it: Pending (no scheduler or kubelet moves it on here)
    /// with its QoS class.
    static func pod(_ p: inout Value) {
        podSpec(&p, ["spec"])
        setIfMissing(&p, ["status", "phase"], "Pending")
        setIfMissing(&p, ["status", "qosClass"], .string(qosClass(p[path: ["spec"]] ?? [:])))
    }

    /// Guaranteed when every container limits CPU and memory and requests what it limits,
    /// BestEffort when none requests or limits anything, Burstable otherwise.
    static func qosClass(_ spec: Value) -> String {
        let containers = (spec["containers"]?.arrayValue ?? []) + (spec["initContainers"]?.arrayValue ?? [])
        var any = false
        var guaranteed = !containers.isEmpty
        for c in containers {
            let limits = c[path: ["resources", "limits"]]?.objectValue ?? [:]
            let requests = c[path: ["resources", "requests"]]?.objectValue ?? [:]
            if !limits.isEmpty || !requests.isEmpty { any = true }
            for r in ["cpu", "memory"] {
                guard let limit = limits[r] else {
                    guaranteed = false
                    continue
                }
                if let request = requests[r], request != limit { guaranteed = false }
            }
        }
        return guaranteed ? "Guaranteed" : any ? "Burstable" : "BestEffort"
    }

    static func podTemplate(_ o: inout Value, _ path: [String]) {
        guard o[path: path]?.objectValue != nil else { return }
        // Real servers serialise the template's zero creationTimestamp as null.
        if o[path: path + ["metadata"]] == nil { o.set([:], at: path + ["metadata"]) }
        setIfMissing(&o, path + ["metadata", "creationTimestamp"], Value.null)
        podSpec(&o, path + ["spec"])
    }

    static func podSpec(_ o: inout Value, _ path: [String]) {
        guard o[path: path]?.objectValue != nil else { return }
        setIfMissing(&o, path + ["restartPolicy"], "Always")
        setIfMissing(&o, path + ["terminationGracePeriodSeconds"], 30)
        setIfMissing(&o, path + ["dnsPolicy"], "ClusterFirst")
        setIfMissing(&o, path + ["securityContext"], [:])
        setIfMissing(&o, path + ["schedulerName"], "default-scheduler")
        for list in ["containers", "initContainers"] {
            mapArray(&o, path + [list]) { container(&$0) }
        }
        mapArray(&o, path + ["volumes"]) { v in
            for source in ["configMap", "secret"] where v[source]?.objectValue != nil {
                setIfMissing(&v, [source, "defaultMode"], 420)
            }
        }
    }

    static func container(_ c: inout Value) {
        setIfMissing(&c, ["terminationMessagePath"], "/dev/termination-log")
        setIfMissing(&c, ["terminationMessagePolicy"], "File")
        setIfMissing(&c, ["resources"], [:])
        if c["imagePullPolicy"] == nil, let image = c["image"]?.stringValue {
            c["imagePullPolicy"] = .string(imageTag(image).map { $0 == "latest" ? "Always" : "IfNotPresent" } ?? "Always")
        }
        mapArray(&c, ["ports"]) { setIfMissing(&$0, ["protocol"], "TCP") }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] where c[probe]?.objectValue != nil {
            setIfMissing(&c, [probe, "timeoutSeconds"], 1)
            setIfMissing(&c, [probe, "periodSeconds"], 10)
            setIfMissing(&c, [probe, "successThreshold"], 1)
            setIfMissing(&c, [probe, "failureThreshold"], 3)
            if c[path: [probe, "httpGet"]]?.objectValue != nil { setIfMissing(&c, [probe, "httpGet", "scheme"], "HTTP") }
        }
    }

    /// The tag of an image reference, nil when it has none (digests count as pinned).
    static func imageTag(_ image: String) -> String? {
        if image.contains("@") { return "digest" }
        let lastSegment = image.split(separator: "/").last ?? Substring(image)
        guard let colon = lastSegment.lastIndex(of: ":") else { return nil }
        return String(lastSegment[lastSegment.index(after: colon)...])
    }

    static func service(_ s: inout Value, _ allocate: () -> String) {
        setIfMissing(&s, ["spec", "type"], "ClusterIP")
        let type = s[path: ["spec", "type"]]?.stringValue ?? "ClusterIP"
        setIfMissing(&s, ["spec", "sessionAffinity"], "None")
        if type != "ExternalName" {
            if s[path: ["spec", "clusterIP"]] == nil || s[path: ["spec", "clusterIP"]] == "" {
                let ip = allocate()
                s.set(.string(ip), at: ["spec", "clusterIP"])
                s.set([.string(ip)], at: ["spec", "clusterIPs"])
            } else {
                setIfMissing(&s, ["spec", "clusterIPs"], [s[path: ["spec", "clusterIP"]]!])
            }
            setIfMissing(&s, ["spec", "ipFamilies"], ["IPv4"])
            setIfMissing(&s, ["spec", "ipFamilyPolicy"], "SingleStack")
            setIfMissing(&s, ["spec", "internalTrafficPolicy"], "Cluster")
        }
        mapArray(&s, ["spec", "ports"]) { p in
            setIfMissing(&p, ["protocol"], "TCP")
            if p["targetPort"] == nil, let port = p["port"] { p["targetPort"] = port }
        }
        if s["status"] == nil { s["status"] = ["loadBalancer": [:]] }
    }

    static func namespace(_ n: inout Value) {
        if let name = n.metadataString("name") {
            var labels = n.metadata("labels") ?? [:]
            labels["kubernetes.io/metadata.name"] = .string(name)
            n.setMetadata("labels", labels)
        }
        setIfMissing(&n, ["spec", "finalizers"], ["kubernetes"])
        setIfMissing(&n, ["status", "phase"], "Active")
    }

    static func secret(_ s: inout Value) {
        setIfMissing(&s, ["type"], "Opaque")
        // stringData is write-only: the server folds it into data.
        if let stringData = s["stringData"]?.objectValue {
            var data = s["data"]?.objectValue ?? [:]
            for (k, v) in stringData {
                if let text = v.stringValue { data[k] = .string(Base64.encode(Array(text.utf8))) }
            }
            s["data"] = .object(data)
            s["stringData"] = nil
        }
    }

    static func httpRoute(_ r: inout Value) {
        mapArray(&r, ["spec", "parentRefs"]) { p in
            setIfMissing(&p, ["group"], "gateway.networking.k8s.io")
            setIfMissing(&p, ["kind"], "Gateway")
        }
        if r[path: ["spec", "rules"]] == nil { r.set([["matches": [["path": ["type": "PathPrefix", "value": "/"]]]]], at: ["spec", "rules"]) }
        mapArray(&r, ["spec", "rules"]) { rule in
            setIfMissing(&rule, ["matches"], [["path": ["type": "PathPrefix", "value": "/"]]])
            mapArray(&rule, ["backendRefs"]) { b in
                setIfMissing(&b, ["group"], "")
                setIfMissing(&b, ["kind"], "Service")
                setIfMissing(&b, ["weight"], 1)
            }
        }
    }

    /// `default:` values from a CRD's structural schema, applied where a field is absent.
    static func structuralDefaults(_ value: inout Value, schema: Value) {
        switch value {
        case .object(var o):
            if let properties = schema["properties"]?.objectValue {
                for (name, propertySchema) in properties {
                    if o[name] == nil, let def = propertySchema["default"] { o[name] = def }
                    if var child = o[name] {
                        structuralDefaults(&child, schema: propertySchema)
                        o[name] = child
                    }
                }
            }
            if let additional = schema["additionalProperties"], additional.objectValue != nil {
                for k in o.keys {
                    var child = o[k]!
                    structuralDefaults(&child, schema: additional)
                    o[k] = child
                }
            }
            value = .object(o)
        case .array(var items):
            if let itemSchema = schema["items"] {
                for i in items.indices { structuralDefaults(&items[i], schema: itemSchema) }
            }
            value = .array(items)
        default:
            break
        }
    }
}

enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i]
            let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
            let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func isValid(_ s: String) -> Bool {
        let valid = Set(alphabet + [UInt8(ascii: "=")])
        return s.utf8.count % 4 == 0 && s.utf8.allSatisfy { valid.contains($0) }
    }
}
