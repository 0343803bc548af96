import Foundation
import TestSupport
import Testing
import YAML

/// The chart rendered by the real Helm (`helm template`, `helm lint`), checked against
/// `manifests/` (which is its default rendering) and against its values schema, which Helm
/// enforces.
@Suite(.offThePool) struct ChartRenderingTests {
    static let root = SluiceBinary.repositoryRoot
    let chart = HelmChart(directory: "\(Self.root)/charts/sluice")

    static let header = """
        # Sluice: everything for a cluster-wide install in namespace sluice-system.
        #   kubectl apply --server-side -f manifests/install.yaml
        # Generated from charts/sluice with its default values (release "sluice"); do not edit by
        # hand: change the chart and run SLUICE_UPDATE_GOLDEN=1 swift test --filter ChartRenderingTests.

        """

    func defaultDocuments() throws -> [HelmChart.Document] {
        try chart.render(values: try chart.values(), releaseName: "sluice", namespace: "sluice-system")
    }

    /// install.yaml and one file per template, as they should be on disk.
    func expectedManifests() throws -> [String: String] {
        let docs = try defaultDocuments()
        var files: [String: String] = ["install.yaml": Self.header + HelmChart.stream(docs)]
        var byPiece: OrderedPieces = [:]
        for d in docs {
            let base = URL(fileURLWithPath: d.source).deletingPathExtension().lastPathComponent
            // The CRDs are checked in as the chart has them (the test below): crd-<kind>.yaml.
            let piece = d.source.contains("/crds/") ? "crd-\(base.dropLast()).yaml" : "\(base).yaml"
            byPiece[piece, default: []].append(d)
        }
        for (piece, docs) in byPiece where !piece.hasPrefix("crd-") {
            files[piece] = "# Part of manifests/install.yaml (generated from charts/sluice; do not edit).\n" + HelmChart.stream(docs)
        }
        return files
    }

    typealias OrderedPieces = [String: [HelmChart.Document]]

    @Test func theDefaultRenderingIsManifestsInstallYaml() throws {
        let expected = try expectedManifests()
        if ProcessInfo.processInfo.environment["SLUICE_UPDATE_GOLDEN"] != nil {
            for (name, text) in expected { try text.write(toFile: "\(Self.root)/manifests/\(name)", atomically: true, encoding: .utf8) }
        }
        for (name, text) in expected.sorted(by: { $0.key < $1.key }) {
            let onDisk = try? String(contentsOfFile: "\(Self.root)/manifests/\(name)", encoding: .utf8)
            #expect(
                onDisk == text,
                "manifests/\(name) differs from the chart's default rendering; run SLUICE_UPDATE_GOLDEN=1 swift test --filter ChartRenderingTests")
        }
    }

    @Test func helmLintsTheChartWithTheDefaultAndTheHAValues() throws {
        let plain = try chart.lint()
        #expect(plain.status == 0 && plain.stdoutText.contains("1 chart(s) linted, 0 chart(s) failed"), "\(plain.stdoutText)\(plain.stderrText)")
        let ha = try chart.lint(["\(Self.root)/charts/sluice/values-ha.yaml"])
        #expect(ha.status == 0, "\(ha.stdoutText)\(ha.stderrText)")
    }

    @Test(arguments: ["modeldeployment", "modelpipeline"]) func theChartCarriesTheSameCRDAsTheManifests(kind: String) throws {
        let a = try String(contentsOfFile: "\(Self.root)/charts/sluice/crds/\(kind)s.yaml", encoding: .utf8)
        let b = try String(contentsOfFile: "\(Self.root)/manifests/crd-\(kind).yaml", encoding: .utf8)
        #expect(a == b)
    }

    func objects(_ docs: [HelmChart.Document]) throws -> [Value] {
        try docs.map { try YAML.parse($0.text, file: $0.source) }
    }

    func find(_ objects: [Value], _ kind: String, _ name: String? = nil) -> Value? {
        objects.first { $0["kind"]?.stringValue == kind && (name == nil || $0[path: ["metadata", "name"]]?.stringValue == name) }
    }

    /// The security values: what the controller may impersonate, which registries it may read,
    /// the commit-signing key's Secret.
    @Test func securityValuesReachTheRBACAndTheConfiguration() throws {
        var values = try chart.values()
        values.set(["deployer", "ml-sync"], at: ["rbac", "sourceServiceAccounts"])
        values.set(["https://mlflow.example", "http://mlflow.ml:5000"], at: ["registries", "allowedURLs"])
        values.set("sluice-commit-signing", at: ["commitSigning", "secretName"])
        let objs = try objects(try chart.render(values: values, releaseName: "sluice", namespace: "sluice-system"))
        let rules = objs.filter { $0["kind"] == "ClusterRole" }.flatMap { $0["rules"]?.arrayValue ?? [] }
        let impersonate = rules.filter { ($0["verbs"]?.arrayValue ?? []).contains("impersonate") }
        #expect(impersonate.count == 1 && impersonate[0]["resources"] == ["serviceaccounts"] && impersonate[0]["resourceNames"] == ["deployer", "ml-sync"])
        let config = try YAML.parse(find(objs, "ConfigMap")?[path: ["data", "config.yaml"]]?.stringValue ?? "")
        #expect(config["allowedRegistryUrl"] == "https://mlflow.example,http://mlflow.ml:5000")
        #expect(config["commitSigningKey"] == "/etc/sluice/signing/key")
        let volumes = find(objs, "Deployment")?[path: ["spec", "template", "spec", "volumes"]]?.arrayValue ?? []
        #expect(volumes.contains { $0[path: ["secret", "secretName"]] == "sluice-commit-signing" })
        let defaults = try objects(try defaultDocuments())
        #expect(
            !defaults.filter { $0["kind"] == "ClusterRole" }.flatMap { $0["rules"]?.arrayValue ?? [] }.contains {
                ($0["verbs"]?.arrayValue ?? []).contains("impersonate")
            })
    }

    @Test func theDeploymentIsLockedDownAndProbed() throws {
        let objs = try objects(try defaultDocuments())
        let deploy = try #require(find(objs, "Deployment"))
        let pod = try #require(deploy[path: ["spec", "template", "spec"]])
        #expect(pod[path: ["securityContext", "runAsNonRoot"]] == true)
        let c = try #require(pod["containers"]?.arrayValue?.first)
        #expect(c[path: ["securityContext", "readOnlyRootFilesystem"]] == true)
        #expect(c[path: ["securityContext", "allowPrivilegeEscalation"]] == false)
        #expect(c[path: ["securityContext", "capabilities", "drop"]] == ["ALL"])
        #expect(c[path: ["livenessProbe", "httpGet", "path"]] == "/healthz")
        #expect(c[path: ["readinessProbe", "httpGet", "path"]] == "/readyz")
        #expect(c[path: ["resources", "limits", "memory"]] != nil && c[path: ["resources", "requests", "cpu"]] != nil)
        let mounts = c["volumeMounts"]?.arrayValue?.compactMap { $0["mountPath"]?.stringValue } ?? []
        #expect(mounts.contains("/var/cache/sluice") && mounts.contains("/tmp"))
        let cache = pod["volumes"]?.arrayValue?.first { $0["name"] == "cache" }
        #expect(cache?["emptyDir"] != nil, "the git cache is an emptyDir")
        // The config the pod reads is valid for `sluice run`.
        let config = try #require(find(objs, "ConfigMap", "sluice-config")?[path: ["data", "config.yaml"]]?.stringValue)
        let parsed = try YAML.parse(config)
        #expect(parsed["sources"]?.arrayValue?.count == 1)
        #expect(parsed["inventoryNamespace"] == "sluice-system")
        // Changing the configuration changes the pod template (and so rolls the pods).
        let annotation = deploy[path: ["spec", "template", "metadata", "annotations", "checksum/config"]]?.stringValue
        var other = try chart.values()
        other.set("debug", at: ["logLevel"])
        let changed = try objects(try chart.render(values: other, releaseName: "sluice", namespace: "sluice-system"))
        #expect(find(changed, "Deployment")?[path: ["spec", "template", "metadata", "annotations", "checksum/config"]]?.stringValue != annotation)
        #expect(annotation?.count == 64)
    }

    @Test func theHAValuesAddReplicasAPodDisruptionBudgetAndMonitoring() throws {
        let docs = try chart.render(values: try chart.values(["\(Self.root)/charts/sluice/values-ha.yaml"]), releaseName: "sluice", namespace: "sluice-system")
        let objs = try objects(docs)
        #expect(find(objs, "Deployment")?[path: ["spec", "replicas"]] == 3)
        #expect(find(objs, "PodDisruptionBudget") != nil)
        #expect(find(objs, "ServiceMonitor") != nil)
        let rule = try #require(find(objs, "PrometheusRule"))
        let alerts = rule[path: ["spec", "groups"]]?.arrayValue?.first?["rules"]?.arrayValue?.compactMap { $0["alert"]?.stringValue } ?? []
        #expect(Set(alerts).isSuperset(of: ["SluiceRollbackHappened", "SluiceSyncFailing", "SluiceGitUnreachable"]))
        // Alert templates keep Prometheus' own {{ $labels }} syntax.
        #expect(docs.first { $0.kind == "PrometheusRule" }?.text.contains("{{ $labels.source }}") == true)
        let volumes = find(objs, "Deployment")?[path: ["spec", "template", "spec", "volumes"]]?.arrayValue?.compactMap {
            $0[path: ["secret", "secretName"]]?.stringValue
        }
        #expect(volumes == ["sluice-git", "sluice-webhook"])
        #expect(
            find(objs, "PodDisruptionBudget").flatMap { _ in find(try! objects(try! defaultDocuments()), "PodDisruptionBudget") } == nil, "one replica: no PDB")
    }

    @Test func namespaceScopedRBACGrantsRolesInTheListedNamespacesOnly() throws {
        var values = try chart.values()
        values.set(["team-a", "team-b"], at: ["rbac", "namespaces"])
        #expect(throws: HelmChart.HelmError.self, "watchNamespaces must be set too") {
            try chart.render(values: values, releaseName: "sluice", namespace: "sluice-system")
        }
        values.set(["team-a", "team-b"], at: ["watchNamespaces"])
        let objs = try objects(try chart.render(values: values, releaseName: "sluice", namespace: "sluice-system"))
        let roles = objs.filter { $0["kind"] == "Role" }.compactMap { $0[path: ["metadata", "namespace"]]?.stringValue }
        #expect(roles == ["sluice-system", "team-a", "team-b"])
        let clusterRoles = objs.filter { $0["kind"] == "ClusterRole" }.compactMap { $0[path: ["metadata", "name"]]?.stringValue }
        #expect(
            clusterRoles == ["sluice-read", "sluice-approver", "sluice-source-editor"],
            "cluster-wide: read-only namespaces and CRDs, and roles for approvers and for teams defining their sources")
        let bound = objs.filter { $0["kind"] == "ClusterRoleBinding" }.compactMap { $0[path: ["roleRef", "name"]]?.stringValue }
        #expect(bound == ["sluice-read"], "the chart binds approvers and source editors to nobody: the team does, per namespace")
        // Creating a TokenReview or SubjectAccessReview asks the API server a question (who holds
        // this token, may they approve) and stores nothing: the only creates cluster-wide.
        let questions: Set<String> = ["tokenreviews", "subjectaccessreviews"]
        // What the controller holds cluster-wide: the bound ClusterRoles.
        let rules = objs.filter { $0["kind"] == "ClusterRole" && bound.contains($0[path: ["metadata", "name"]]?.stringValue ?? "") }.flatMap {
            $0["rules"]?.arrayValue ?? []
        }
        let writeVerbs = rules.filter { rule in !(rule["resources"]?.arrayValue ?? []).allSatisfy { questions.contains($0.stringValue ?? "") } }
            .flatMap { $0["verbs"]?.arrayValue ?? [] }
        #expect(!writeVerbs.contains("create") && !writeVerbs.contains("delete") && !writeVerbs.contains("patch"))
        #expect(
            Set(rules.filter { ($0["verbs"]?.arrayValue ?? []).contains("create") }.flatMap { $0["resources"]?.arrayValue ?? [] }.compactMap(\.stringValue))
                == questions)
        let config = try YAML.parse(find(objs, "ConfigMap")?[path: ["data", "config.yaml"]]?.stringValue ?? "")
        #expect(config["watchNamespace"] == "team-a,team-b")
    }

    /// Helm itself refuses values that break values.schema.json, naming the field.
    @Test func valuesAreCheckedAgainstTheSchema() throws {
        func refusal(_ values: Value) -> String? {
            do {
                _ = try chart.render(values: values, releaseName: "sluice", namespace: "sluice-system")
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(try chart.values()) == nil)
        #expect(refusal(try chart.values(["\(Self.root)/charts/sluice/values-ha.yaml"])) == nil)
        var bad = try chart.values()
        bad.set("three", at: ["replicas"])
        let wrongType = refusal(bad) ?? ""
        #expect(wrongType.contains("at '/replicas': got string, want integer"), "\(wrongType)")
        var typo = try chart.values()
        typo.set("http://x", at: ["prometheusUrl"])
        #expect(refusal(typo)?.contains("additional properties 'prometheusUrl' not allowed") == true)
        var badDuration = try chart.values()
        badDuration.set("15 seconds", at: ["leaderElection", "leaseDuration"])
        #expect(refusal(badDuration)?.contains("/leaderElection/leaseDuration") == true)
    }
}
