import Foundation
import Kube
import ManifestCorpus
import Manifests
import TestSupport
import Testing
import YAML

/// A repository shaped like the large public manifest sets (three stacks, ten CRDs of up to
/// ~800 KB with deep schemas, webhooks, an APIService, DaemonSets, StatefulSets, RBAC and
/// network policies): it syncs to the emulator in one pass, and afterwards neither `sluice
/// diff` nor `kubectl diff --server-side` under another field manager finds anything.
@Suite(.offThePool, .tags(.endToEnd)) struct CorpusTests {
    @Test func aLargeRealWorldRepositorySyncsAndThenDiffsClean() async throws {
        let h = try await SyncHarness()
        let corpus = Corpus()
        var objects = 0
        for (path, text) in corpus.files() {
            try h.write(path, text)
            objects += text.components(separatedBy: "\n---\n").count
        }
        try h.commit("the corpus")
        #expect(objects >= 120)

        let sync = try await h.sluice("sync", ["--once"])
        #expect(sync.status == 0, "\(sync.stderr)")
        let kinds = try await h.client.listAll(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", namespace: nil).items
        #expect(kinds.filter { $0[path: ["metadata", "name"]]?.stringValue?.hasSuffix(".corpus.example") == true }.count == 10)
        for (apiVersion, kind, namespace, name) in [
            ("apiregistration.k8s.io/v1", "APIService", nil, "v1beta1.metrics.monitoring.corpus.example"),
            ("apps/v1", "DaemonSet", "corpus-netagent", "netagent-node-agent"),
            ("apps/v1", "StatefulSet", "corpus-monitoring", "monitoring-store"),
            ("networking.k8s.io/v1", "NetworkPolicy", "corpus-certs", "certs-operator"),
            ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", nil, "certs-validate"),
            ("monitoring.corpus.example/v1", "MonitoringMonitor", "corpus-monitoring", "monitoringmonitor-2"),
        ] as [(String, String, String?, String)] {
            let live = try await h.client.getIfExists(ObjectReference(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name))
            #expect(live != nil, "\(kind) \(name) was not applied")
        }

        // A second sync changes nothing: no custom resource's map-list gains an entry whose key
        // field the schema defaults (`protocol: TCP`).
        let again = try await h.sluice("sync", ["--once"])
        #expect(again.status == 0, "\(again.stderr)")
        let monitor = try await h.client.getIfExists(
            ObjectReference(apiVersion: "monitoring.corpus.example/v1", kind: "MonitoringMonitor", namespace: "corpus-monitoring", name: "monitoringmonitor-0"))
        #expect(monitor?[path: ["spec", "endpoints"]]?.arrayValue?.count == 2)

        let diff = try await h.sluice("diff")
        #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
        #expect(diff.stdout.contains("0 to create, 0 to update, 0 to prune, \(objects) unchanged"), "\(diff.stdout)")

        // kubectl, as another field manager. --force-conflicts because a real server reports a
        // conflict on atomic lists whose items the server defaults (a webhook's rules[].scope,
        // a StatefulSet's volumeClaimTemplates) when a second manager applies them without the
        // defaulted fields; the diff must still be empty.
        let dir = h.dir.file("corpus")
        try corpus.write(to: dir)
        let home = h.dir.file("kubectl-home")
        let kubectl = try await run(
            "kubectl", ["--kubeconfig", h.kubeconfig, "diff", "--server-side", "--force-conflicts", "--field-manager=other", "-R", "-f", dir],
            environment: ["HOME": home, "KUBECACHEDIR": "\(home)/cache"], timeout: 300)
        #expect(kubectl.status == 0, "kubectl diff found differences:\n\(kubectl.stdout)\(kubectl.stderr)")
        #expect(kubectl.stdout.isEmpty, "\(kubectl.stdout)")
        await h.stop()
    }
}
