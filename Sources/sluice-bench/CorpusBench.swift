import ArgumentParser
import ChildProcess
import Foundation
import ManifestCorpus
import YAML

/// The first sync of a large real-world-shaped repository, against `kubectl apply
/// --server-side` of the same files on a fresh emulator.
struct CorpusBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus", abstract: "First and second sync of the generated corpus (CRDs of up to ~800 KB) against kubectl apply --server-side.")

    @Option(help: "Runs of each measurement (the median is reported).")
    var runs = 3

    @Option(help: "Write the corpus here and stop (no measurement).")
    var write: String?

    func run() async throws {
        if let write {
            let n = try Corpus().write(to: write)
            print("wrote \(n) objects under \(write)")
            return
        }
        var first: [Double] = []
        var second: [Double] = []
        var kubectl: [Double] = []
        var objects = 0
        var largest = 0
        for _ in 0..<runs {
            // sluice: a fresh cluster each run, so the first sync creates every CRD.
            let ours = try await BenchCluster.start()
            let path = "\(ours.dir)/corpus"
            objects = try Corpus().write(to: path)
            largest =
                Corpus().files().filter { $0.path.hasSuffix("crds.yaml") }.flatMap { $0.text.components(separatedBy: "\n---\n") }.map { $0.utf8.count }.max()
                ?? 0
            let args = ["sync", "--once", "--local", path, "--kubeconfig", ours.kubeconfig, "--source-name", "corpus"]
            let (a, t1) = try SluiceProcess.run(args)
            guard a.status == 0 else { throw ValidationError("first sync failed: \(a.stderrText)") }
            let (b, t2) = try SluiceProcess.run(args)
            guard b.status == 0 else { throw ValidationError("second sync failed: \(b.stderrText)") }
            first.append(t1)
            second.append(t2)
            await ours.stop()

            let theirs = try await BenchCluster.start()
            let tpath = "\(theirs.dir)/corpus"
            try Corpus().write(to: tpath)
            var env = ChildProcess.currentEnvironment()
            env["KUBECONFIG"] = theirs.kubeconfig
            env["HOME"] = theirs.dir
            // Discovery warmed first, as for sluice (which reads it every run).
            _ = try await ChildProcess.run("kubectl", ["get", "ns", "default"], environment: env)
            let t = Measure.now()
            let k = try await ChildProcess.run("kubectl", ["apply", "--server-side", "-R", "-f", tpath], environment: env, timeout: 600)
            let tk = Measure.now() - t
            // kubectl applies everything in one pass and fails the custom resources whose CRD
            // is not yet served; a second pass is what a user runs then.
            var total = tk
            if k.status != 0 {
                let t = Measure.now()
                let again = try await ChildProcess.run("kubectl", ["apply", "--server-side", "-R", "-f", tpath], environment: env, timeout: 600)
                guard again.status == 0 else { throw ValidationError("kubectl apply failed: \(again.stderrText)") }
                total += Measure.now() - t
            }
            kubectl.append(total)
            await theirs.stop()
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        print("corpus: \(objects) objects, largest CRD \(largest / 1024) KB, median of \(runs) runs")
        print("| | time |")
        print("|---|---|")
        print("| sluice sync --once, first (creates everything, waits for CRDs) | \(Measure.fmt(median(first), 2)) s |")
        print("| sluice sync --once, second (nothing to change) | \(Measure.fmt(median(second), 2)) s |")
        print("| kubectl apply --server-side -R (until it succeeds) | \(Measure.fmt(median(kubectl), 2)) s |")
    }
}
