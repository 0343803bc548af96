import Foundation
import HTTP
import Kube
import KubeEmulator
import LocalPrometheus
import Manifests
import Rollout
import TestSupport
import Testing
import TrafficSimulator
import YAML

/// Everything a canary needs, on loopback: the emulator, a git remote with the CRD and a
/// ModelDeployment, simulated traffic, a real Prometheus scraping it, and `sluice run`.
final class RolloutHarness: @unchecked Sendable {
    // Safe: `controller` and `prometheus` are replaced only by the test's own task (restarts),
    // never concurrently.
    let sync: SyncHarness
    let traffic: TrafficSimulator
    var prometheus: LocalPrometheus
    var controller: BackgroundProcess?
    let listenPort = freePort()

    static let errorRateQuery =
        #"sum(rate(model_requests_total{model="{{model}}",version="{{version}}",code=~"5.."}[10s])) / sum(rate(model_requests_total{model="{{model}}",version="{{version}}"}[10s]))"#

    init(requestsPerSecond: Double = 80, seed: UInt64? = nil, _ configure: @escaping (inout EmulatorConfiguration) -> Void = { _ in }) async throws {
        sync = try await SyncHarness {
            $0.deploymentReadyDelay = 0.2
            configure(&$0)
        }
        traffic = TrafficSimulator(client: sync.client, requestsPerSecond: requestsPerSecond, seed: seed)
        try await traffic.start()
        prometheus = try LocalPrometheus(targets: ["127.0.0.1:\(traffic.port)"], directory: sync.dir.file("prometheus"))
        try await prometheus.waitUntilScraping()
        let crd = try String(contentsOfFile: "\(SluiceBinary.repositoryRoot)/manifests/crd-modeldeployment.yaml", encoding: .utf8)
        try sync.write("crd.yaml", crd)
        try sync.write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: ml}\n")
    }

    /// A ModelDeployment judged by a point-estimate `query:` SLO. Its good versions serve no
    /// errors (a simulator annotation): at a 5% step one error in the first twenty requests
    /// would read as 5% and roll a good version back, which the count-based SLOs
    /// (`countedModelDeployment`) are there to prevent; these scenarios test other things.
    func modelDeployment(version: String, image: String, extra: String = "", failureLimit: Int = 0, errorLimit: Int = 2, interval: String = "2s") -> String {
        let errorFree = image.contains("bad") ? "" : "  template:\n    annotations: {sim.sluice.dev/error-rate: \"0\"}\n"
        return """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelDeployment
            metadata:
              name: churn
              namespace: ml
            spec:
              model:
                version: "\(version)"
                image: "\(image)"
              replicas: 4
            \(errorFree)  canary:
                steps: [5, 25, 50, 100]
                stepDuration: 2s
                progressDeadline: 30s
                analysis:
                  interval: \(interval)
                  failureLimit: \(failureLimit)
                  errorLimit: \(errorLimit)
                  minSuccessfulChecks: 1
                slos:
                - name: error-rate
                  query: '\(Self.errorRateQuery)'
                  max: 0.05
            \(extra)
            """
    }

    func commitModel(version: String, image: String, extra: String = "", failureLimit: Int = 0, errorLimit: Int = 2, interval: String = "2s") throws {
        try sync.write(
            "models/churn.yaml",
            modelDeployment(version: version, image: image, extra: extra, failureLimit: failureLimit, errorLimit: errorLimit, interval: interval))
        try sync.commit("churn \(version)")
    }

    /// A ModelDeployment judged on counts (`errors`/`total` over `{{window}}`), with `slos`
    /// appended (YAML list items at the SLO indentation) and `template` annotations (which the
    /// traffic simulator reads its behaviour from).
    func countedModelDeployment(
        name: String = "churn", version: String, image: String, max: String? = "0.05", relative: String? = nil, minSamples: Int? = nil,
        slos: String = "", annotations: [String: String] = [:], progressDeadline: String = "120s", steps: String = "[5, 25, 50, 100]",
        confidence: String? = nil
    ) -> String {
        var rate = """
                - name: error-rate
                  errors: sum(increase(model_requests_total{model="{{model}}",version="{{version}}",code=~"5.."}[{{window}}]))
                  total: sum(increase(model_requests_total{model="{{model}}",version="{{version}}"}[{{window}}]))

            """
        if let max { rate += "      max: \(max)\n" }
        if let relative { rate += "      relativeToStable: \(relative)\n" }
        if let minSamples { rate += "      minSamples: \(minSamples)\n" }
        let template =
            annotations.isEmpty
            ? "" : "  template:\n    annotations:\n" + annotations.sorted { $0.key < $1.key }.map { "      \($0.key): \"\($0.value)\"\n" }.joined()
        return """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelDeployment
            metadata:
              name: \(name)
              namespace: ml
            spec:
              model:
                version: "\(version)"
                image: "\(image)"
              replicas: 4
            \(template)  canary:
                steps: \(steps)
                stepDuration: 2s
                progressDeadline: \(progressDeadline)
                analysis:
                  interval: 2s
                  failureLimit: 0
                  errorLimit: 2
                  minSuccessfulChecks: 1\(confidence.map { "\n      confidence: \($0)" } ?? "")
                slos:
            \(rate)\(slos)
            """
    }

    /// Prometheus stopped and started again on the same port and data (an outage).
    func restartPrometheus() async throws {
        let port = prometheus.port
        prometheus = try LocalPrometheus(targets: ["127.0.0.1:\(traffic.port)"], directory: sync.dir.file("prometheus"), port: port)
        try await prometheus.waitUntilScraping()
    }

    /// The controller's pod name: its user agent carries it, so faults can target it alone.
    static let podName = "sluice-under-test"

    func startController(prometheusURL: String? = nil, extra: [String] = [], environment: [String: String] = [:]) throws {
        controller = try SluiceBinary.start(
            ["run"] + sync.common + [
                "--repo", sync.daemon.url, "--interval", "1s", "--listen", "127.0.0.1:\(listenPort)", "--prometheus-url", prometheusURL ?? prometheus.url,
                "--log-level", "debug",
            ] + extra, environment: environment.merging(["POD_NAME": Self.podName]) { a, _ in a })
    }

    /// v1 committed and stable under a running controller.
    func stableV1(extra: String = "", errorLimit: Int = 2, interval: String = "2s") async throws {
        try commitModel(version: "v1", image: "reg/churn:1.0", extra: extra, errorLimit: errorLimit, interval: interval)
        try startController()
        try await waitFor("v1 stable") {
            let s = await status()
            return s.phase == .succeeded && s.stableVersion == "v1"
        }
    }

    /// `v2` committed; returns once its canary takes traffic.
    func canaryV2(image: String, extra: String = "", errorLimit: Int = 2, interval: String = "2s") async throws {
        try commitModel(version: "v2", image: image, extra: extra, errorLimit: errorLimit, interval: interval)
        try await waitFor("canary v2 with traffic") {
            let s = await status()
            return s.canaryVersion == "v2" && s.canaryWeight > 0
        }
    }

    /// v1 stable, then `v2` committed; returns once the canary takes traffic.
    func stableThenCanary(image: String, extra: String = "", errorLimit: Int = 2, interval: String = "2s") async throws {
        try await stableV1(extra: extra, errorLimit: errorLimit, interval: interval)
        try await canaryV2(image: image, extra: extra, errorLimit: errorLimit, interval: interval)
    }

    /// The controller's /metrics exposition.
    func metrics() async throws -> String {
        let http = HTTPClient()
        defer { http.shutdown() }
        let r = try await http.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(listenPort)/metrics"))
        return String(decoding: r.body, as: UTF8.self)
    }

    /// Reconcile passes `controller` ("sync", "rollout") has finished, from its /metrics (-1
    /// while they cannot be read).
    func passes(_ controller: String) async -> Int { await reconcilePasses(port: listenPort, controller: controller) }

    /// Waits for `n` more passes of `controller`: a window for "nothing happens" measured in the
    /// controller's own work, not in seconds a loaded machine may not give it.
    func waitForPasses(_ n: Int, of controller: String, timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let start = await passes(controller)
        try await waitFor("\(n) more \(controller) passes", timeout: timeout, sourceLocation: sourceLocation) { await passes(controller) >= max(start, 0) + n }
    }

    var modelRef: ObjectReference { ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "ModelDeployment", namespace: "ml", name: "churn") }

    /// The rollout's status; one that cannot be read fails the test (and reads as empty).
    func status(_ name: String = "churn") async -> RolloutStatus {
        let ref = ObjectReference(apiVersion: "sluice.dev/v1alpha1", kind: "ModelDeployment", namespace: "ml", name: name)
        do {
            return try RolloutStatus.read((try? await sync.client.getIfExists(ref))?["status"], of: "ml/\(name)")
        } catch {
            Issue.record("\(error)")
            return RolloutStatus()
        }
    }

    func deployment(_ version: String) async -> Value? {
        try? await sync.client.getIfExists(
            ObjectReference(apiVersion: "apps/v1", kind: "Deployment", namespace: "ml", name: WorkloadRenderer.deploymentName("churn", version)))
    }

    func replicas(_ version: String) async -> Int64? { await deployment(version)?[path: ["spec", "replicas"]]?.intValue }

    /// The canary's error rate as Prometheus sees it now.
    func errorRate(_ version: String) async -> Double? {
        let http = HTTPClient()
        defer { http.shutdown() }
        let q = Analysis.render(Self.errorRateQuery, model: "churn", version: version, namespace: "ml", stableVersion: nil, interval: 2)
        guard
            let r = try? await http.send(HTTPRequest(url: "\(prometheus.url)/api/v1/query?query=\(URLQuery.escape(q))")),
            let text = (try? JSON.parse(r.body))?[path: ["data", "result"]]?.arrayValue?.first?["value"]?.arrayValue?.last?.stringValue
        else { return nil }
        return Double(text)
    }

    /// `eventually`, and on timeout the controller's log and a stop: what follows needs it.
    func waitFor(_ what: String, timeout: Double = 60, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async -> Bool) async throws {
        if try await eventually(what, timeout: timeout, every: .milliseconds(100), sourceLocation: sourceLocation, condition) { return }
        Issue.record("controller log:\n\(controller?.log.suffix(4000) ?? "")", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    func stop() async {
        controller?.stop()
        traffic.stop()
        prometheus.stop()
        await sync.stop()
    }
}
