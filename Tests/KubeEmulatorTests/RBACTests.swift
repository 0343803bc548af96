import Foundation
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

/// The emulator authorizes service-account tokens with RBAC as an API server does, so the
/// install's Roles can be proven sufficient (and not wider than needed).
@Suite(.offThePool) struct RBACTests {
    func setUp() async throws -> (EmulatorFixture, KubeClient) {
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = "admin-token"
        }
        let admin = try fx.client()
        for ns in ["ml", "other"] {
            _ = try await admin.apply(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]], fieldManager: "test")
        }
        return (fx, admin)
    }

    func client(_ fx: EmulatorFixture, namespace: String = "ml", account: String = "robot") throws -> KubeClient {
        var config = try KubeConfigLoader.fromFiles([try fx.kubeconfigFile(namespace: namespace)])
        config.auth = .token(fx.emulator.serviceAccountToken(namespace: "ml", name: account))
        return KubeClient(config: config, retry: .init(attempts: 1))
    }

    func configMap(_ name: String, _ ns: String = "ml") -> Value {
        ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name), "namespace": .string(ns)], "data": ["k": "v"]]
    }

    func forbidden(_ body: () async throws -> Void) async -> KubeError? {
        do {
            try await body()
            return nil
        } catch let e as KubeError {
            return e
        } catch {
            return nil
        }
    }

    @Test func anAccountWithoutBindingsMayDoNothing() async throws {
        let (fx, _) = try await setUp()
        let robot = try client(fx)
        let e = await forbidden { _ = try await robot.list(apiVersion: "v1", kind: "ConfigMap", namespace: "ml") }
        #expect(e?.code == 403)
        #expect(
            e?.message
                == #"configmaps is forbidden: User "system:serviceaccount:ml:robot" cannot list resource "configmaps" in API group "" in the namespace "ml""#)
        let g = await forbidden { _ = try await robot.get(ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "ml", name: "web")) }
        #expect(
            g?.message
                == #"deployments.apps "web" is forbidden: User "system:serviceaccount:ml:robot" cannot get resource "deployments" in API group "apps" in the namespace "ml""#
        )
        await fx.stop()
    }

    @Test func aRoleBindingGrantsItsRulesInItsNamespaceOnly() async throws {
        let (fx, admin) = try await setUp()
        _ = try await admin.apply(
            [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": ["name": "cm-editor", "namespace": "ml"],
                "rules": [["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "watch", "create", "patch"]]],
            ], fieldManager: "test")
        _ = try await admin.apply(
            [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": ["name": "robot-cm", "namespace": "ml"],
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "cm-editor"],
                "subjects": [["kind": "ServiceAccount", "name": "robot", "namespace": "ml"]],
            ], fieldManager: "test")
        let robot = try client(fx)
        _ = try await robot.apply(configMap("a"), fieldManager: "robot")
        #expect(try await robot.list(apiVersion: "v1", kind: "ConfigMap", namespace: "ml").items.count == 1)
        let delete = await forbidden { _ = try await robot.delete(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "ml", name: "a")) }
        #expect(delete?.code == 403, "delete is not among the verbs")
        let elsewhere = await forbidden { _ = try await robot.apply(configMap("b", "other"), fieldManager: "robot") }
        #expect(elsewhere?.code == 403, "the binding is in ml only")
        let clusterWide = await forbidden { _ = try await robot.list(apiVersion: "v1", kind: "ConfigMap", namespace: nil) }
        #expect(clusterWide?.message.contains("at the cluster scope") == true)
        let otherAccount = try client(fx, account: "intruder")
        #expect(await forbidden { _ = try await otherAccount.list(apiVersion: "v1", kind: "ConfigMap", namespace: "ml") }?.code == 403)
        await fx.stop()
    }

    @Test func aggregatedClusterRolesResourceNamesAndSubresources() async throws {
        let (fx, admin) = try await setUp()
        _ = try await admin.apply(
            [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "sync"],
                "aggregationRule": ["clusterRoleSelectors": [["matchLabels": ["example.dev/aggregate-to-sync": "true"]]]],
            ], fieldManager: "test")
        _ = try await admin.apply(
            [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": ["name": "robot-sync"],
                "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "sync"],
                "subjects": [["kind": "ServiceAccount", "name": "robot", "namespace": "ml"]],
            ], fieldManager: "test")
        let robot = try client(fx)
        #expect(await forbidden { _ = try await robot.list(apiVersion: "v1", kind: "ConfigMap", namespace: "other") }?.code == 403, "nothing aggregated yet")
        // Widening: a labelled ClusterRole joins the aggregate.
        _ = try await admin.apply(
            [
                "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                "metadata": ["name": "sync-configmaps", "labels": ["example.dev/aggregate-to-sync": "true"]],
                "rules": [
                    ["apiGroups": [""], "resources": ["configmaps"], "verbs": ["list"]],
                    ["apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["allowed"], "verbs": ["get", "patch"]],
                    ["apiGroups": ["apps"], "resources": ["deployments/status"], "verbs": ["patch"]],
                ],
            ], fieldManager: "test")
        #expect(try await robot.list(apiVersion: "v1", kind: "ConfigMap", namespace: "other").items.isEmpty)
        _ = try await admin.apply(configMap("allowed", "other"), fieldManager: "test")
        _ = try await admin.apply(configMap("secret-ish", "other"), fieldManager: "test")
        #expect(try await robot.get(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "other", name: "allowed"))["data"]?["k"] == "v")
        #expect(
            await forbidden { _ = try await robot.get(ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "other", name: "secret-ish")) }?.code
                == 403)
        _ = try await admin.apply(
            [
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "ml"],
                "spec": [
                    "selector": ["matchLabels": ["app": "web"]],
                    "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c", "image": "i"]]]],
                ],
            ], fieldManager: "test")
        let web = ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "ml", name: "web")
        _ = try await robot.patchStatus(web, ["status": ["observedGeneration": 1]], fieldManager: "robot")
        #expect(
            await forbidden { _ = try await robot.mergePatch(web, ["metadata": ["labels": ["x": "y"]]], fieldManager: "robot") }?.code == 403,
            "status access is not access to the object")
        await fx.stop()
    }

    @Test func kubectlSeesTheSameForbiddenMessageAsFromARealCluster() async throws {
        let (fx, _) = try await setUp()
        let dir = TemporaryDirectory(prefix: "sluice-rbac")
        let token = fx.emulator.serviceAccountToken(namespace: "ml", name: "robot")
        let result = try await run(
            "kubectl", ["--kubeconfig", try fx.kubeconfigFile(), "--token", token, "get", "configmaps", "-n", "ml"],
            environment: ["HOME": dir.path, "KUBECACHEDIR": dir.file("cache")], timeout: 60)
        #expect(result.status != 0)
        #expect(
            result.stderr.contains(
                #"Error from server (Forbidden): configmaps is forbidden: User "system:serviceaccount:ml:robot" cannot list resource "configmaps" in API group "" in the namespace "ml""#
            ), "\(result.stderr)")
        await fx.stop()
    }

    @Test func anyoneMayAskWhoTheyAreAndWhatTheyMayDoAsOnARealCluster() async throws {
        // system:basic-user, bound to system:authenticated, is part of every API server's bootstrap policy.
        let (fx, _) = try await setUp()
        let dir = TemporaryDirectory(prefix: "sluice-rbac")
        let token = fx.emulator.serviceAccountToken(namespace: "ml", name: "nobody")
        let env = ["HOME": dir.path, "KUBECACHEDIR": dir.file("cache")]
        let whoami = try await run(
            "kubectl", ["--kubeconfig", try fx.kubeconfigFile(), "--token", token, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"],
            environment: env, timeout: 60)
        #expect(whoami.status == 0 && whoami.stdout == "system:serviceaccount:ml:nobody", "\(whoami.stdout)\(whoami.stderr)")
        let canI = try await run(
            "kubectl", ["--kubeconfig", try fx.kubeconfigFile(), "--token", token, "auth", "can-i", "list", "configmaps", "-n", "ml"], environment: env,
            timeout: 60)
        #expect(canI.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "no", "it may ask, and is told no: \(canI.stdout)\(canI.stderr)")
        let roles = try await run(
            "kubectl", ["--kubeconfig", try fx.kubeconfigFile(), "get", "clusterrolebinding", "system:basic-user", "-o", "jsonpath={.subjects[0].name}"],
            environment: env, timeout: 60)
        #expect(roles.stdout == "system:authenticated", "\(roles.stdout)\(roles.stderr)")
        await fx.stop()
    }
}
