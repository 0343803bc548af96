import Foundation
import KubeEmulator
import TestSupport
import Testing
import YAML

/// Everyday kubectl against the emulator, each command checked against the output a real
/// 1.33 cluster gives for it (the expected lines are kubectl's own formats: `<kind>/<name>
/// created`, `... patched (no change)`, the printer columns of `get`, `describe`'s sections).
extension KubectlCompatibilityTests {
    /// kubectl's typed `create` commands, `run` and `expose` send protobuf bodies.
    @Test func createRunAndExposeSendProtobufAndAreAnsweredInJSON() async throws {
        let (fx, kubectl, dir) = try await setUp()
        let key = dir.file("tls.key")
        let cert = dir.file("tls.crt")
        let openssl = try await run(
            "openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=compat"])
        #expect(openssl.status == 0, "\(openssl.stderr)")
        let commands: [([String], String)] = [
            (["create", "namespace", "bar"], "namespace/bar created"),
            (["create", "configmap", "cfg", "--from-literal=a=1", "-n", "bar"], "configmap/cfg created"),
            (["create", "secret", "generic", "s1", "--from-literal=p=x", "-n", "bar"], "secret/s1 created"),
            (
                ["create", "secret", "docker-registry", "reg", "--docker-server=r.example", "--docker-username=u", "--docker-password=p", "-n", "bar"],
                "secret/reg created"
            ),
            (["create", "secret", "tls", "tls", "--cert=\(cert)", "--key=\(key)", "-n", "bar"], "secret/tls created"),
            (["create", "serviceaccount", "sa", "-n", "bar"], "serviceaccount/sa created"),
            (["create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "-n", "bar"], "deployment.apps/web created"),
            (["create", "service", "clusterip", "svc", "--tcp=80:8080", "-n", "bar"], "service/svc created"),
            (["create", "job", "j", "--image=busybox", "-n", "bar"], "job.batch/j created"),
            (["create", "cronjob", "cj", "--image=busybox", "--schedule=*/5 * * * *", "-n", "bar"], "cronjob.batch/cj created"),
            (["create", "role", "r", "--verb=get", "--resource=pods", "-n", "bar"], "role.rbac.authorization.k8s.io/r created"),
            (["create", "rolebinding", "rb", "--role=r", "--serviceaccount=bar:sa", "-n", "bar"], "rolebinding.rbac.authorization.k8s.io/rb created"),
            (["create", "clusterrole", "compat-cr", "--verb=list", "--resource=nodes"], "clusterrole.rbac.authorization.k8s.io/compat-cr created"),
            (
                ["create", "clusterrolebinding", "compat-crb", "--clusterrole=compat-cr", "--user=alice"],
                "clusterrolebinding.rbac.authorization.k8s.io/compat-crb created"
            ),
            (["create", "priorityclass", "compat-pc", "--value=100"], "priorityclass.scheduling.k8s.io/compat-pc created"),
            (["create", "quota", "q", "--hard=pods=10", "-n", "bar"], "resourcequota/q created"),
            (["run", "p", "--image=nginx", "-n", "bar"], "pod/p created"),
            (["expose", "deployment", "web", "--port=80", "-n", "bar"], "service/web exposed"),
        ]
        for (args, expected) in commands {
            let r = try await kubectl.run(args)
            #expect(r.status == 0 && r.stdout == expected + "\n", "kubectl \(args.joined(separator: " ")): \(r.stdout)\(r.stderr)")
        }
        // What was sent arrived whole: the protobuf fields became the JSON a real server stores.
        let got = try await kubectl("get", "secret", "tls", "-n", "bar", "-o", "json")
        try #require(got.status == 0 && !got.stdout.isEmpty, "kubectl get secret tls: status \(got.status): \(got.stderr)")
        let secret = try JSON.parse(got.stdout)
        #expect(secret["type"] == "kubernetes.io/tls" && secret[path: ["data", "tls.crt"]] != nil)
        let exposed = try JSON.parse(try await kubectl("get", "svc", "web", "-n", "bar", "-o", "json").stdout)
        #expect(exposed[path: ["spec", "selector", "app"]] == "web" && exposed[path: ["spec", "ports"]]?.arrayValue?.first?["protocol"] == "TCP")
        let cronJob = try await kubectl("get", "cronjob", "cj", "-n", "bar", "-o", "jsonpath={.spec.schedule}")
        #expect(cronJob.stdout == "*/5 * * * *")
        // No scheduler or kubelet: a pod stays Pending, as an unschedulable one does on a real cluster.
        let pods = try await kubectl("get", "pods", "-n", "bar")
        #expect(pods.stdout.hasPrefix("NAME   READY   STATUS    RESTARTS   AGE\np      0/1     Pending   0          "), "\(pods.stdout)")
        let logs = try await kubectl("logs", "p", "-n", "bar")
        #expect(logs.status == 1 && logs.stderr.contains("runs no kubelet"), "\(logs.stderr)")
        await fx.stop()
    }

    @Test func getWideDescribeExplainAndApiResources() async throws {
        let (fx, kubectl, dir) = try await setUp()
        try await kubectl("apply", "--server-side", "-f", dir.file("ns.yaml"))
        try await kubectl("apply", "--server-side", "-f", dir.file("app"))
        try await kubectl("wait", "--for=condition=Available", "deployment/scorer", "-n", "compat", "--timeout=30s")
        let wide = try await kubectl("get", "deploy", "scorer", "-n", "compat", "-o", "wide")
        let header = wide.stdout.split(separator: "\n").first.map { $0.split(separator: " ").joined(separator: " ") }
        #expect(header == "NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR", "\(wide.stdout)")
        #expect(wide.stdout.split(separator: " ").joined(separator: " ").contains(" server registry.example.com/ml/scorer:1.0.0 app=scorer"), "\(wide.stdout)")
        let svc = try await kubectl("get", "svc", "scorer", "-n", "compat")
        #expect(svc.stdout.hasPrefix("NAME     TYPE        CLUSTER-IP"), "\(svc.stdout)")
        #expect(svc.stdout.contains("80/TCP"))

        let describe = try await kubectl("describe", "deployment", "scorer", "-n", "compat")
        for line in [
            "Name:                   scorer", "Namespace:              compat",
            "Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable", "StrategyType:           RollingUpdate", "Pod Template:",
            "    Image:         registry.example.com/ml/scorer:1.0.0", "Conditions:",
        ] {
            #expect(describe.stdout.contains(line), "\(line) missing from\n\(describe.stdout)")
        }
        let cm = try await kubectl("describe", "configmap", "model-config", "-n", "compat")
        // kubectl prints the keys in Go map order, which varies from run to run.
        #expect(
            cm.stdout.contains("Data\n====\n") && cm.stdout.contains("MODE:\n----\nbatch\n") && cm.stdout.contains("THRESHOLD:\n----\n0.7\n"), "\(cm.stdout)")

        let explain = try await kubectl("explain", "deployment.spec.replicas")
        #expect(
            explain.status == 0 && explain.stdout.contains("KIND:       Deployment") && explain.stdout.contains("FIELD: replicas <integer>"),
            "\(explain.stdout)\(explain.stderr)")
        let containers = try await kubectl("explain", "pods.spec.containers")
        #expect(containers.stdout.contains("FIELD: containers <[]Container>") && containers.stdout.contains("env\t<[]EnvVar>"), "\(containers.stdout)")

        let resources = try await kubectl("api-resources")
        let rows = Set(resources.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") })
        for row in [
            "daemonsets ds apps/v1 true DaemonSet", "namespaces ns v1 false Namespace",
            "horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler", "cronjobs cj batch/v1 true CronJob",
            "networkpolicies netpol networking.k8s.io/v1 true NetworkPolicy",
        ] {
            #expect(rows.contains(row), "\(row) missing from api-resources")
        }
        let scalable = try await kubectl("api-resources", "--verbs=deletecollection", "-o", "name")
        #expect(!scalable.stdout.split(separator: "\n").contains("namespaces"), "namespaces cannot be deleted as a collection")
        #expect(try await kubectl("auth", "can-i", "create", "deployments", "-n", "compat").stdout == "yes\n")
        await fx.stop()
    }

    @Test func rolloutScaleLabelAnnotatePatchAndEdit() async throws {
        let (fx, kubectl, dir) = try await setUp()
        try await kubectl("apply", "--server-side", "-f", dir.file("ns.yaml"))
        try await kubectl("apply", "--server-side", "-f", dir.file("app"))
        let d = ["-n", "compat"]
        let steps: [([String], String)] = [
            (["rollout", "status", "deployment", "scorer", "--timeout=30s"] + d, "deployment \"scorer\" successfully rolled out"),
            (["wait", "--for=condition=Available", "deployment/scorer", "--timeout=30s"] + d, "deployment.apps/scorer condition met"),
            (["scale", "deployment", "scorer", "--replicas=3"] + d, "deployment.apps/scorer scaled"),
            (["label", "deployment", "scorer", "tier=ml"] + d, "deployment.apps/scorer labeled"),
            (["annotate", "deployment", "scorer", "owner=ml-platform"] + d, "deployment.apps/scorer annotated"),
            (["patch", "deployment", "scorer", "-p", #"{"spec":{"replicas":4}}"#] + d, "deployment.apps/scorer patched"),
            (["patch", "deployment", "scorer", "--type=merge", "-p", #"{"metadata":{"labels":{"stage":"canary"}}}"#] + d, "deployment.apps/scorer patched"),
            (
                ["patch", "deployment", "scorer", "--type=json", "-p", #"[{"op":"replace","path":"/spec/replicas","value":2}]"#] + d,
                "deployment.apps/scorer patched"
            ),
            (
                ["patch", "deployment", "scorer", "--type=json", "-p", #"[{"op":"replace","path":"/spec/replicas","value":2}]"#] + d,
                "deployment.apps/scorer patched (no change)"
            ),
        ]
        for (args, expected) in steps {
            let r = try await kubectl.run(args)
            #expect(r.status == 0 && r.stdout == expected + "\n", "kubectl \(args.joined(separator: " ")): \(r.stdout)\(r.stderr)")
        }
        // A strategic merge patch merges the containers list by name, as a real server does.
        let smp = try await kubectl(
            "patch", "deployment", "scorer", "-n", "compat", "-p",
            #"{"spec":{"template":{"spec":{"containers":[{"name":"server","env":[{"name":"MODE","value":"online"}]}]}}}}"#)
        #expect(smp.status == 0, "\(smp.stderr)")
        let live = try JSON.parse(try await kubectl("get", "deployment", "scorer", "-n", "compat", "-o", "json").stdout)
        let container = live[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first
        #expect(
            container?["image"] == "registry.example.com/ml/scorer:1.0.0" && container?["env"]?.arrayValue?.first?["value"] == "online",
            "\(String(describing: container))")
        #expect(live[path: ["metadata", "labels", "tier"]] == "ml" && live[path: ["metadata", "annotations", "owner"]] == "ml-platform")

        // `kubectl edit` with a scripted editor, as in CI.
        let editor = try dir.write("editor.sh", "#!/bin/sh\nsed -i 's/replicas: 2$/replicas: 5/' \"$1\"\n")
        _ = try await run("chmod", ["+x", editor])
        let edit = try await run(
            "kubectl", ["--kubeconfig", kubectl.kubeconfig, "edit", "deployment", "scorer", "-n", "compat"],
            environment: ["HOME": kubectl.home, "KUBECACHEDIR": "\(kubectl.home)/cache", "KUBE_EDITOR": editor], timeout: 60)
        #expect(edit.status == 0 && edit.stdout == "deployment.apps/scorer edited\n", "\(edit.stdout)\(edit.stderr)")
        #expect(try await kubectl("get", "deployment", "scorer", "-n", "compat", "-o", "jsonpath={.spec.replicas}").stdout == "5")
        await fx.stop()
    }

    /// Events as controllers write them, listed and shown by `describe` (which selects them by
    /// the object's uid), and the garbage collector behind `delete --cascade`.
    @Test func eventsAndDeleteCascade() async throws {
        let (fx, kubectl, dir) = try await setUp()
        try await kubectl("apply", "--server-side", "-f", dir.file("ns.yaml"))
        try await kubectl("apply", "--server-side", "-f", dir.file("app"))
        let uid = try await kubectl("get", "deployment", "scorer", "-n", "compat", "-o", "jsonpath={.metadata.uid}").stdout
        try dir.write(
            "event.yaml",
            """
            apiVersion: v1
            kind: Event
            metadata: {name: scorer.1, namespace: compat}
            involvedObject: {apiVersion: apps/v1, kind: Deployment, name: scorer, namespace: compat, uid: \(uid)}
            reason: ScalingReplicaSet
            message: Scaled up replica set scorer-1 from 0 to 2
            type: Normal
            count: 1
            source: {component: deployment-controller}
            firstTimestamp: "\(Date().formatted(.iso8601))"
            lastTimestamp: "\(Date().formatted(.iso8601))"
            """)
        try await kubectl("create", "-f", dir.file("event.yaml"))
        let events = try await kubectl("get", "events", "-n", "compat")
        let eventRows = events.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(eventRows.first == "LAST SEEN TYPE REASON OBJECT MESSAGE", "\(events.stdout)")
        #expect(
            eventRows.dropFirst().first?.hasSuffix("Normal ScalingReplicaSet deployment/scorer Scaled up replica set scorer-1 from 0 to 2") == true,
            "\(events.stdout)")
        let selected = try await kubectl(
            "get", "events", "-n", "compat", "--field-selector", "involvedObject.kind=Deployment,reason=ScalingReplicaSet", "-o", "name")
        #expect(selected.stdout == "event/scorer.1\n", "\(selected.stdout)\(selected.stderr)")
        let describe = try await kubectl("describe", "deployment", "scorer", "-n", "compat")
        #expect(describe.stdout.contains("Normal  ScalingReplicaSet"), "\(describe.stdout)")

        // Dependents: a ConfigMap owned by the Deployment, one per deletion mode.
        func dependent(_ name: String, owner: String) async throws {
            let ownerUID = try await kubectl("get", "deployment", owner, "-n", "compat", "-o", "jsonpath={.metadata.uid}").stdout
            try dir.write(
                "\(name).yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\n  namespace: compat\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: \(owner), uid: \(ownerUID), blockOwnerDeletion: true}]\n"
            )
            try await kubectl("create", "-f", dir.file("\(name).yaml"))
        }
        try await dependent("kept", owner: "scorer")
        let orphan = try await kubectl("delete", "deployment", "scorer", "-n", "compat", "--cascade=orphan")
        #expect(orphan.stdout == "deployment.apps \"scorer\" deleted\n", "\(orphan.stdout)\(orphan.stderr)")
        let kept = try JSON.parse(try await kubectl("get", "configmap", "kept", "-n", "compat", "-o", "json").stdout)
        #expect(kept[path: ["metadata", "ownerReferences"]] == nil, "an orphaned dependent loses its owner reference")

        try await kubectl("apply", "--server-side", "-f", dir.file("app"))
        try await dependent("owned", owner: "scorer")
        let foreground = try await kubectl("delete", "deployment", "scorer", "-n", "compat", "--cascade=foreground")
        #expect(foreground.stdout == "deployment.apps \"scorer\" deleted\n", "\(foreground.stdout)\(foreground.stderr)")
        let owner = try await kubectl("get", "deployment", "scorer", "-n", "compat")
        #expect(owner.stderr.contains(#"deployments.apps "scorer" not found"#), "\(owner.stdout)\(owner.stderr)")
        let owned = try await kubectl("get", "configmap", "owned", "-n", "compat")
        #expect(owned.stderr.contains(#"configmaps "owned" not found"#), "foreground deletion removes dependents first: \(owned.stdout)")
        await fx.stop()
    }
}
