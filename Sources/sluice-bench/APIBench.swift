import ArgumentParser
import ChildProcess
import Foundation
import Kube
import KubeEmulator
import Manifests
import YAML

struct APIBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api", abstract: "Requests/s and latency of get and server-side apply through Sluice's client, with kubectl as a reference.")

    @Option(help: "Requests per measurement.")
    var requests = 2000

    @Option(help: "Concurrent requests for the throughput runs.")
    var concurrency = 16

    @Option(help: "kubectl invocations per measurement.")
    var kubectlRuns = 20

    @Flag(help: "Plain HTTP instead of HTTPS.")
    var plainHTTP = false

    @Option(help: "Use an emulator already running (sluice emulator --kubeconfig-out FILE) instead of one in this process.")
    var kubeconfig: String?

    func percentile(_ xs: [Double], _ p: Double) -> Double {
        let s = xs.sorted()
        return s[min(s.count - 1, Int(Double(s.count) * p))]
    }

    func row(_ name: String, _ latencies: [Double], total: Double? = nil) -> String {
        let rps = total.map { Double(latencies.count) / $0 } ?? Double(latencies.count) / latencies.reduce(0, +)
        return
            "| \(name) | \(Measure.fmt(rps, 0)) | \(Measure.fmt(percentile(latencies, 0.5) * 1000, 2)) ms | \(Measure.fmt(percentile(latencies, 0.99) * 1000, 2)) ms | \(Measure.fmt((latencies.max() ?? 0) * 1000, 1)) ms |"
    }

    /// Each request's latency, one after another.
    func sequential(_ op: (Int) async throws -> Void) async throws -> [Double] {
        var out: [Double] = []
        for i in 0..<requests {
            let t = Measure.now()
            try await op(i)
            out.append(Measure.now() - t)
        }
        return out
    }

    /// Each request's latency and the wall time, `concurrency` workers at once.
    func concurrent(_ op: @escaping @Sendable (Int) async throws -> Void) async throws -> ([Double], Double) {
        let start = Measure.now()
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for w in 0..<concurrency {
                group.addTask {
                    var out: [Double] = []
                    for i in stride(from: w, to: requests, by: concurrency) {
                        let t = Measure.now()
                        try await op(i)
                        out.append(Measure.now() - t)
                    }
                    return out
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        return (latencies, Measure.now() - start)
    }

    /// The wall time of `kubectlRuns` kubectl processes, each one request.
    func kubectl(_ args: [String], env: [String: String]) async throws -> [Double] {
        var times: [Double] = []
        for _ in 0..<kubectlRuns {
            let t = Measure.now()
            let r = try await ChildProcess.run("kubectl", args, environment: ChildProcess.currentEnvironment().merging(env) { $1 })
            guard r.status == 0 else { throw ValidationError("kubectl \(args) failed: \(r.stderrText)") }
            times.append(Measure.now() - t)
        }
        return times
    }

    func run() async throws {
        var config = EmulatorConfiguration()
        config.tls = !plainHTTP
        config.token = plainHTTP ? nil : "bench-token"
        let emulator = try KubeEmulator(config)
        try await emulator.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-api-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let kubeconfig = self.kubeconfig ?? "\(dir)/kubeconfig"
        if self.kubeconfig == nil { try emulator.writeKubeconfig(to: kubeconfig) }
        var clusterConfig = try KubeConfigLoader.fromFiles([kubeconfig])
        clusterConfig.qps = 0
        let client = KubeClient(config: clusterConfig)
        @Sendable func cm(_ i: Int) -> Value {
            [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string("bench-\(i % 100)"), "namespace": "default"],
                "data": ["n": .string(String(i))],
            ]
        }
        for i in 0..<100 { _ = try await client.apply(cm(i), fieldManager: "bench") }
        let ref: @Sendable (Int) -> ObjectReference = { (i: Int) in
            ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "bench-\(i % 100)")
        }

        let getSeq = try await sequential { _ = try await client.get(ref($0)) }
        let applySeq = try await sequential { _ = try await client.apply(cm($0), fieldManager: "bench") }
        let (getPar, getParTime) = try await concurrent { _ = try await client.get(ref($0)) }
        let (applyPar, applyParTime) = try await concurrent { _ = try await client.apply(cm($0), fieldManager: "bench") }

        let env = ["HOME": dir, "KUBECONFIG": kubeconfig]
        let manifest = "\(dir)/cm.yaml"
        try (try YAML.emit(cm(1))).write(toFile: manifest, atomically: true, encoding: .utf8)
        _ = try await ChildProcess.run("kubectl", ["get", "cm", "bench-1"], environment: ChildProcess.currentEnvironment().merging(env) { $1 })
        let kGet = try await kubectl(["get", "cm", "bench-1", "-o", "json"], env: env)
        let kApply = try await kubectl(["apply", "--server-side", "--field-manager", "bench", "-f", manifest], env: env)
        await emulator.stop()
        client.shutdown()

        print(
            "emulator over \(plainHTTP ? "HTTP" : "HTTPS") on 127.0.0.1; \(requests) requests per Sluice row, \(kubectlRuns) kubectl invocations per kubectl row"
        )
        print("| operation | requests/s | p50 | p99 | max |")
        print("|---|---|---|---|---|")
        print(row("Sluice get, sequential", getSeq))
        print(row("Sluice get, \(concurrency) concurrent", getPar, total: getParTime))
        print(row("Sluice server-side apply, sequential", applySeq))
        print(row("Sluice server-side apply, \(concurrency) concurrent", applyPar, total: applyParTime))
        print(row("kubectl get -o json (one process per request)", kGet))
        print(row("kubectl apply --server-side (one process per request)", kApply))
    }
}
