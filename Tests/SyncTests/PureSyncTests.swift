import Endpoints
import Manifests
import Sync
import Testing
import YAML

@Suite struct UnifiedDiffTests {
    @Test func equalTextsHaveNoHunks() {
        #expect(UnifiedDiff.hunks(["a", "b"], ["a", "b"]) == "")
        #expect(UnifiedDiff.hunks([], []) == "")
    }

    @Test func singleChangeWithContext() {
        let a = (1...10).map { "line \($0)" }
        var b = a
        b[4] = "changed"
        #expect(
            UnifiedDiff.hunks(a, b) == """
                @@ -2,7 +2,7 @@
                 line 2
                 line 3
                 line 4
                -line 5
                +changed
                 line 6
                 line 7
                 line 8

                """)
    }

    @Test func farApartChangesMakeTwoHunksAndCloseOnesOne() {
        let a = (1...30).map(String.init)
        var b = a
        b[2] = "x"
        b[25] = "y"
        #expect(UnifiedDiff.hunks(a, b).components(separatedBy: "@@ -").count - 1 == 2)
        var c = a
        c[2] = "x"
        c[8] = "y"
        #expect(UnifiedDiff.hunks(a, c).components(separatedBy: "@@ -").count - 1 == 1)
    }

    @Test func creationAndDeletion() {
        #expect(UnifiedDiff.hunks([], ["a", "b"]) == "@@ -0,0 +1,2 @@\n+a\n+b\n")
        #expect(UnifiedDiff.hunks(["a"], []) == "@@ -1,1 +0,0 @@\n-a\n")
    }

    @Test func editsReproduceTheTarget() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let a = (0..<Int.random(in: 0...20, using: &rng)).map { _ in String("abcde".randomElement(using: &rng)!) }
            let b = (0..<Int.random(in: 0...20, using: &rng)).map { _ in String("abcde".randomElement(using: &rng)!) }
            let edits = UnifiedDiff.edits(a, b)
            var fromA: [String] = []
            var toB: [String] = []
            for e in edits {
                switch e {
                case .same(let s):
                    fromA.append(s)
                    toB.append(s)
                case .removed(let s): fromA.append(s)
                case .added(let s): toB.append(s)
                }
            }
            #expect(fromA == a && toB == b)
        }
    }
}

@Suite struct NormalizeTests {
    @Test func serverOwnedFieldsAreDropped() {
        let live: Value = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": [
                "name": "a", "uid": "u", "resourceVersion": "9", "generation": 2, "creationTimestamp": "t", "managedFields": [[:]],
                "annotations": ["kubectl.kubernetes.io/last-applied-configuration": "{}"],
            ],
            "data": ["k": "v"], "status": ["x": 1],
        ]
        #expect(Normalize.forDiff(live) == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a"], "data": ["k": "v"]])
    }

    @Test func secretsAreMaskedKeepingWhichKeysChanged() {
        let live: Value = ["apiVersion": "v1", "kind": "Secret", "data": ["same": "c2FtZQ==", "changed": "b2xk", "gone": "eA=="]]
        let desired: Value = ["apiVersion": "v1", "kind": "Secret", "data": ["same": "c2FtZQ==", "changed": "bmV3", "added": "eQ=="]]
        let (l, d) = Normalize.redactSecrets(live: live, desired: desired)
        #expect(l?["data"] == ["same": "***", "changed": "*** (before)", "gone": "***"])
        #expect(d?["data"] == ["same": "***", "changed": "*** (after)", "added": "***"])
        let configMap: Value = ["apiVersion": "v1", "kind": "ConfigMap", "data": ["k": "visible"]]
        #expect(Normalize.redactSecrets(live: configMap, desired: configMap).0 == configMap)
    }
}

@Suite struct OrderingAndHealthTests {
    func ref(_ kind: String, _ name: String = "x", apiVersion: String = "v1") -> ObjectReference {
        ObjectReference(apiVersion: apiVersion, kind: kind, namespace: nil, name: name)
    }

    @Test func dependenciesComeFirst() {
        let waves = Ordering.waves([
            ref("Deployment", apiVersion: "apps/v1"), ref("Widget", apiVersion: "example.com/v1"), ref("ConfigMap"), ref("Namespace"),
            ref("CustomResourceDefinition", apiVersion: "apiextensions.k8s.io/v1"), ref("ServiceAccount"), ref("Service"),
        ])
        #expect(
            waves.map { $0.map(\.kind) } == [
                ["Namespace"], ["CustomResourceDefinition"], ["ServiceAccount"], ["ConfigMap"], ["Service"], ["Deployment"], ["Widget"],
            ])
    }

    func deployment(generation: Int64, observed: Int64, replicas: Int64, updated: Int64, available: Int64, progressing: String = "NewReplicaSetAvailable")
        -> Value
    {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["generation": .int(generation)], "spec": ["replicas": .int(replicas)],
            "status": [
                "observedGeneration": .int(observed), "updatedReplicas": .int(updated), "availableReplicas": .int(available),
                "conditions": [
                    ["type": "Progressing", "status": progressing == "ProgressDeadlineExceeded" ? "False" : "True", "reason": .string(progressing)]
                ],
            ],
        ]
    }

    @Test(arguments: [
        (Int64(2), Int64(2), Int64(3), Int64(3), Int64(3), "NewReplicaSetAvailable", Health.healthy),
        (2, 1, 3, 3, 3, "NewReplicaSetAvailable", .progressing),
        (2, 2, 3, 2, 2, "ReplicaSetUpdated", .progressing),
        (2, 2, 3, 3, 1, "ReplicaSetUpdated", .progressing),
        (2, 2, 3, 3, 0, "ProgressDeadlineExceeded", .degraded),
        (1, 1, 0, 0, 0, "NewReplicaSetAvailable", .healthy),
    ])
    func deploymentHealth(generation: Int64, observed: Int64, replicas: Int64, updated: Int64, available: Int64, progressing: String, expected: Health) {
        var d = deployment(generation: generation, observed: observed, replicas: replicas, updated: updated, available: available, progressing: progressing)
        #expect(Health.of(d).0 == expected)
        // The rollout controller's caches keep no apiVersion or kind: the same rule applies.
        d["apiVersion"] = nil
        d["kind"] = nil
        #expect(Health.ofWorkload(d).0 == expected)
    }

    @Test func otherKindsAreHealthyWhenPresent() {
        #expect(Health.of(nil).0 == .missing)
        #expect(Health.of(["apiVersion": "v1", "kind": "ConfigMap"]).0 == .healthy)
        let crd: Value = [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "status": ["conditions": [["type": "Established", "status": "False"]]],
        ]
        #expect(Health.of(crd).0 == .progressing)
    }

    @Test func ownershipMarks() {
        let marked = Ownership.mark(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a", "labels": ["x": "y"]]], source: "prod")
        #expect(marked[path: ["metadata", "labels"]] == ["x": "y", "app.kubernetes.io/managed-by": "sluice"])
        #expect(Ownership.isOwned(marked, by: "prod"))
        #expect(!Ownership.isOwned(marked, by: "staging"))
        #expect(Inventory.configMapName("Prod_ML") == "sluice-inventory-prod-ml")
    }
}

@Suite struct WebhookTests {
    let verifier = WebhookVerifier(secret: "It's a Secret to Everybody")

    @Test func githubSignatureFromGitHubsDocumentation() {
        // The example GitHub publishes for validating webhook deliveries.
        let body = Array("Hello, World!".utf8)
        let expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        #expect(verifier.githubSignature(body) == expected)
        #expect(verifier.verify(headers: ["x-hub-signature-256": expected], body: body) == .github)
        #expect(verifier.verify(headers: ["x-hub-signature-256": expected], body: Array("Hello, World?".utf8)) != .github)
        #expect(verifier.verify(headers: ["x-hub-signature-256": "sha256=zz"], body: body) != .github)
        #expect(verifier.verify(headers: ["x-hub-signature-256": "sha1=abc"], body: body) != .github)
    }

    @Test func gitlabToken() {
        #expect(verifier.verify(headers: ["x-gitlab-token": "It's a Secret to Everybody"], body: []) == .gitlab)
        #expect(verifier.verify(headers: ["x-gitlab-token": "wrong"], body: []) != .gitlab)
        #expect(verifier.verify(headers: [:], body: []) != .github)
    }
}
