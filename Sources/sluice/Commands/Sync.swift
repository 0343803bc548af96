import ArgumentParser
import ClusterSync
import Foundation
import Kube
import Rollout
import Sync
import YAML

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Apply desired state from git (or a directory) to the cluster.",
        discussion: """
            Server-side applies every object (field manager sluice, forced) in dependency order — \
            namespaces and CustomResourceDefinitions first, waiting for CRDs to be Established — \
            then prunes objects this source applied before and that left git. Every applied object \
            is labelled app.kubernetes.io/managed-by=sluice and annotated sluice.dev/source=NAME; \
            the inventory and the source's status are kept in a ConfigMap. An object annotated \
            sluice.dev/prune=disabled is never deleted.

            Nothing is applied when any file fails to parse or any object fails its dry run; \
            nothing is pruned when anything fails to apply. A commit with no objects does not \
            prune everything unless --allow-empty is given.

            With --once, syncs one time and exits (0 synced, 1 not). Without it, keeps syncing: \
            polling git every --interval, on webhook pushes (see --listen), and whenever a managed \
            object drifts.
            """)

    @OptionGroup var desired: DesiredStateOptions
    @OptionGroup var kube: KubeOptions
    @OptionGroup var loop: LoopOptions
    @OptionGroup var lane: LaneOptions

    @Flag(help: "Sync once and exit.")
    var once = false

    @Flag(inversion: .prefixedNo, help: "Delete objects that left git.")
    var prune = true

    @Flag(help: "Allow a source with no objects to prune everything it applied before.")
    var allowEmpty = false

    @Option(help: "Applies in flight at once.")
    var concurrency = 16

    @Option(help: "With --once, wait this long (e.g. 60s) for applied workloads to become healthy.")
    var wait: DurationArgument?

    func run() async throws {
        let cluster: ClusterConfig
        do {
            cluster = try kube.config()
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(2)
        }
        var options = SyncOptions(
            source: desired.name, inventoryNamespace: kube.resolvedInventoryNamespace, concurrency: concurrency, prune: prune, allowEmpty: allowEmpty)
        lane.apply(to: &options)
        if !once {
            try await SyncLoopCommand.run(desired: desired, kube: kube, cluster: cluster, options: options, loop: loop)
            return
        }
        let client = KubeClient(config: cluster, maxConnections: max(4, concurrency))
        defer { client.shutdown() }
        let loaded: DesiredStateOptions.Loaded
        do {
            loaded = try await desired.load(for: client)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(2)
        }
        let syncer = Syncer(client: client, options: options)
        let plan = await syncer.plan(loaded.manifests.manifests, revision: loaded.commit?.id.hex).withLoadErrors(loaded.manifests.errors)
        let result = await syncer.apply(
            plan, commit: loaded.commit.map(CommitSummary.init), url: desired.git.repo.map { _ in desired.git.spec.description }, path: desired.git.path)
        for ref in result.applied { Terminal.out("\(ref) applied\n") }
        for ref in result.pruned { Terminal.out("\(ref) pruned\n") }
        for e in result.status.errors { Terminal.error(e) }
        var status = result.status
        if let wait, status.sync == .synced {
            let deadline = Date().addingTimeInterval(wait.seconds)
            while status.health == .progressing || status.health == .missing, Date() < deadline {
                try await Task.sleep(for: .milliseconds(250))
                let (h, m) = await syncer.assessHealth(loaded.manifests.manifests.map { $0.reference })
                status.health = h
                status.message = m
            }
        }
        Terminal.out("source \(options.source): \(status.sync.rawValue), \(status.health.rawValue)\(status.message.map { " (\($0))" } ?? "")\n")
        if status.sync != .synced { throw ExitCode(1) }
    }
}

/// A duration on the command line, written as in specs and settings (`500ms`, `30s`, `1m30s`,
/// `2h`, or plain seconds): the one parser is `DurationText`.
struct DurationArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    var seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        guard let d = DurationText.parse(argument), d >= 0 else { return nil }
        seconds = d
    }

    var description: String { DurationText.format(seconds) }
}
