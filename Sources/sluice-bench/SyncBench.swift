import ArgumentParser
import ChildProcess
import Endpoints
import Foundation
import HTTP
import Kube
import KubeEmulator
import Manifests
import YAML

/// Runs the `sluice` binary next to this one (build both with `swift build -c release`).
struct SluiceProcess {
    static var path: String { path(of: "sluice") }

    /// A binary built next to this one (`sluice`, `sluice-controller`).
    static func path(of binary: String) -> String {
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        return me.appendingPathComponent(binary).path
    }

    static func run(_ args: [String], env: [String: String] = [:]) throws -> (CompletedProcess, Double) {
        var environment = ChildProcess.currentEnvironment()
        environment["NO_COLOR"] = "1"
        for (k, v) in env { environment[k] = v }
        let t = Measure.now()
        let r = try ChildProcess.run(path, args, environment: environment, timeout: 600)
        return (r, Measure.now() - t)
    }
}

/// Shared set-up: an emulator in this process and a directory of N objects.
struct BenchCluster {
    let emulator: KubeEmulator
    let dir: String
    let kubeconfig: String

    static func start() async throws -> BenchCluster {
        var config = EmulatorConfiguration()
        config.tls = true
        config.token = "bench"
        config.deploymentReadyDelay = 0.05
        let emulator = try KubeEmulator(config)
        try await emulator.start()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(getpid())-\(UUID().uuidString.prefix(6))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let kubeconfig = "\(dir)/kubeconfig"
        try emulator.writeKubeconfig(to: kubeconfig)
        return BenchCluster(emulator: emulator, dir: dir, kubeconfig: kubeconfig)
    }

    /// Writes `count` objects (ConfigMaps, Deployments, Services) into `manifests/`, 10 per file.
    /// With `changed`, every tenth object differs.
    func writeObjects(_ count: Int, namespace: String, changed: Bool = false) throws -> String {
        let path = "\(dir)/manifests-\(namespace)"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try "apiVersion: v1\nkind: Namespace\nmetadata: {name: \(namespace)}\n".write(toFile: "\(path)/00-namespace.yaml", atomically: true, encoding: .utf8)
        for file in 0..<(count + 9) / 10 {
            let docs = (file * 10..<min(count, file * 10 + 10)).map { i -> String in
                let bump = changed && i % 10 == 3 ? "-v2" : ""
                switch i % 3 {
                case 0:
                    return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-\(i), namespace: \(namespace)}\ndata: {value: \"\(i)\(bump)\", mode: batch}\n"
                case 1:
                    return """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: deploy-\(i), namespace: \(namespace), labels: {app: deploy-\(i)}}
                        spec:
                          replicas: 1
                          selector: {matchLabels: {app: deploy-\(i)}}
                          template:
                            metadata: {labels: {app: deploy-\(i)}}
                            spec:
                              containers: [{name: main, image: "registry.example.com/app:1.\(i)\(bump)", ports: [{containerPort: 8080}]}]

                        """
                default:
                    return
                        "apiVersion: v1\nkind: Service\nmetadata: {name: svc-\(i), namespace: \(namespace), labels: {v: \"1\(bump)\"}}\nspec:\n  selector: {app: deploy-\(i)}\n  ports: [{port: 80, targetPort: 8080}]\n"
                }
            }
            try docs.joined(separator: "---\n").write(toFile: "\(path)/objects-\(file).yaml", atomically: true, encoding: .utf8)
        }
        return path
    }

    func stop() async {
        await emulator.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

struct DiffBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "sluice diff against kubectl diff --server-side on the same objects and emulator.")

    @Option(help: "Object counts to measure.")
    var objects: [Int] = [50, 500, 2000]

    func run() async throws {
        let cluster = try await BenchCluster.start()
        print("| objects | changed | sluice diff | kubectl diff --server-side | ratio | same changed set |")
        print("|---|---|---|---|---|---|")
        for n in objects {
            let ns = "bench-\(n)"
            let path = try cluster.writeObjects(n, namespace: ns)
            let (applied, _) = try SluiceProcess.run(["sync", "--once", "--local", path, "--kubeconfig", cluster.kubeconfig, "--source-name", ns])
            guard applied.status == 0 else { throw ValidationError("sync failed: \(applied.stderrText)") }
            _ = try cluster.writeObjects(n, namespace: ns, changed: true)
            let (ours, ourTime) = try SluiceProcess.run(["diff", "--local", path, "--kubeconfig", cluster.kubeconfig, "--source-name", ns, "-o", "json"])
            let plan = try JSON.parse(ours.stdout)
            let ourSet = Set(
                (plan["objects"]?.arrayValue ?? []).filter { $0["action"] == "update" || $0["action"] == "create" }.map {
                    "\($0["kind"]!.stringValue!).\($0["name"]!.stringValue!)"
                })
            var env = ChildProcess.currentEnvironment()
            env["KUBECONFIG"] = cluster.kubeconfig
            env["HOME"] = cluster.dir
            env["KUBECTL_EXTERNAL_DIFF"] = "diff -u -N"
            // Warm kubectl's discovery cache so its first run is not penalised.
            _ = try await ChildProcess.run("kubectl", ["get", "ns", ns], environment: env)
            let t = Measure.now()
            let theirs = try await ChildProcess.run("kubectl", ["diff", "--server-side", "--force-conflicts", "-f", path], environment: env, timeout: 1200)
            let theirTime = Measure.now() - t
            let theirSet = Set(
                theirs.stdoutText.split(separator: "\n").filter { $0.hasPrefix("diff -u -N ") }.compactMap { line -> String? in
                    guard let last = line.split(separator: "/").last else { return nil }
                    let parts = last.split(separator: ".")
                    return parts.count >= 2 ? "\(parts[parts.count - 3]).\(parts[parts.count - 1])" : nil
                })
            print(
                "| \(n) | \(ourSet.count) | \(Measure.fmt(ourTime, 2)) s | \(Measure.fmt(theirTime, 2)) s | \(Measure.fmt(theirTime / ourTime, 1))× | \(ourSet == theirSet ? "yes" : "NO (sluice \(ourSet.count), kubectl \(theirSet.count))") |"
            )
        }
        await cluster.stop()
    }
}

struct SyncBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Sync of N objects, steady-state API cost, webhook and poll latency, peak memory.")

    @Option(help: "Objects to sync.")
    var objects = 2000

    @Option(help: "Latency samples for webhook and poll.")
    var samples = 5

    func run() async throws {
        let cluster = try await BenchCluster.start()
        let path = try cluster.writeObjects(objects, namespace: "big")
        try await onceTimes(cluster, path: path)
        try await controllerLoop(cluster, path: path)
        await cluster.stop()
    }

    /// `sluice sync --once`: the first sync, one with nothing changed and one with 10% changed.
    func onceTimes(_ cluster: BenchCluster, path: String) async throws {
        let (first, firstTime) = try SluiceProcess.run(["sync", "--once", "--local", path, "--kubeconfig", cluster.kubeconfig, "--source-name", "big"])
        guard first.status == 0 else { throw ValidationError("sync failed: \(first.stderrText)") }
        let (_, noopTime) = try SluiceProcess.run(["sync", "--once", "--local", path, "--kubeconfig", cluster.kubeconfig, "--source-name", "big"])
        _ = try cluster.writeObjects(objects, namespace: "big", changed: true)
        let (_, changeTime) = try SluiceProcess.run(["sync", "--once", "--local", path, "--kubeconfig", cluster.kubeconfig, "--source-name", "big"])
        print("| sync of \(objects) objects | time |")
        print("|---|---|")
        print("| first sync (create all, wait for CRDs/namespaces) | \(Measure.fmt(firstTime, 2)) s |")
        print("| sync with nothing changed (dry runs only) | \(Measure.fmt(noopTime, 2)) s |")
        print("| sync with 10% changed | \(Measure.fmt(changeTime, 2)) s |")
    }

    /// The controller loop on a git repository of the same objects: its quiet cost, commit →
    /// applied by webhook and by polling, and its memory.
    func controllerLoop(_ cluster: BenchCluster, path: String) async throws {
        let repo = try Self.repository(of: path, in: cluster.dir)
        let port = 18000 + Int(getpid() % 1000)
        let secret = "bench-secret"
        try secret.write(toFile: "\(cluster.dir)/secret", atomically: true, encoding: .utf8)
        var env = ChildProcess.currentEnvironment()
        env["NO_COLOR"] = "1"
        let loop = try ChildProcess(
            SluiceProcess.path,
            [
                "sync", "--repo", repo, "--kubeconfig", cluster.kubeconfig, "--source-name", "big", "--cache-dir", "\(cluster.dir)/cache",
                "--interval", "2s", "--listen", "127.0.0.1:\(port)", "--webhook-secret-file", "\(cluster.dir)/secret", "--log-level", "warning",
            ],
            environment: env, stdout: .null, stderr: .file("\(cluster.dir)/loop.log"))
        defer { loop.terminate(grace: 5) }
        var client = try KubeConfigLoader.fromFiles([cluster.kubeconfig])
        client.qps = 0
        let kube = KubeClient(config: client)
        defer { kube.shutdown() }
        let watcher = ValueWatcher(kube: kube)
        // The loop is the same source as the syncs above (another source may not take their
        // objects): its first pass finds them in place.
        guard await watcher.waitFor("0", timeout: 120) != nil else { throw ValidationError("the loop never synced") }
        try await Task.sleep(for: .seconds(3))
        let rss = Self.rss(loop.pid)

        // Steady state: what 5 quiet polls cost.
        let mark = cluster.emulator.requests.count
        try await Task.sleep(for: .seconds(10.5))
        let quiet = cluster.emulator.requests.dropFirst(mark)
        let quietWrites = quiet.filter { ["create", "update", "patch", "apply", "delete"].contains($0.verb) }.count
        let quietLists = quiet.filter { $0.verb == "list" }.count
        let quietOther = quiet.filter { $0.verb != "watch" }.count
        let (webhook, poll) = try await latencies(repo: repo, port: port, secret: secret, watcher: watcher)
        let peak = Self.rss(loop.pid)
        print("")
        print("| controller loop (`sluice sync`, \(objects) objects, --interval 2s) | value |")
        print("|---|---|")
        print("| commit → applied via webhook, median of \(webhook.count) | \(Measure.fmt(median(webhook) * 1000, 0)) ms |")
        print("| commit → applied via polling (2 s interval), median of \(poll.count) | \(Measure.fmt(median(poll) * 1000, 0)) ms |")
        print("| API requests in 5 quiet polls (no change) | \(quietOther) (\(quietWrites) writes, \(quietLists) lists) |")
        print("| RSS after the first sync | \(Measure.fmt(rss.current, 1)) MB (peak \(Measure.fmt(rss.peak, 1)) MB) |")
        print("| RSS at the end | \(Measure.fmt(peak.current, 1)) MB (peak \(Measure.fmt(peak.peak, 1)) MB) |")
    }

    /// A git repository holding the objects of `path` under manifests/, one commit.
    static func repository(of path: String, in dir: String) throws -> String {
        let repo = "\(dir)/repo"
        try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
        try BenchGit.run(["init", "-q", "-b", "main"], in: repo)
        try FileManager.default.copyItem(atPath: path, toPath: "\(repo)/manifests")
        try BenchGit.run(["add", "-A"], in: repo)
        try BenchGit.run(["-c", "user.name=b", "-c", "user.email=b@x", "commit", "-q", "-m", "objects"], in: repo)
        return repo
    }

    /// Commits that change one ConfigMap, alternately announced by webhook and left to the poll:
    /// how long each took to be applied.
    func latencies(repo: String, port: Int, secret: String, watcher: ValueWatcher) async throws -> (webhook: [Double], poll: [Double]) {
        let http = HTTPClient()
        defer { http.shutdown() }
        let cm0 = "\(repo)/manifests/objects-0.yaml"
        var webhook: [Double] = []
        var poll: [Double] = []
        for i in 0..<samples * 2 {
            let text = try String(contentsOfFile: cm0, encoding: .utf8)
            let current = i == 0 ? "0" : "w\(i - 1)"
            try text.replacingOccurrences(of: "value: \"\(current)\"", with: "value: \"w\(i)\"").write(toFile: cm0, atomically: true, encoding: .utf8)
            try BenchGit.run(["-c", "user.name=b", "-c", "user.email=b@x", "commit", "-q", "-am", "change \(i)"], in: repo)
            if i % 2 == 0 {
                let body = Array("{}".utf8)
                _ = try await http.send(
                    HTTPRequest(
                        method: "POST", url: "http://127.0.0.1:\(port)/hooks/git",
                        headers: [("X-Hub-Signature-256", WebhookVerifier(secret: secret).githubSignature(body))], body: body))
                if let d = await watcher.waitFor("w\(i)") { webhook.append(d) }
            } else {
                if let d = await watcher.waitFor("w\(i)") { poll.append(d) }
            }
        }
        return (webhook, poll)
    }

    /// The value of ConfigMap big/cm-0, read until it is the one expected.
    struct ValueWatcher {
        let kube: KubeClient
        let target = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: "big", name: "cm-0")

        /// Seconds until it was, or nil. A failed read counts as "not yet": the bench waits on.
        func waitFor(_ v: String, timeout: Double = 60) async -> Double? {
            let t = Measure.now()
            while Measure.now() - t < timeout {
                if (try? await kube.getIfExists(target)?[path: ["data", "value"]]?.stringValue) == v { return Measure.now() - t }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return nil
        }
    }

    func median(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.sorted()[xs.count / 2] }

    static func rss(_ pid: Int32) -> (current: Double, peak: Double) {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Double {
            for line in status.split(separator: "\n") where line.hasPrefix(name) {
                return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
            }
            return 0
        }
        return (field("VmRSS:"), field("VmHWM:"))
    }
}
