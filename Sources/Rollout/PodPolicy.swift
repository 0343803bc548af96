public import Values

/// What a ModelDeployment's `spec.template` may ask of the pods Sluice creates. Sluice creates
/// them with its own rights, so without this, permission to commit a ModelDeployment would be
/// permission to run any pod: under any service account of the namespace, on the node's
/// filesystem, privileged. The operator widens it (`--allowed-service-accounts`,
/// `--allow-host-path`, `--allow-privileged-pods`); the default refuses all of it.
public struct PodPolicy: Sendable, Equatable {
    /// Service accounts a template may name besides `default` (`name` anywhere, or
    /// `namespace/name`).
    public var serviceAccounts: Set<String>
    public var hostPath: Bool
    /// `privileged`, `allowPrivilegeEscalation: true`, added capabilities beyond
    /// `NET_BIND_SERVICE`, host ports, and sysctls.
    public var privileged: Bool

    /// Only for `unrestricted`.
    var anyServiceAccount = false

    public init(serviceAccounts: Set<String> = [], hostPath: Bool = false, privileged: Bool = false) {
        self.serviceAccounts = serviceAccounts
        self.hostPath = hostPath
        self.privileged = privileged
    }

    init(serviceAccounts: Set<String>, hostPath: Bool, privileged: Bool, anyServiceAccount: Bool) {
        self.init(serviceAccounts: serviceAccounts, hostPath: hostPath, privileged: privileged)
        self.anyServiceAccount = anyServiceAccount
    }

    public static let restricted = PodPolicy()
    /// For readers that create no pods (a soak's SLOs, `sluice status`, `sluice validate`): the
    /// controller that creates them holds the operator's policy.
    public static let unrestricted = PodPolicy(serviceAccounts: [], hostPath: true, privileged: true, anyServiceAccount: true)

    /// Every field of `template` the policy refuses, with its path and what to set to allow it.
    public func violations(template: Value, namespace: String) -> [SpecError] {
        var out: [SpecError] = []
        let base = ["spec", "template"]
        if !anyServiceAccount, let account = template["serviceAccountName"]?.stringValue, account != "default", !serviceAccounts.contains(account),
            !serviceAccounts.contains("\(namespace)/\(account)")
        {
            out.append(
                SpecError(
                    path: base + ["serviceAccountName"],
                    message: "'\(account)' is not an allowed service account (the operator allows it with --allowed-service-accounts \(namespace)/\(account))"))
        }
        for (i, volume) in (template["volumes"]?.arrayValue ?? []).enumerated() where volume["hostPath"] != nil && !hostPath {
            out.append(
                SpecError(
                    path: base + ["volumes", "\(i)", "hostPath"], message: "hostPath volumes are not allowed (the operator allows them with --allow-host-path)")
            )
        }
        guard !privileged else { return out }
        if let sysctls = template[path: ["securityContext", "sysctls"]], !(sysctls.arrayValue ?? []).isEmpty {
            out.append(SpecError(path: base + ["securityContext", "sysctls"], message: Self.privilegeMessage("sysctls")))
        }
        for (i, container) in (template["initContainers"]?.arrayValue ?? []).enumerated() {
            out += Self.containerViolations(container, path: base + ["initContainers", "\(i)"])
        }
        return out
    }

    static func containerViolations(_ container: Value, path: [String]) -> [SpecError] {
        var out: [SpecError] = []
        let sc = container["securityContext"]
        if sc?["privileged"]?.boolValue == true {
            out.append(SpecError(path: path + ["securityContext", "privileged"], message: privilegeMessage("privileged")))
        }
        if sc?["allowPrivilegeEscalation"]?.boolValue == true {
            out.append(SpecError(path: path + ["securityContext", "allowPrivilegeEscalation"], message: privilegeMessage("privilege escalation")))
        }
        let added = (sc?[path: ["capabilities", "add"]]?.arrayValue ?? []).compactMap(\.stringValue).filter { $0 != "NET_BIND_SERVICE" }
        if !added.isEmpty {
            out.append(
                SpecError(
                    path: path + ["securityContext", "capabilities", "add"], message: privilegeMessage("added capabilities (\(added.joined(separator: ", ")))"))
            )
        }
        if sc?["procMount"]?.stringValue == "Unmasked" {
            out.append(SpecError(path: path + ["securityContext", "procMount"], message: privilegeMessage("an unmasked /proc")))
        }
        for (j, port) in (container["ports"]?.arrayValue ?? []).enumerated() where port["hostPort"] != nil {
            out.append(SpecError(path: path + ["ports", "\(j)", "hostPort"], message: privilegeMessage("host ports")))
        }
        return out
    }

    static func privilegeMessage(_ what: String) -> String { "\(what) not allowed (the operator allows privileged pods with --allow-privileged-pods)" }
}
