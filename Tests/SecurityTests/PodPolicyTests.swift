import Rollout
import Testing
import YAML

/// Permission to commit a ModelDeployment must not be permission to run any pod through the
/// controller's rights: whatever in `spec.template` grants privilege is refused, naming the
/// field, unless the operator allows it.
@Suite struct PodPolicyTests {
    static func parse(_ template: String, policy: PodPolicy = .restricted, namespace: String = "team-a") throws -> [String] {
        let yaml = """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelDeployment
            metadata: {name: churn, namespace: \(namespace)}
            spec:
              model: {version: v1, image: "reg/churn:1"}
              template:
            \(template.split(separator: "\n").map { "    \($0)" }.joined(separator: "\n"))
            """
        switch ModelDeploymentSpec.parse(try YAML.documents(in: yaml)[0].root.value, policy: policy) {
        case .success: return []
        case .failure(let errors): return errors.errors.map(\.field)
        }
    }

    static let refused: [(template: String, field: String)] = [
        ("serviceAccountName: sluice", "spec.template.serviceAccountName"),
        ("volumes: [{name: root, hostPath: {path: /}}]", "spec.template.volumes[0].hostPath"),
        ("initContainers: [{name: x, image: busybox, securityContext: {privileged: true}}]", "spec.template.initContainers[0].securityContext.privileged"),
        (
            "initContainers: [{name: x, image: busybox, securityContext: {allowPrivilegeEscalation: true}}]",
            "spec.template.initContainers[0].securityContext.allowPrivilegeEscalation"
        ),
        (
            "initContainers: [{name: x, image: busybox, securityContext: {capabilities: {add: [SYS_ADMIN]}}}]",
            "spec.template.initContainers[0].securityContext.capabilities.add"
        ),
        ("initContainers: [{name: x, image: busybox, ports: [{containerPort: 22, hostPort: 22}]}]", "spec.template.initContainers[0].ports[0].hostPort"),
        ("securityContext: {sysctls: [{name: kernel.msgmax, value: '1'}]}", "spec.template.securityContext.sysctls"),
        ("hostNetwork: true", "spec.template.hostNetwork"),
        ("hostPID: true", "spec.template.hostPID"),
        ("automountServiceAccountToken: true", "spec.template.automountServiceAccountToken"),
    ]

    @Test(arguments: refused.indices) func privilegeIsRefusedByDefault(_ i: Int) throws {
        let (template, field) = Self.refused[i]
        #expect(try Self.parse(template) == [field])
    }

    @Test func theOperatorCanAllowEach() throws {
        #expect(try Self.parse("serviceAccountName: model-server", policy: PodPolicy(serviceAccounts: ["team-a/model-server"])) == [])
        #expect(
            try Self.parse("serviceAccountName: model-server", policy: PodPolicy(serviceAccounts: ["team-a/model-server"]), namespace: "team-b")
                == ["spec.template.serviceAccountName"], "allowed in team-a only")
        #expect(try Self.parse("volumes: [{name: root, hostPath: {path: /data}}]", policy: PodPolicy(hostPath: true)) == [])
        #expect(
            try Self.parse("initContainers: [{name: x, image: busybox, securityContext: {privileged: true}}]", policy: PodPolicy(privileged: true)) == [])
    }

    @Test func whatGrantsNothingIsFine() throws {
        #expect(try Self.parse("serviceAccountName: default") == [])
        #expect(
            try Self.parse(
                "volumes: [{name: cache, emptyDir: {}}]\ninitContainers: [{name: fetch, image: busybox, securityContext: {capabilities: {add: [NET_BIND_SERVICE]}, runAsNonRoot: true}}]"
            ) == [])
    }
}
