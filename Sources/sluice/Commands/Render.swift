import ArgumentParser
import DesiredState
import Manifests
import Sync
import YAML

struct Render: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the desired objects read from git, as the controller will see them.",
        discussion:
            "Fetches the repository into the local cache, reads every *.yaml, *.yml and *.json file under --path at --ref, and prints the objects. Exits 1 if any file is invalid (every problem is listed)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @OptionGroup var git: GitOptions

    @Option(name: .shortAndLong, help: "Output format: yaml or json.")
    var output: Format = .yaml

    func run() async throws {
        let source = try await git.source()
        let snapshot: Snapshot
        do {
            snapshot = try await source.snapshot()
        } catch {
            Terminal.error("\(git.spec): \(error)")
            throw ExitCode(2)
        }
        for e in snapshot.manifests.errors { Terminal.error(e.description) }
        let manifests = snapshot.manifests.manifests
        switch output {
        case .yaml:
            var text = "# \(snapshot.commit.id.short) \(snapshot.commit.summary)\n"
            for m in manifests {
                text += "---\n# Source: \(m.source)\n" + (try YAML.emit(m.object))
            }
            Terminal.out(text)
        case .json:
            let list: Value = ["apiVersion": "v1", "kind": "List", "items": .array(manifests.map(\.object))]
            Terminal.out(try JSON.serialize(list, style: .pretty(indent: 4)) + "\n")
        }
        if !snapshot.manifests.isValid { throw ExitCode(1) }
    }
}
