/// A tenant as the source-isolation tests set one up: namespaces, and a service account
/// `deployer` in team-a that its Role lets change ConfigMaps there and nothing else.
public enum TenantFixture {
    /// YAML documents: a Namespace for each of `namespaces`, then team-a's account, Role and
    /// RoleBinding.
    public static func yaml(namespaces: [String] = ["team-a"]) -> String {
        let spaces = namespaces.map { "apiVersion: v1\nkind: Namespace\nmetadata: {name: \($0)}\n" }
        return (spaces + [deployer]).joined(separator: "---\n")
    }

    static let deployer = """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: deployer, namespace: team-a}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: deployer, namespace: team-a}
        rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list, watch, create, update, patch, delete]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: deployer, namespace: team-a}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
        subjects: [{kind: ServiceAccount, name: deployer, namespace: team-a}]

        """
}
