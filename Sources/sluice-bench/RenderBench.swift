import ArgumentParser
import ChildProcess
import DesiredState
import Foundation
import Sync

/// Rendering a 500-object Kustomize overlay and a 500-object Helm chart through GitSource, with
/// the real tools: cold (a new commit) and cached (the same commit again, as a quiet poll).
struct RenderBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render time of a 500-object Kustomize overlay and Helm chart, cold and cached (tools from SLUICE_HELM/SLUICE_KUSTOMIZE or PATH).")

    @Option(help: "Objects in each source.")
    var objects = 500

    @Option(help: "Runs per measurement (the median is reported).")
    var runs = 5

    func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// A Kustomize base of N objects (10 per file) with an overlay (a prefix, labels, an image
    /// change), and a Helm chart whose one template ranges over N entries of its values.
    func writeSources(in work: String) throws {
        var resources: [String] = []
        for f in 0..<(objects / 10) {
            let text = (0..<10).map { SampleManifests.object(f * 10 + $0) }.joined(separator: "---\n")
            try write(text, "\(work)/base/app-\(f).yaml")
            resources.append("app-\(f).yaml")
        }
        try write("resources: [\(resources.joined(separator: ", "))]\n", "\(work)/base/kustomization.yaml")
        try write(
            "resources: [../../base]\nnamePrefix: prod-\nlabels:\n- pairs: {env: prod}\nimages:\n- {name: registry.example.com/ml/model, newTag: \"2.0\"}\n",
            "\(work)/overlays/prod/kustomization.yaml")
        try write("apiVersion: v2\nname: bench\nversion: 0.1.0\n", "\(work)/chart/Chart.yaml")
        try write("count: \(objects)\nimage: registry.example.com/ml/model:1.0\n", "\(work)/chart/values.yaml")
        try write(
            """
            {{- range $i := until (int .Values.count) }}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ $.Release.Name }}-{{ $i }}
              labels: {app: {{ $.Release.Name }}, index: {{ $i | quote }}}
            data:
              image: {{ $.Values.image }}
              index: {{ $i | quote }}
            {{- end }}

            """, "\(work)/chart/templates/many.yaml")
    }

    func run() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-render-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let work = root + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try BenchGit.run(["init", "-q", "-b", "main"], in: work)
        try writeSources(in: work)
        try BenchGit.run(["add", "-A"], in: work)
        try BenchGit.run(["-c", "user.name=bench", "-c", "user.email=b@example.com", "commit", "-q", "-m", "objects"], in: work)

        print("| source (\(objects) objects) | cold render + load | cached (same commit) |")
        print("|---|---|---|")
        for (label, path) in [("Kustomize overlay (`overlays/prod`)", "overlays/prod"), ("Helm chart (`chart`)", "chart")] {
            var cold: [Double] = []
            var cached: [Double] = []
            for run in 0..<runs {
                let source = GitSource(spec: GitSourceSpec(url: work, path: path), cacheDirectory: "\(root)/cache-\(run)")
                try await source.fetch()
                let commit = try await source.resolve()
                var t = Measure.now()
                let first = try await source.load(commit.id, keepNodes: false)
                cold.append(Measure.now() - t)
                guard first.errors.isEmpty, first.manifests.count == objects else {
                    throw ValidationError("\(path): \(first.manifests.count) objects, \(first.errors.map(\.message))")
                }
                t = Measure.now()
                _ = try await source.load(commit.id, keepNodes: false)
                cached.append(Measure.now() - t)
            }
            func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
            print("| \(label) | \(Measure.fmt(median(cold) * 1000, 0)) ms | \(Measure.fmt(median(cached) * 1000, 2)) ms |")
        }
    }
}
