import ArgumentParser
import ChildProcess
import Foundation
import Kube
import KubeEmulator
import Manifests
import Sync
import YAML

/// `sluice run` as it runs in a cluster: idle cost, memory at scale, and leader takeover.
struct ControllerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controller",
        abstract: "sluice run: idle RSS and CPU; RSS with N ModelDeployments and M managed objects; follower takeover time.")

    @Option(help: "ModelDeployments in the scale run.") var models = 1000
    @Option(help: "Plain objects (ConfigMaps, Deployments, Services) in the scale run, besides what the ModelDeployments render.") var objects = 7000
    @Option(help: "Seconds of idle measurement.") var idleSeconds = 30
    @Option(help: "Seconds to wait, once every model is stable, before measuring memory in the scale run.") var settleSeconds = 40
    @Option(help: "Takeover trials for each of kill -9 and SIGTERM.") var trials = 3
    @Option(help: "Which parts to run: idle, scale, takeover (repeat the option or separate with commas).") var parts: [String] = ["idle", "scale", "takeover"]
    @Option(help: "The binary run, built next to this one: sluice (the CLI) or sluice-controller (the image's).") var binary = "sluice"

    static var repositoryRoot: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// A repository holding the CRD, `models` ModelDeployments in `ml-<i % 10>` and `plain` objects.
    func repository(_ cluster: BenchCluster, name: String, models: Int, plain: Int) throws -> String {
        let repo = "\(cluster.dir)/\(name)"
        try FileManager.default.createDirectory(atPath: "\(repo)/models", withIntermediateDirectories: true)
        try BenchGit.run(["init", "-q", "-b", "main"], in: repo)
        let crd = try String(contentsOfFile: "\(Self.repositoryRoot)/manifests/crd-modeldeployment.yaml", encoding: .utf8)
        try crd.write(toFile: "\(repo)/crd.yaml", atomically: true, encoding: .utf8)
        try (0..<10).map { "apiVersion: v1\nkind: Namespace\nmetadata: {name: ml-\($0)}\n" }.joined(separator: "---\n")
            .write(toFile: "\(repo)/namespaces.yaml", atomically: true, encoding: .utf8)
        for file in 0..<(models + 49) / 50 {
            let docs = (file * 50..<min(models, file * 50 + 50)).map { i in
                """
                apiVersion: sluice.dev/v1alpha1
                kind: ModelDeployment
                metadata: {name: model-\(i), namespace: ml-\(i % 10)}
                spec:
                  model: {version: "v1", image: "registry.example.com/ml/model-\(i):1.0", uri: "s3://models/model-\(i)/v1"}
                  replicas: 2

                """
            }
            try docs.joined(separator: "---\n").write(toFile: "\(repo)/models/models-\(file).yaml", atomically: true, encoding: .utf8)
        }
        if plain > 0 {
            let path = try cluster.writeObjects(plain, namespace: "apps-\(name)")
            _ = try ChildProcess.run("cp", ["-r", path, "\(repo)/apps"])
        }
        try BenchGit.run(["add", "-A"], in: repo)
        try BenchGit.run(["-c", "user.name=b", "-c", "user.email=b@x", "commit", "-q", "-m", "objects"], in: repo)
        return repo
    }

    func start(_ cluster: BenchCluster, repo: String, name: String, extra: [String] = []) throws -> ChildProcess {
        var env = ChildProcess.currentEnvironment()
        env["NO_COLOR"] = "1"
        env["POD_NAME"] = name
        // SLUICE_BENCH_WRAP (e.g. "heaptrack -o /tmp/sluice") runs sluice under a profiler to
        // find where memory goes; the numbers printed then describe the wrapper, not sluice.
        let wrap = ProcessInfo.processInfo.environment["SLUICE_BENCH_WRAP"].map { $0.split(separator: " ").map(String.init) } ?? []
        let executable = SluiceProcess.path(of: binary)
        return try ChildProcess(
            wrap.first ?? executable,
            wrap.dropFirst() + (wrap.isEmpty ? [] : [executable]) + [
                "run", "--repo", repo, "--kubeconfig", cluster.kubeconfig, "--cache-dir", "\(cluster.dir)/cache-\(name)", "--interval", "60s",
                "--listen", "127.0.0.1:0", "--log-level", "warning", "--inventory-namespace", "default",
            ] + extra,
            environment: env, stdout: .null, stderr: .file("\(cluster.dir)/\(name).log"))
    }

    /// RSS, peak RSS (MB) and CPU seconds so far of a process, from /proc.
    static func usage(_ pid: Int32) -> (rss: Double, peak: Double, cpu: Double, anon: Double, file: Double) {
        var rss = 0.0
        var peak = 0.0
        var anon = 0.0
        var file = 0.0
        if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) {
            for line in status.split(separator: "\n") {
                let kb = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
                if line.hasPrefix("VmRSS:") { rss = kb / 1024 }
                if line.hasPrefix("VmHWM:") { peak = kb / 1024 }
                if line.hasPrefix("RssAnon:") { anon = kb / 1024 }
                if line.hasPrefix("RssFile:") { file = kb / 1024 }
            }
        }
        var cpu = 0.0
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            cpu = ((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticks
        }
        return (rss, peak, cpu, anon, file)
    }

    /// SLUICE_BENCH_SMAPS=DIR keeps a copy of the process's /proc/PID/smaps at each measurement,
    /// to see which mappings the resident memory belongs to.
    static func keepSmaps(_ pid: Int32, _ label: String) {
        // cp, not String(contentsOfFile:), which stops at the size /proc reports for the file.
        guard let dir = ProcessInfo.processInfo.environment["SLUICE_BENCH_SMAPS"] else { return }
        _ = try? ChildProcess.run("cp", ["/proc/\(pid)/smaps", "\(dir)/\(label).smaps"])
    }

    func waitUntil(_ timeout: Double, _ condition: () -> Bool) async -> Double? {
        let t = Measure.now()
        while Measure.now() - t < timeout {
            if condition() { return Measure.now() - t }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    func stableModels(_ cluster: BenchCluster, _ count: Int) -> Int {
        var n = 0
        for i in 0..<count
        where cluster.emulator.object(apiVersion: "sluice.dev/v1alpha1", kind: "ModelDeployment", namespace: "ml-\(i % 10)", name: "model-\(i)")?[path: [
            "status", "stableVersion",
        ]] == "v1" {
            n += 1
        }
        return n
    }

    func holder(_ cluster: BenchCluster) -> String? {
        guard
            let id = cluster.emulator.object(apiVersion: "coordination.k8s.io/v1", kind: "Lease", namespace: "default", name: "sluice-leader")?[path: [
                "spec", "holderIdentity",
            ]]?.stringValue,
            !id.isEmpty
        else { return nil }
        return id.split(separator: "_").first.map(String.init)
    }

    func validate() throws {
        let unknown = Set(selected).subtracting(["idle", "scale", "takeover"])
        guard unknown.isEmpty else { throw ValidationError("unknown --parts: \(unknown.sorted().joined(separator: ", ")) (idle, scale, takeover)") }
    }

    var selected: [String] { parts.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } }

    func run() async throws {
        let parts = selected
        if parts.contains("idle") { try await withCluster(idle) }
        if parts.contains("scale") { try await withCluster(scale) }
        if parts.contains("takeover") { try await withCluster(takeover) }
    }

    /// A fresh emulator and directory per part, stopped and removed even when the part fails
    /// (a `defer` cannot await, and a task started from one may never run before exit).
    func withCluster(_ part: (BenchCluster) async throws -> Void) async throws {
        let cluster = try await BenchCluster.start()
        do {
            try await part(cluster)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    func idle(_ cluster: BenchCluster) async throws {
        let repo = try repository(cluster, name: "idle", models: 10, plain: 100)
        let p = try start(cluster, repo: repo, name: "idle")
        defer { p.terminate(grace: 10) }
        guard await waitUntil(120, { stableModels(cluster, 10) == 10 }) != nil else { throw ValidationError("idle: models never became stable") }
        try await Task.sleep(for: .seconds(5))
        let before = Self.usage(p.pid)
        let requestsBefore = cluster.emulator.requests.count
        try await Task.sleep(for: .seconds(Double(idleSeconds)))
        let after = Self.usage(p.pid)
        Self.keepSmaps(p.pid, "idle")
        let requests = cluster.emulator.requests.count - requestsBefore
        print("| `sluice run`, idle (10 ModelDeployments, 100 objects, leader) | value |")
        print("|---|---|")
        print("| RSS | \(Measure.fmt(after.rss, 1)) MB (peak \(Measure.fmt(after.peak, 1)) MB) |")
        print("| of which heap and stacks (anonymous) | \(Measure.fmt(after.anon, 1)) MB |")
        print("| of which code and data of the binary and libraries (file-backed, shared) | \(Measure.fmt(after.file, 1)) MB |")
        print("| CPU over \(idleSeconds) s | \(Measure.fmt((after.cpu - before.cpu) / Double(idleSeconds) * 100, 2)) % of one core |")
        print("| API requests over \(idleSeconds) s | \(requests) (lease renewals every 2 s; no lists, no writes of objects) |")
        print()
    }

    func scale(_ cluster: BenchCluster) async throws {
        let repo = try repository(cluster, name: "scale", models: models, plain: objects)
        let p = try start(cluster, repo: repo, name: "scale", extra: ["--qps", "0"])
        defer { p.terminate(grace: 10) }
        guard let synced = await waitUntil(1800, { stableModels(cluster, models) == models }) else {
            throw ValidationError("scale: only \(stableModels(cluster, models)) of \(models) models became stable")
        }
        try await Task.sleep(for: .seconds(Double(settleSeconds)))
        let u = Self.usage(p.pid)
        Self.keepSmaps(p.pid, "scale")
        let rendered = cluster.emulator.requests.filter { $0.fieldManager == "sluice-rollout" && $0.verb == "apply" && !$0.dryRun }.count
        let inventory = cluster.emulator.object(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "sluice-inventory-scale")
        let sync = (try? inventory.map { try Inventory(configMap: $0) })??.objects.count ?? 0
        print("| `sluice run` at scale | value |")
        print("|---|---|")
        print("| ModelDeployments | \(models) |")
        print("| objects applied from git (inventory) | \(sync) |")
        print("| objects written by the rollout controller (applies) | \(rendered) |")
        print("| time from start until every model is stable | \(Measure.fmt(synced, 1)) s |")
        print("| RSS, \(settleSeconds) s after | \(Measure.fmt(u.rss, 1)) MB |")
        print("| of which heap and stacks (anonymous) | \(Measure.fmt(u.anon, 1)) MB |")
        print("| of which code and data of the binary and libraries (file-backed, shared) | \(Measure.fmt(u.file, 1)) MB |")
        print("| peak RSS | \(Measure.fmt(u.peak, 1)) MB |")
        print()
    }

    func takeover(_ cluster: BenchCluster) async throws {
        let repo = try repository(cluster, name: "ha", models: 5, plain: 20)
        var killed: [Double] = []
        var terminated: [Double] = []
        var processes: [String: ChildProcess] = [:]
        var serial = 0
        func spawn() throws {
            serial += 1
            let name = "replica\(serial)"
            processes[name] = try start(cluster, repo: repo, name: name)
        }
        try spawn()
        try spawn()
        defer { for p in processes.values { p.terminate(grace: 10) } }
        guard await waitUntil(60, { holder(cluster) != nil }) != nil else { throw ValidationError("no leader") }
        for round in 0..<(trials * 2) {
            let hard = round % 2 == 0
            guard let leader = holder(cluster), let process = processes[leader] else { throw ValidationError("no leader") }
            let t = Measure.now()
            if hard { process.signal(SIGKILL) } else { process.signal(SIGTERM) }
            guard await waitUntil(60, { holder(cluster).map { $0 != leader } ?? false }) != nil else { throw ValidationError("no takeover") }
            let elapsed = Measure.now() - t
            if hard { killed.append(elapsed) } else { terminated.append(elapsed) }
            _ = process.wait()
            processes[leader] = nil
            try spawn()
            // The new follower must have seen the lease before the next round.
            try await Task.sleep(for: .seconds(3))
        }
        print("| leader takeover (2 replicas, lease 15 s, renew 10 s, retry 2 s) | trials | median | max |")
        print("|---|---|---|---|")
        for (name, xs) in [
            ("leader killed (kill -9): the follower waits out the lease", killed), ("leader stopped (SIGTERM): it releases the lease", terminated),
        ] {
            let s = xs.sorted()
            print("| \(name) | \(s.count) | \(Measure.fmt(s[s.count / 2], 2)) s | \(Measure.fmt(s.last ?? 0, 2)) s |")
        }
        print()
    }
}
