import ArgumentParser
import Foundation
import Git
import Kube
import Manifests
import Rollout

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "See the whole mission on your machine: GitOps sync, a canary promoted, a bad version rolled back.",
        discussion: """
            Starts, on 127.0.0.1 only: the Kubernetes API emulator, a real Prometheus, a traffic \
            simulator, a git repository built from examples/demo/, and the Sluice controller. Then \
            commits a good model version (canary 5%→25%→50%→100%, promoted) and a bad one (rolled \
            back at its first step, with the SLO, value and threshold shown, and a revert \
            committed to git). Times are scaled to seconds. Everything lives in one temporary \
            directory, removed at the end (kept with --keep); Ctrl-C stops it all.
            """)

    @Flag(help: "Wait for Enter between acts.")
    var step = false

    @Flag(help: "Leave everything running at the end and print how to explore it (kubectl, sluice status, Prometheus).")
    var keep = false

    @Option(help: ArgumentHelp("The demo repository's files (default: examples/demo in this checkout).", valueName: "dir"))
    var examples: String?

    @Option(help: "Simulated requests per second.")
    var requestsPerSecond: Double = 60

    func run() async throws {
        let n = Narrator(color: Terminal.useColor())
        let started = Date()
        n.title("Sluice demo: GitOps and canary rollouts for ML models, all on this machine")
        let signals = SignalWatcher()
        let env: DemoEnvironment
        do {
            env = try await DemoEnvironment.start(examples: examples, requestsPerSecond: requestsPerSecond, say: { n.detail($0) })
        } catch {
            n.failure("\(error)")
            throw ExitCode(1)
        }
        n.detail("everything is in \(env.directory)")
        let script = Task { try await self.acts(env, n) }
        let interrupted = Task {
            await signals.wait()
            script.cancel()
        }
        let result = await script.result
        interrupted.cancel()
        switch result {
        case .success:
            n.title("Done in \(Int(Date().timeIntervalSince(started))) s")
            if keep {
                explore(env, n)
                await signals.wait()
            }
            // With --keep the user ends the demo with Ctrl-C, which (as the output promised)
            // removes the directory too.
            await env.stop(removeFiles: true)
            n.detail("removed \(env.directory)")
        case .failure(let error):
            let cancelled = error is CancellationError
            n.failure(cancelled ? "interrupted" : "\(error)")
            if !cancelled { n.detail("controller log: \(env.directory)/controller.log (kept)") }
            await env.stop(removeFiles: cancelled && !keep)
            throw ExitCode(cancelled ? 130 : 1)
        }
    }

    func pause(_ n: Narrator) {
        guard step else { return }
        if isatty(0) == 0 {
            n.detail("(--step needs a terminal to read Enter from; continuing)")
            return
        }
        n.prompt("press Enter to continue")
        _ = readLine()
    }

    func acts(_ env: DemoEnvironment, _ n: Narrator) async throws {
        // Act 1
        n.act("1. Sync: git is the source of truth")
        n.say("The repository holds a Namespace, a ConfigMap, the ModelDeployment CRD and churn 2025-11-03.")
        try await n.waitFor("churn 2025-11-03 to be stable", timeout: 60) {
            let s = try await env.status()
            return s.phase == .succeeded && s.stableVersion == "2025-11-03"
        }
        let features = try await env.client.getIfExists(
            ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: DemoEnvironment.namespace, name: "churn-features"))
        n.success("synced: ConfigMap churn-features \(features == nil ? "missing!" : "applied"), churn 2025-11-03 serving on 4 pods")
        pause(n)

        // Act 2
        n.act("2. A good model version goes out as a canary")
        let good = try env.commitModel(version: "2025-11-10", image: "registry.example.com/ml/churn-server:2.4.0", message: "churn: model 2025-11-10")
        n.say("committed churn 2025-11-10 (\(good.short)); Sluice rolls it out step by step, checking error rate and p95 latency in Prometheus")
        let canaryStarted = Date()
        try await follow(env, n, until: { $0.phase == .succeeded && $0.stableVersion == "2025-11-10" }, timeout: 120)
        n.success("promoted 2025-11-10 after \(Int(Date().timeIntervalSince(canaryStarted))) s; the 2025-11-03 pods are gone")
        pause(n)

        // Act 3
        n.act("3. A bad model version is rolled back")
        let bad = try env.commitModel(version: "2025-11-17", image: "registry.example.com/ml/churn-server:2.5.0-bad", message: "churn: model 2025-11-17")
        n.say("committed churn 2025-11-17 (\(bad.short)); this one answers 25% of requests with errors")
        // The revert can land within milliseconds of the rollback, so wait for the record of
        // the failure, not for the RolledBack phase.
        try await follow(env, n, until: { $0.failedVersions.contains { $0.version == "2025-11-17" } }, timeout: 90)
        let s = try await env.status()
        if let f = s.failedVersions.last {
            let value = f.value.map { String(format: "%.3f", $0) } ?? "?"
            let threshold = f.threshold.map { String(format: "%g", $0) } ?? "?"
            n.failureNote("rolled back 2025-11-17: SLO \(f.slo ?? "?") was \(value), above its threshold \(threshold)")
        }
        n.success("all traffic is back on \(s.stableVersion ?? "?"); 2025-11-17 will not be retried while git names it")
        pause(n)

        // Act 4
        n.act("4. Git and the cluster agree again")
        try await n.waitFor("the revert commit", timeout: 30) {
            (try? env.headCommit().summary) == "Revert churn to model version 2025-11-10"
        }
        let revert = try env.headCommit()
        n.say("Sluice committed \(revert.id.short) \"\(revert.summary)\" and pushed it (spec.rollback.revertCommit)")
        try await n.waitFor("the revert to be synced", timeout: 30) {
            let m = await env.model()
            let phase = try RolloutStatus.read(m?["status"], of: "churn").phase
            return m?[path: ["spec", "model", "version"]] == "2025-11-10" && phase == .succeeded
        }
        n.success("git names 2025-11-10 again and churn runs 2025-11-10")
        pause(n)
        try await autoscale(env, n)
    }

    /// Act 5: the fixed replica count handed to a HorizontalPodAutoscaler, and load that it
    /// follows (the emulator's metrics stand in for a metrics server).
    func autoscale(_ env: DemoEnvironment, _ n: Narrator) async throws {
        n.act("5. The model autoscales, and Sluice leaves the count to the HPA")
        let commit = try env.commitAutoscaling()
        n.say("committed \(commit.short): spec.autoscaling (2 to 12 pods at 50% CPU) instead of replicas: 4")
        try await n.waitFor("the HorizontalPodAutoscaler churn-2025-11-10", timeout: 30) { try await env.status().scaling?.stable?.maxReplicas == 12 }
        n.say("load doubles: the pods use 4 pods' worth of CPU, 100% of their requests")
        env.emulator.setLoad(namespace: DemoEnvironment.namespace, deployment: "churn-2025-11-10", pods: 4)
        try await n.waitFor("8 ready pods", timeout: 30) { try await env.status().scaling?.stable?.ready == 8 }
        n.success("the HPA scaled churn 2025-11-10 from 4 to 8 pods; Sluice wrote no replica count (kubectl get hpa -n \(DemoEnvironment.namespace))")
        n.detail("during a canary the canary's HPA follows the stable's size × the step's weight, and a promotion hands the size over")
    }

    /// Narrates a rollout until `done`: each step, each analysis, the outcome.
    func follow(_ env: DemoEnvironment, _ n: Narrator, until done: @escaping (RolloutStatus) -> Bool, timeout: Double) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var lastStep: Int?
        // Analyses from before this act were narrated already.
        var lastAnalysis: Date? = try await env.status().lastAnalysis?.time
        var lastPhase: RolloutStatus.Phase?
        while Date() < deadline {
            try Task.checkCancellation()
            let s = try await env.status()
            if let canary = s.canaryVersion, s.phase == .progressing || s.phase == .paused, lastStep != s.stepWeight {
                lastStep = s.stepWeight
                n.progress(
                    weight: s.canaryWeight,
                    label: "canary \(canary) at step \(s.stepWeight)% (\(s.canaryWeight)% of traffic: \(pods(s.canaryWeight)) of 4 pods)")
            }
            if let a = s.lastAnalysis, a.time != lastAnalysis {
                lastAnalysis = a.time
                let parts = a.checks.map { c -> String in
                    let value = c.value.map { String(format: "%.3f", $0) } ?? "no data"
                    let mark = c.outcome == .pass ? "ok" : c.outcome == .fail ? "FAIL" : c.outcome == .noData ? "holding" : c.outcome.rawValue
                    let samples = c.evidence.map { " of \(Int($0.samples)) requests" } ?? ""
                    return "\(c.slo) \(value)\(samples) (max \(c.threshold.map { String(format: "%g", $0) } ?? "-")) \(mark)"
                }
                n.detail("analysis at \(a.weight)%: " + parts.joined(separator: ", "))
            }
            if s.phase != lastPhase, s.phase == .rolledBack || s.phase == .succeeded { lastPhase = s.phase }
            if done(s) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw DemoEnvironment.Failure(description: "timed out after \(Int(timeout)) s; last status: \((try await env.status()).message)")
    }

    func pods(_ weight: Int) -> Int { Int((Double(weight) * 4 / 100).rounded()) }

    func explore(_ env: DemoEnvironment, _ n: Narrator) {
        n.act("Everything is still running. Explore:")
        n.say("kubectl --kubeconfig \(env.kubeconfig) get mdep,deploy,svc,hpa -n \(DemoEnvironment.namespace)")
        n.say("sluice status churn --kubeconfig \(env.kubeconfig) -n \(DemoEnvironment.namespace) --watch")
        n.say("sluice diff --repo \(env.repository) --kubeconfig \(env.kubeconfig) --source-name demo")
        n.say("git clone \(env.repository) && edit churn.yaml && git push   # Sluice syncs it within a second")
        n.say("Prometheus UI: \(env.prometheus.url)/graph")
        n.detail("Ctrl-C stops everything and removes \(env.directory)")
    }
}
