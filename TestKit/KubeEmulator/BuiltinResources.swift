/// Every resource a Kubernetes 1.33 API server serves by default (`kubectl api-resources` on a
/// kind or kubeadm cluster), as data: one line per resource, read once. Columns:
///
///     group/version  Kind  plural  scope  shortNames  categories  subresources  flags
///
/// `-` for none; lists are comma-separated. Flags: `generation` (metadata.generation tracks spec
/// changes), `verbs=...` (instead of the usual create, delete, deletecollection, get, list,
/// patch, update, watch), `singular=...` (when it is not the lowercased kind). The Gateway API's
/// HTTPRoute is not built into Kubernetes: the emulator serves it as if its CRDs were installed,
/// because the rollout controller's `gateway-api` router writes it.
enum BuiltinResources {
    static let table = """
        v1 Binding bindings ns - - - verbs=create
        v1 ComponentStatus componentstatuses cluster cs - - verbs=get,list
        v1 ConfigMap configmaps ns cm - -
        v1 Endpoints endpoints ns ep - - singular=endpoints
        v1 Event events ns ev - -
        v1 LimitRange limitranges ns limits - -
        v1 Namespace namespaces cluster ns - status,finalize verbs=create,delete,get,list,patch,update,watch
        v1 Node nodes cluster no - status,proxy
        v1 PersistentVolumeClaim persistentvolumeclaims ns pvc - status
        v1 PersistentVolume persistentvolumes cluster pv - status
        v1 Pod pods ns po all status,log,exec,attach,portforward,proxy,eviction,binding,ephemeralcontainers,resize
        v1 PodTemplate podtemplates ns - - -
        v1 ReplicationController replicationcontrollers ns rc all status,scale generation
        v1 ResourceQuota resourcequotas ns quota - status
        v1 Secret secrets ns - - -
        v1 ServiceAccount serviceaccounts ns sa - token
        v1 Service services ns svc all status,proxy
        admissionregistration.k8s.io/v1 MutatingWebhookConfiguration mutatingwebhookconfigurations cluster - api-extensions - generation
        admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy validatingadmissionpolicies cluster - api-extensions status generation
        admissionregistration.k8s.io/v1 ValidatingAdmissionPolicyBinding validatingadmissionpolicybindings cluster - api-extensions - generation
        admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration validatingwebhookconfigurations cluster - api-extensions - generation
        apiextensions.k8s.io/v1 CustomResourceDefinition customresourcedefinitions cluster crd,crds api-extensions status generation
        apiregistration.k8s.io/v1 APIService apiservices cluster - api-extensions status
        apps/v1 ControllerRevision controllerrevisions ns - - -
        apps/v1 DaemonSet daemonsets ns ds all status generation
        apps/v1 Deployment deployments ns deploy all status,scale generation
        apps/v1 ReplicaSet replicasets ns rs all status,scale generation
        apps/v1 StatefulSet statefulsets ns sts all status,scale generation
        authentication.k8s.io/v1 SelfSubjectReview selfsubjectreviews cluster - - - verbs=create
        authentication.k8s.io/v1 TokenReview tokenreviews cluster - - - verbs=create
        authorization.k8s.io/v1 LocalSubjectAccessReview localsubjectaccessreviews ns - - - verbs=create
        authorization.k8s.io/v1 SelfSubjectAccessReview selfsubjectaccessreviews cluster - - - verbs=create
        authorization.k8s.io/v1 SelfSubjectRulesReview selfsubjectrulesreviews cluster - - - verbs=create
        authorization.k8s.io/v1 SubjectAccessReview subjectaccessreviews cluster - - - verbs=create
        autoscaling/v2 HorizontalPodAutoscaler horizontalpodautoscalers ns hpa all status generation
        autoscaling/v1 HorizontalPodAutoscaler horizontalpodautoscalers ns hpa all status generation
        batch/v1 CronJob cronjobs ns cj all status generation
        batch/v1 Job jobs ns - all status generation
        certificates.k8s.io/v1 CertificateSigningRequest certificatesigningrequests cluster csr - status,approval
        coordination.k8s.io/v1 Lease leases ns - - -
        discovery.k8s.io/v1 EndpointSlice endpointslices ns - - -
        events.k8s.io/v1 Event events ns ev - -
        flowcontrol.apiserver.k8s.io/v1 FlowSchema flowschemas cluster - - status generation
        flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration prioritylevelconfigurations cluster - - status generation
        networking.k8s.io/v1 IngressClass ingressclasses cluster - - - generation
        networking.k8s.io/v1 Ingress ingresses ns ing - status generation
        networking.k8s.io/v1 IPAddress ipaddresses cluster ip - -
        networking.k8s.io/v1 NetworkPolicy networkpolicies ns netpol - - generation
        networking.k8s.io/v1 ServiceCIDR servicecidrs cluster - - status
        node.k8s.io/v1 RuntimeClass runtimeclasses cluster - - -
        policy/v1 PodDisruptionBudget poddisruptionbudgets ns pdb - status generation
        rbac.authorization.k8s.io/v1 ClusterRoleBinding clusterrolebindings cluster - - -
        rbac.authorization.k8s.io/v1 ClusterRole clusterroles cluster - - -
        rbac.authorization.k8s.io/v1 RoleBinding rolebindings ns - - -
        rbac.authorization.k8s.io/v1 Role roles ns - - -
        scheduling.k8s.io/v1 PriorityClass priorityclasses cluster pc - - generation
        storage.k8s.io/v1 CSIDriver csidrivers cluster - - -
        storage.k8s.io/v1 CSINode csinodes cluster - - -
        storage.k8s.io/v1 CSIStorageCapacity csistoragecapacities ns - - -
        storage.k8s.io/v1 StorageClass storageclasses cluster sc - -
        storage.k8s.io/v1 VolumeAttachment volumeattachments cluster - - status
        gateway.networking.k8s.io/v1 HTTPRoute httproutes ns - gateway-api status generation
        """

    static let all: [ResourceType] = table.split(separator: "\n").map { parse(String($0)) }

    static func parse(_ line: String) -> ResourceType {
        let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        precondition(f.count >= 7, "BuiltinResources: malformed line: \(line)")
        func list(_ s: String) -> [String] { s == "-" ? [] : s.split(separator: ",").map(String.init) }
        let (group, version) = Registry.split(f[0])
        var t = ResourceType(
            group: group, version: version, kind: f[1], plural: f[2], singular: f[1].lowercased(), namespaced: f[3] == "ns", shortNames: list(f[4]),
            categories: list(f[5]))
        t.subresources = list(f[6])
        t.hasStatus = t.subresources.contains("status")
        for flag in f.dropFirst(7) {
            if flag == "generation" { t.tracksGeneration = true }
            if flag.hasPrefix("verbs=") { t.verbs = list(String(flag.dropFirst(6))) }
            if flag.hasPrefix("singular=") { t.singular = String(flag.dropFirst(9)) }
        }
        return t
    }

    /// What each subresource is in discovery: its verbs and, when it is not the parent kind,
    /// the group, version and kind it exchanges.
    static func subresource(_ name: String, of t: ResourceType) -> (verbs: [String], group: String?, version: String?, kind: String) {
        switch name {
        case "status", "ephemeralcontainers", "resize", "approval": return (["get", "patch", "update"], nil, nil, t.kind)
        case "scale": return (["get", "patch", "update"], "autoscaling", "v1", "Scale")
        case "log": return (["get"], nil, nil, "Pod")
        case "exec", "attach", "portforward": return (["create", "get"], nil, nil, "PodExecOptions")
        case "proxy":
            return (
                ["create", "delete", "get", "patch", "update"], nil, nil,
                t.kind == "Pod" ? "PodProxyOptions" : t.kind == "Node" ? "NodeProxyOptions" : "ServiceProxyOptions"
            )
        case "eviction": return (["create"], "policy", "v1", "Eviction")
        case "binding": return (["create"], nil, nil, "Binding")
        case "finalize": return (["update"], nil, nil, "Namespace")
        case "token": return (["create"], "authentication.k8s.io", "v1", "TokenRequest")
        default: return (["get"], nil, nil, t.kind)
        }
    }
}
