import ArgumentParser
import DesiredState
import Foundation
import Manifests
import Sync

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check manifest files offline and list every problem.",
        discussion:
            "Reads *.yaml, *.yml and *.json files (directories recursively, hidden ones skipped) without contacting a cluster, or renders a directory that holds a kustomization or a Chart.yaml with Kustomize or Helm (see --render), and checks each ModelDeployment's and ModelPipeline's spec as the controller will read it. Exits 0 when every file is valid, 1 when any is not, 2 when a path cannot be read."
    )

    @Argument(help: "Files or directories to check (default: the current directory).")
    var paths: [String] = ["."]

    @Flag(name: .shortAndLong, help: "Only print problems.")
    var quiet = false

    @OptionGroup var rendering: RenderFlags

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
