import ArgumentParser
import DesiredState
import Foundation
import ManifestLoading
import Manifests
import Sync

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check manifest files offline and list every problem.",
        discussion:
            "Reads *.yaml, *.yml and *.json files (directories recursively, hidden ones skipped) without contacting a cluster, or renders a directory that holds a kustomization or a Chart.yaml with Kustomize or Helm (see --render), and checks each ModelDeployment's and ModelPipeline's spec as the controller will read it. With --traffic, also says how long each count-based SLO needs for a verdict at that traffic and warns when a step may not hold that long. Exits 0 when every file is valid, 1 when any is not, 2 when a path cannot be read."
    )

    @Argument(help: "Files or directories to check (default: the current directory).")
    var paths: [String] = ["."]

    @Flag(name: .shortAndLong, help: "Only print problems.")
    var quiet = false

    @Option(
        help: ArgumentHelp(
            "Requests per second each model serves in all: estimate how long a verdict takes at the first step's share of it.", valueName: "req/s"))
    var traffic: Double?

    @Option(
        help: ArgumentHelp(
            "The error rate expected of a new version, for --traffic (default: half of each SLO's max, or half way from its min to 1).",
            valueName: "fraction"))
    var errorRate: Double?

    @OptionGroup var rendering: RenderFlags

    func validate() throws {
        if let traffic, !(traffic > 0 && traffic.isFinite) { throw ValidationError("--traffic must be a positive number of requests per second") }
        if let errorRate, !(errorRate >= 0 && errorRate < 1) { throw ValidationError("--error-rate must be a fraction from 0 up to 1") }
    }

    func run() async throws {
        var objects = 0
        var files = 0
        var problems = 0
        for path in paths {
            let result: LoadResult
            do {
                result = try RenderedSource.load(local: path, options: rendering.options)
            } catch {
                Terminal.error("\(path): \(error)")
                throw ExitCode(2)
            }
            let prefix = FileManager.default.isDirectoryPath(path) ? (path.hasSuffix("/") ? path : path + "/") : ""
            let errors = result.errors + SpecValidation.errors(in: result.manifests)
            for var e in errors {
                if !prefix.isEmpty, prefix != "./" { e.file = prefix + e.file }
                Terminal.error(e.description)
            }
            if let traffic {
                for line in VerdictTimes.lines(in: result.manifests, traffic: traffic, errorRate: errorRate) {
                    let text = !prefix.isEmpty && prefix != "./" ? prefix + line.text : line.text
                    if line.tooSlow { Terminal.warning(text) } else if !quiet { Terminal.out(text + "\n") }
                }
            }
            objects += result.manifests.count
            files += result.fileCount
            problems += errors.count
        }
        if !quiet || problems > 0 {
            let summary = "\(objects) object\(objects == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")"
            Terminal.out(problems == 0 ? "\(summary): valid\n" : "\(summary): \(problems) problem\(problems == 1 ? "" : "s")\n")
        }
        if problems > 0 { throw ExitCode(1) }
    }
}

extension FileManager {
    func isDirectoryPath(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}
