import ArgumentParser
import ChildProcess
import DesiredState
import Foundation
import Git
import Sync

struct GitLoadBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git-load", abstract: "Time to fetch and load N objects from a git commit.")

    @Option(help: "Objects in the repository.")
    var objects = 5_000

    @Option(help: "Objects per file.")
    var perFile = 10

    @Option(help: "Runs per measurement (the best is reported).")
    var runs = 5

    func run() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-git-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let work = root + "/work"
        try FileManager.default.createDirectory(atPath: work + "/manifests", withIntermediateDirectories: true)
        try BenchGit.run(["init", "-q", "-b", "main"], in: work)
        for f in 0..<(objects / perFile) {
            let text = (0..<perFile).map { SampleManifests.object(f * perFile + $0) }.joined(separator: "---\n")
            let dir = "\(work)/manifests/team-\(f % 20)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try text.write(toFile: "\(dir)/app-\(f).yaml", atomically: false, encoding: .utf8)
        }
        try BenchGit.run(["add", "-A"], in: work)
        try BenchGit.run(["-c", "user.name=bench", "-c", "user.email=b@example.com", "commit", "-q", "-m", "objects"], in: work)

        let cache = root + "/cache"
        let source = GitSource(spec: GitSourceSpec(url: work, path: "manifests"), cacheDirectory: cache)
        let firstStart = Measure.now()
        let stats = try await source.fetch()
        let firstFetch = Measure.now() - firstStart
        let commit = try await source.resolve()
        var count = 0
        let load = try await Measure.bestAsync(runs: runs) { count = try await source.load(commit.id).manifests.count }
        let refetch = try await Measure.bestAsync(runs: runs) { _ = try await source.fetch() }
        let snapshot = try await Measure.bestAsync(runs: runs) { _ = try await source.snapshot() }
        print("repository: \(objects) objects in \(objects / perFile) files; first fetch received \(stats.receivedObjects) git objects")
        print("| step | time |")
        print("|---|---|")
        print("| first fetch (clone into cache) | \(Measure.fmt(firstFetch * 1000, 1)) ms |")
        print("| load \(count) objects at a commit (read blobs + parse + validate) | \(Measure.fmt(load * 1000, 1)) ms |")
        print("| fetch of an unchanged remote | \(Measure.fmt(refetch * 1000, 1)) ms |")
        print("| fetch + resolve + load (a poll with no change) | \(Measure.fmt(snapshot * 1000, 1)) ms |")
        print("peak RSS after loading: \(Measure.fmt(Measure.rssMB(), 1)) MB")
    }
}
