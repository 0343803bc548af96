import Foundation
import Hummingbird
public import Kube
import Logging
import NIOCore
import RandomDraws
import Rollout
import ServiceLifecycle
import Synchronization
import YAML

/// Stands in for real users and real model servers: it sends (simulated) requests to each model
/// version in the proportion the cluster routes them — HTTPRoute weights, or ready pods behind
/// the Service with the replica router — and exposes what a model server would, for Prometheus:
/// `model_requests_total{model,version,code}`, the `model_request_duration_seconds` histogram
/// and `model_predictions_total{model,version,class}` (what each answer predicted).
///
/// How a version behaves comes from its pods: annotations `sim.sluice.dev/error-rate` (a
/// fraction), `sim.sluice.dev/error-burst-cv` (errors in bursts: every 2 s the error rate is
/// multiplied by a fresh Gamma factor of mean 1 and this coefficient of variation),
/// `sim.sluice.dev/latency-ms` and `sim.sluice.dev/class-mix` (`churn=0.2,stay=0.7,
/// unsure=0.1`), or its image tag (`bad` → 25% errors, `slow` → 800 ms, `drift` → predicts churn
/// twice as often). Tests can also override a version at run time (`PUT /behavior`). With a
/// seed, the same traffic comes out of every run (given the same routing).
public final class TrafficSimulator: Sendable {
    public struct Behavior: Sendable, Equatable {
        public var errorRate: Double
        /// Coefficient of variation of the error rate from one burst period to the next (0: none).
        public var errorBurstiness: Double
        public var latency: Double
        /// Share of answers predicting each class.
        public var classMix: [(String, Double)]

        public static let defaultMix = [("churn", 0.2), ("stay", 0.7), ("unsure", 0.1)]
        public static let healthy = Behavior(errorRate: 0.002, latency: 0.04)

        public init(errorRate: Double, latency: Double, classMix: [(String, Double)] = defaultMix, errorBurstiness: Double = 0) {
            self.errorRate = errorRate
            self.errorBurstiness = errorBurstiness
            self.latency = latency
            self.classMix = classMix
        }

        public static func == (a: Behavior, b: Behavior) -> Bool {
            a.errorRate == b.errorRate && a.errorBurstiness == b.errorBurstiness && a.latency == b.latency && a.classMix.map(\.0) == b.classMix.map(\.0)
                && a.classMix.map(\.1) == b.classMix.map(\.1)
        }

        /// `churn=0.2,stay=0.7,unsure=0.1` (normalised).
        static func mix(_ text: String) -> [(String, Double)]? {
            let pairs = text.split(separator: ",").compactMap { part -> (String, Double)? in
                let kv = part.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, let share = Double(kv[1].trimmingCharacters(in: .whitespaces)), share >= 0 else { return nil }
                return (kv[0].trimmingCharacters(in: .whitespaces), share)
            }
            let total = pairs.map(\.1).reduce(0, +)
            return pairs.isEmpty || total <= 0 ? nil : pairs.map { ($0.0, $0.1 / total) }
        }
    }

    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    struct Series {
        var ok: Double = 0
        var errors: Double = 0
        var bucketCounts = [Double](repeating: 0, count: TrafficSimulator.buckets.count)
        var count: Double = 0
        var sum: Double = 0
        var predictions: [String: Double] = [:]
    }

    struct Route: Sendable {
        var model: String
        var version: String
        var share: Double
        var behavior: Behavior
    }

    struct State {
        var series: [String: [String: Series]] = [:]
        var routes: [Route] = []
        var overrides: [String: Behavior] = [:]
        var port = 0
    }

    let client: KubeClient
    let namespace: String?
    /// Requests per second across all versions of each model.
    public let requestsPerSecond: Double
    let seed: UInt64?
    let state = Mutex(State())
    private let tasks = TaskBox()
    private let server = Mutex<ServiceGroup?>(nil)

    public init(client: KubeClient, namespace: String? = nil, requestsPerSecond: Double = 50, seed: UInt64? = nil) {
        self.client = client
        self.namespace = namespace
        self.requestsPerSecond = requestsPerSecond
        self.seed = seed
    }

    public var port: Int { state.withLock { state in state.port } }

    /// Overrides how a version behaves (nil: back to what its pods say).
    public func setBehavior(model: String, version: String, _ behavior: Behavior?) {
        state.withLock { state in state.overrides["\(model)/\(version)"] = behavior }
    }

    /// The current split, for the demo's narration: model → [(version, share)].
    public var routing: [(model: String, version: String, share: Double)] {
        state.withLock { state in state.routes.map { ($0.model, $0.version, $0.share) } }
    }

    /// Requests served so far by one version of a model: lets a check see whether a version
    /// still receives traffic, independently of what the cluster's objects claim.
    public func served(model: String, version: String) -> Int {
        state.withLock { state in Int(state.series[model]?[version]?.count ?? 0) }
    }

    public func start(host: String = "127.0.0.1", port: Int = 0) async throws {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(string: self.exposition())))
        }
        router.put("/behavior") { request, _ -> Response in
            let q = request.uri.queryParameters
            guard let model = q["model"].map(String.init), let version = q["version"].map(String.init) else {
                return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: "model and version are required\n")))
            }
            if q["reset"] != nil {
                self.setBehavior(model: model, version: version, nil)
            } else {
                let errorRate = q["errorRate"].flatMap { Double(String($0)) } ?? Behavior.healthy.errorRate
                let latency = q["latencyMs"].flatMap { Double(String($0)) }.map { $0 / 1000 } ?? Behavior.healthy.latency
                self.setBehavior(model: model, version: version, Behavior(errorRate: errorRate, latency: latency))
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        let (ready, readyContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "sluice.traffic")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                readyContinuation.yield(channel.localAddress?.port ?? 0)
                readyContinuation.finish()
            }, logger: logger)
        // A graceful shutdown, not a cancelled serving task: Prometheus keeps connecting, and a
        // connection accepted as the task is cancelled is one NIO traps on (swift-nio#3481).
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        server.withLock { $0 = group }
        tasks.add(Task { try? await group.run() })
        var it = ready.makeAsyncIterator()
        let bound = await it.next() ?? 0
        state.withLock { state in state.port = bound }
        tasks.add(Task { await self.refreshLoop() })
        tasks.add(Task { await self.trafficLoop() })
    }

    public func stop() {
        let group = server.withLock { $0 }
        tasks.cancelAll()
        Task { await group?.triggerGracefulShutdown() }
    }

    // MARK: routing from the cluster

    func refreshLoop() async {
        while !Task.isCancelled {
            if let routes = try? await readRoutes() { state.withLock { state in state.routes = routes } }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }

    func readRoutes() async throws -> [Route] {
        let deployments = try await client.listAll(
            apiVersion: "apps/v1", kind: "Deployment", namespace: namespace, options: ListOptions(labelSelector: WorkloadRenderer.modelLabel)
        ).items
        let httpRoutes =
            (try? await client.listAll(
                apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", namespace: namespace,
                options: ListOptions(labelSelector: WorkloadRenderer.modelLabel)
            ).items) ?? []
        var byModel: [String: [(version: String, ready: Int64, behavior: Behavior, model: String)]] = [:]
        for d in deployments {
            guard let owner = d[path: ["metadata", "labels", WorkloadRenderer.modelLabel]]?.stringValue,
                let version = d[path: ["metadata", "labels", WorkloadRenderer.versionLabel]]?.stringValue
            else { continue }
            let ns = d[path: ["metadata", "namespace"]]?.stringValue ?? ""
            let model = d[path: ["metadata", "labels", "app.kubernetes.io/name"]]?.stringValue ?? owner
            let ready = d[path: ["status", "readyReplicas"]]?.intValue ?? 0
            byModel["\(ns)/\(owner)", default: []].append((version, ready, Self.behavior(of: d), model))
        }
        var routes: [Route] = []
        for (key, versions) in byModel {
            let ns = String(key.split(separator: "/").first ?? "")
            let owner = String(key.split(separator: "/").last ?? "")
            let route = httpRoutes.first { $0[path: ["metadata", "namespace"]]?.stringValue == ns && $0[path: ["metadata", "name"]]?.stringValue == owner }
            var shares: [String: Double] = [:]
            if let route, let backends = route[path: ["spec", "rules"]]?.arrayValue?.first?["backendRefs"]?.arrayValue {
                let total = backends.compactMap { $0["weight"]?.doubleValue }.reduce(0, +)
                for b in backends {
                    guard let service = b["name"]?.stringValue,
                        let v = versions.first(where: { WorkloadRenderer.versionServiceName(owner, $0.version) == service }),
                        v.ready > 0
                    else { continue }
                    shares[v.version] = total > 0 ? (b["weight"]?.doubleValue ?? 0) / total : 0
                }
            } else {
                let total = Double(versions.map(\.ready).reduce(0, +))
                for v in versions where total > 0 { shares[v.version] = Double(v.ready) / total }
            }
            for v in versions where (shares[v.version] ?? 0) > 0 {
                routes.append(Route(model: v.model, version: v.version, share: shares[v.version]!, behavior: v.behavior))
            }
        }
        return routes
    }

    static func behavior(of deployment: Value) -> Behavior {
        let annotations = deployment[path: ["spec", "template", "metadata", "annotations"]]
        var b = Behavior.healthy
        let image = deployment[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue ?? ""
        let tag = image.split(separator: ":").last.map(String.init) ?? ""
        if tag.contains("bad") { b.errorRate = 0.25 }
        if tag.contains("slow") { b.latency = 0.8 }
        if tag.contains("drift") { b.classMix = [("churn", 0.4), ("stay", 0.5), ("unsure", 0.1)] }
        if let e = annotations?["sim.sluice.dev/error-rate"]?.stringValue.flatMap(Double.init) { b.errorRate = e }
        if let cv = annotations?["sim.sluice.dev/error-burst-cv"]?.stringValue.flatMap(Double.init), cv >= 0 { b.errorBurstiness = cv }
        if let l = annotations?["sim.sluice.dev/latency-ms"]?.stringValue.flatMap(Double.init) { b.latency = l / 1000 }
        if let m = annotations?["sim.sluice.dev/class-mix"]?.stringValue.flatMap(Behavior.mix) { b.classMix = m }
        return b
    }

    // MARK: requests

    /// How long a burst's error rate lasts: one analysis interval of the end-to-end tests.
    static let burstPeriod = 2.0

    func trafficLoop() async {
        var rng = SplitMix64(seed: seed)
        var carry: [String: Double] = [:]
        var bursts: [String: Double] = [:]
        var last = Date()
        var nextBurst = last
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            let now = Date()
            let dt = now.timeIntervalSince(last)
            last = now
            let redraw = now >= nextBurst
            if redraw { nextBurst = now.addingTimeInterval(Self.burstPeriod) }
            state.withLock { state in
                for route in state.routes {
                    let key = "\(route.model)/\(route.version)"
                    let behavior = state.overrides[key] ?? route.behavior
                    let expected = requestsPerSecond * route.share * dt + (carry[key] ?? 0)
                    let n = Int(expected)
                    carry[key] = expected - Double(n)
                    if redraw { bursts[key] = rng.burst(coefficientOfVariation: behavior.errorBurstiness) }
                    let errorRate = behavior.errorRate * (bursts[key] ?? 1)
                    guard n > 0 else { continue }
                    var s = state.series[route.model]?[route.version] ?? Series()
                    for _ in 0..<n {
                        let failed = Double.random(in: 0..<1, using: &rng) < errorRate
                        if failed { s.errors += 1 } else { s.ok += 1 }
                        // Latency: spread around the version's typical latency (log-normal-ish).
                        let latency = behavior.latency * exp(Double.random(in: -0.4...0.4, using: &rng))
                        s.count += 1
                        s.sum += latency
                        for (i, b) in Self.buckets.enumerated() where latency <= b { s.bucketCounts[i] += 1 }
                        if !failed { s.predictions[Self.predict(behavior.classMix, Double.random(in: 0..<1, using: &rng)), default: 0] += 1 }
                    }
                    state.series[route.model, default: [:]][route.version] = s
                }
            }
        }
    }

    /// The Prometheus text exposition of everything so far.
    public func exposition() -> String {
        state.withLock { state in
            var out = "# HELP model_requests_total Requests served, by model, version and HTTP status code.\n# TYPE model_requests_total counter\n"
            let models = state.series.keys.sorted()
            for m in models {
                for v in state.series[m]!.keys.sorted() {
                    let s = state.series[m]![v]!
                    out += "model_requests_total{model=\"\(m)\",version=\"\(v)\",code=\"200\"} \(Int(s.ok))\n"
                    out += "model_requests_total{model=\"\(m)\",version=\"\(v)\",code=\"500\"} \(Int(s.errors))\n"
                }
            }
            out += "# HELP model_request_duration_seconds Request latency.\n# TYPE model_request_duration_seconds histogram\n"
            for m in models {
                for v in state.series[m]!.keys.sorted() {
                    let s = state.series[m]![v]!
                    for (i, b) in Self.buckets.enumerated() {
                        out += "model_request_duration_seconds_bucket{model=\"\(m)\",version=\"\(v)\",le=\"\(b)\"} \(Int(s.bucketCounts[i]))\n"
                    }
                    out += "model_request_duration_seconds_bucket{model=\"\(m)\",version=\"\(v)\",le=\"+Inf\"} \(Int(s.count))\n"
                    out += "model_request_duration_seconds_sum{model=\"\(m)\",version=\"\(v)\"} \(s.sum)\n"
                    out += "model_request_duration_seconds_count{model=\"\(m)\",version=\"\(v)\"} \(Int(s.count))\n"
                }
            }
            out += "# HELP model_predictions_total Answers, by the class they predicted.\n# TYPE model_predictions_total counter\n"
            for m in models {
                for v in state.series[m]!.keys.sorted() {
                    for (c, n) in state.series[m]![v]!.predictions.sorted(by: { $0.key < $1.key }) {
                        out += "model_predictions_total{model=\"\(m)\",version=\"\(v)\",class=\"\(c)\"} \(Int(n))\n"
                    }
                }
            }
            return out
        }
    }

    static func predict(_ mix: [(String, Double)], _ u: Double) -> String {
        var acc = 0.0
        for (c, share) in mix {
            acc += share
            if u < acc { return c }
        }
        return mix.last?.0 ?? "unknown"
    }
}

/// Background tasks cancelled together.
final class TaskBox: Sendable {
    private let tasks = Mutex<[Task<Void, Never>]>([])
    func add(_ t: Task<Void, Never>) { tasks.withLock { $0.append(t) } }
    func cancelAll() { tasks.withLock { $0.forEach { $0.cancel() } } }
}
