import ArgumentParser
import Foundation
import ManifestLoading
import Manifests
import YAML

struct YAMLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yaml", abstract: "YAML parse throughput against the raw libyaml event loop.")

    @Option(help: "Objects in the generated stream.")
    var objects = 20_000

    @Option(help: "Runs per measurement (the best is reported).")
    var runs = 5

    func run() throws {
        let text = SampleManifests.stream(objects: objects)
        let bytes = Array(text.utf8)
        let mb = Double(bytes.count) / 1_048_576
        var events = 0
        let raw = try Measure.best(runs: runs) { events = try YAML.countEvents(in: bytes) }
        var docs = 0
        let nodes = try Measure.best(runs: runs) { docs = try YAML.documents(in: bytes).count }
        let values = try Measure.best(runs: runs) { _ = try YAML.documents(in: bytes).map(\.root.value) }
        var loaded = 0
        let manifests = Measure.best(runs: runs) {
            loaded = ManifestLoader.load([SourceFile(path: "all.yaml", contents: bytes)]).manifests.count
        }
        let json = try bytes.withUnsafeBufferPointer { _ in try JSON.serialize(.array(try YAML.documents(in: bytes).map(\.root.value))) }
        let jsonBytes = Array(json.utf8)
        let jsonParse = try Measure.best(runs: runs) { _ = try JSON.parse(jsonBytes) }
        print("input: \(objects) objects, \(Measure.fmt(mb)) MB, \(events) libyaml events, \(docs) documents, \(loaded) manifests")
        print("| stage | time (best of \(runs)) | throughput | vs floor |")
        print("|---|---|---|---|")
        for (name, t) in [
            ("libyaml events only (floor)", raw), ("YAML.documents (nodes with marks)", nodes),
            ("+ to Value", values), ("ManifestLoader.load (parse + validate)", manifests),
        ] {
            print("| \(name) | \(Measure.fmt(t * 1000, 1)) ms | \(Measure.fmt(mb / t, 1)) MB/s | \(Measure.fmt(t / raw)) x |")
        }
        let jmb = Double(jsonBytes.count) / 1_048_576
        print(
            "| JSON.parse (same objects as JSON, \(Measure.fmt(jmb)) MB) | \(Measure.fmt(jsonParse * 1000, 1)) ms | \(Measure.fmt(jmb / jsonParse, 1)) MB/s | |"
        )
    }
}
