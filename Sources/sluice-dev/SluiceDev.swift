import APIGeneration
import ArgumentParser
import Foundation

/// Tools for working on Sluice itself, not for its users.
@main struct SluiceDev: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-dev", abstract: "Tools for developing Sluice.", subcommands: [Generate.self])
}

/// Writes the files generated from the API's Swift types: the CRDs and the docs' field tables.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the CRDs and the reference docs' field tables from the API's types.")

    @Option(help: "The repository's root.") var root = FileManager.default.currentDirectoryPath

    func run() throws {
        let docs = try ReferenceTables.documents { try String(contentsOfFile: "\(root)/\($0)", encoding: .utf8) }
        for (path, text) in try GeneratedFiles.definitions() + docs {
            let url = URL(fileURLWithPath: "\(root)/\(path)")
            // A file that cannot be read is written: nothing is decided on the guess.
            let old = try? String(contentsOf: url, encoding: .utf8)
            guard old != text else { continue }
            try text.write(to: url, atomically: true, encoding: .utf8)
            print("wrote \(path)")
        }
    }
}
