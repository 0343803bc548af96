import Foundation
import Kube
import KubeEmulator
import Manifests
import TestSupport
import Testing
import YAML

/// The official Kubernetes Python client (installed into `.build/python` by scripts/setup) as a
/// second real client: it reads the emulator's kubeconfig (TLS, token), then creates, lists,
/// watches, patches (strategic, merge, JSON) and server-side-applies, as it does on a cluster.
@Suite(.offThePool) struct PythonClientTests {
    static let python = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/python/bin/python").standardized.path

    static let script = #"""
        import json, sys, threading
        from kubernetes import client, config, watch, dynamic
        from kubernetes.client.rest import ApiException

        config.load_kube_config(config_file=sys.argv[1])
        api = client.ApiClient()
        core = client.CoreV1Api(api)
        out = {}

        # A dict body is sent as it is: like a real server, the emulator wants its kind.
        core.create_namespace({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "py"}})
        listed = core.list_namespaced_config_map("py")
        since = listed.metadata.resource_version

        seen = []
        def watcher():
            w = watch.Watch()
            for e in w.stream(core.list_namespaced_config_map, "py", resource_version=since, timeout_seconds=10):
                seen.append((e["type"], e["object"].metadata.name, (e["object"].data or {}).get("mode")))
                if len(seen) >= 2:
                    w.stop()
        t = threading.Thread(target=watcher)
        t.start()

        core.create_namespaced_config_map("py", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": {"mode": "batch", "level": "1"}})
        # A dict body is sent as a strategic merge patch, a list as a JSON patch.
        core.patch_namespaced_config_map("settings", "py", {"data": {"mode": "online"}})
        t.join(15)
        out["watch"] = seen

        core.patch_namespaced_config_map("settings", "py", [{"op": "replace", "path": "/data/level", "value": "2"}])
        cm = core.read_namespaced_config_map("settings", "py")
        out["data"] = cm.data
        out["listed"] = [c.metadata.name for c in core.list_namespaced_config_map("py").items]

        try:
            core.create_namespaced_config_map("py", client.V1ConfigMap(api_version="v1", kind="ConfigMap", metadata=client.V1ObjectMeta(name="settings")))
        except ApiException as e:
            out["duplicate"] = [e.status, json.loads(e.body)["reason"]]
        try:
            core.read_namespaced_config_map("missing", "py")
        except ApiException as e:
            out["missing"] = [e.status, json.loads(e.body)["reason"]]

        dyn = dynamic.DynamicClient(api)
        deployments = dyn.resources.get(api_version="apps/v1", kind="Deployment")
        body = {
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "scorer", "namespace": "py"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "scorer"}},
                     "template": {"metadata": {"labels": {"app": "scorer"}},
                                  "spec": {"containers": [{"name": "server", "image": "reg.example/scorer:1", "ports": [{"containerPort": 8080}]}]}}},
        }
        applied = deployments.server_side_apply(body=body, name="scorer", namespace="py", field_manager="python")
        out["applied"] = [applied.spec.replicas, [m.manager for m in applied.metadata.managedFields]]
        body["spec"]["replicas"] = 3
        again = deployments.server_side_apply(body=body, name="scorer", namespace="py", field_manager="python")
        out["reapplied"] = [again.spec.replicas, again.metadata.generation]
        merged = deployments.patch(name="scorer", namespace="py", body={"metadata": {"labels": {"team": "ml"}}}, content_type="application/merge-patch+json")
        out["labels"] = merged.to_dict()["metadata"]["labels"]
        print(json.dumps(out))
        """#

    @Test func theOfficialPythonClientWorksAgainstTheEmulator() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.python), "no \(Self.python): run scripts/setup")
        let fx = try await EmulatorFixture {
            $0.tls = true
            $0.token = UUID().uuidString
        }
        let dir = TemporaryDirectory(prefix: "sluice-python")
        let kubeconfig = try fx.kubeconfigFile()
        let script = try dir.write("client.py", Self.script)
        let r = try await run(Self.python, [script, kubeconfig], environment: ["HOME": dir.path, "TMPDIR": dir.path], timeout: 120)
        #expect(r.status == 0 && !r.stderr.contains("Traceback"), "\(r.stdout)\(r.stderr)")
        let out = try JSON.parse(r.stdout.split(separator: "\n").last.map(String.init) ?? "")
        #expect(out["watch"] == [["ADDED", "settings", "batch"], ["MODIFIED", "settings", "online"]], "\(out["watch"] ?? .null)")
        #expect(out["data"] == ["mode": "online", "level": "2"])
        #expect(out["listed"] == ["settings"])
        #expect(out["duplicate"] == [409, "AlreadyExists"])
        #expect(out["missing"] == [404, "NotFound"])
        #expect(out["applied"] == [2, ["python"]])
        #expect(out["reapplied"] == [3, 2])
        #expect(out["labels"] == ["team": "ml"])

        // And the emulator holds what the client says it wrote.
        let client = try fx.client()
        let live = try await client.getIfExists(ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "py", name: "scorer"))
        #expect(live?[path: ["spec", "replicas"]] == 3)
        #expect(live?[path: ["metadata", "managedFields"]]?.arrayValue?.compactMap { $0["manager"]?.stringValue }.contains("python") == true)
        client.shutdown()
        await fx.stop()
    }
}
