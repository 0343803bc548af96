import Foundation
import Rollout
import Testing
import YAML

/// Rendered objects compared with files in Golden/ (regenerate with SLUICE_UPDATE_GOLDEN=1).
@Suite struct WorkloadRendererTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    func golden(_ objects: [Value], _ name: String) throws {
        let text = try YAML.emit(documents: objects)
        let path = "\(Self.dir)/\(name)"
        if ProcessInfo.processInfo.environment["SLUICE_UPDATE_GOLDEN"] != nil {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(text == (try String(contentsOfFile: path, encoding: .utf8)), "\(name) differs; SLUICE_UPDATE_GOLDEN=1 to accept:\n\(text)")
    }

    let owner = WorkloadRenderer.Owner(name: "churn", uid: "0d9e-uid")

    @Test func replicaRouterCanaryAt25Percent() throws {
        let stable = try parse("  model: {version: \"2025-11-03\", image: reg/churn:1, uri: s3://m/1}\n  replicas: 4\n")
        let canarySpec = try parse(
            """
              model: {version: "2025-11-10", image: "reg/churn:2", uri: "s3://m/2"}
              replicas: 4
              port: 9000
              template:
                env: [{name: WORKERS, value: "4"}]
                resources: {limits: {memory: 2Gi}}
                nodeSelector: {pool: gpu}
                annotations: {prometheus.io/scrape: "true"}

            """)
        let objects = WorkloadRenderer.objects(
            spec: canarySpec, topology: Topology(stable: VersionSpec(stable), canary: VersionSpec(canarySpec), canaryWeight: 25), owner: owner)
        #expect(
            objects.map { "\($0["kind"]!.stringValue!)/\($0[path: ["metadata", "name"]]!.stringValue!)" } == [
                "Deployment/churn-2025-11-03", "Deployment/churn-2025-11-10", "Service/churn",
            ])
        #expect(objects[0][path: ["spec", "replicas"]] == 3 && objects[1][path: ["spec", "replicas"]] == 1)
        try golden(objects, "replicas-canary-25.yaml")
    }

    @Test func gatewayRouterCarriesWeightsInTheHTTPRoute() throws {
        let s = try parse(
            """
              model: {version: v2, image: reg/churn:2}
              replicas: 4
              traffic:
                router: gateway-api
                httpRoute: {parentRefs: [{name: ml-gateway, namespace: gateway-system}], hostnames: [churn.example.com]}

            """)
        var stable = s
        stable.version = "v1"
        stable.image = "reg/churn:1"
        let objects = WorkloadRenderer.objects(spec: s, topology: Topology(stable: VersionSpec(stable), canary: VersionSpec(s), canaryWeight: 5), owner: owner)
        let route = try #require(objects.last)
        #expect(route["kind"] == "HTTPRoute")
        #expect(
            route[path: ["spec", "rules"]]?.arrayValue?.first?["backendRefs"] == [
                ["name": "churn-v1", "port": 80, "weight": 95], ["name": "churn-v2", "port": 80, "weight": 5],
            ])
        try golden(objects, "gateway-canary-5.yaml")
        // Only a stable version: all its weight.
        let steady = WorkloadRenderer.objects(spec: stable, topology: Topology(stable: VersionSpec(stable), canary: nil, canaryWeight: 0), owner: owner)
        #expect(steady.last?[path: ["spec", "rules"]]?.arrayValue?.first?["backendRefs"] == [["name": "churn-v1", "port": 80, "weight": 100]])
    }

    @Test func namesAreDNSSafe() {
        #expect(WorkloadRenderer.slug("2025_11.03-RC1") == "2025-11-03-rc1")
        let long = WorkloadRenderer.versionServiceName(String(repeating: "m", count: 40), String(repeating: "v", count: 40))
        #expect(long.count <= 63)
    }
}
