import ArgumentParser
import ClusterSync
import Foundation
import Kube
import Sync
import YAML

struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a sync would change, like kubectl diff.",
        discussion: """
            Dry-runs a server-side apply of every desired object (field manager sluice, forced) and \
            compares the server's answer with the live object, ignoring what the server owns \
            (managedFields, resourceVersion, uid, generation, creationTimestamp, status). Objects \
            this source applied before and that left git show as pruned. Secret values are never \
            printed. Nothing in the cluster changes.

            Exit status: 0 no differences, 1 differences, 2 or more an error (as kubectl diff).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var desired: DesiredStateOptions
    @OptionGroup var kube: KubeOptions
    @OptionGroup var lane: LaneOptions

    @Option(name: .shortAndLong, help: "Output: text (unified diffs) or json (a plan for CI).")
    var output: Format = .text

    @Option(help: "Dry runs in flight at once.")
    var concurrency = 16

    @Flag(inversion: .prefixedNo, help: "Show objects that would be pruned.")
    var prune = true

    func run() async throws {
        let client: KubeClient
        do {
            client = try kube.client(concurrency: concurrency)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(2)
        }
        defer { client.shutdown() }
        let loaded: DesiredStateOptions.Loaded
        do {
            loaded = try await desired.load(for: client)
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(2)
        }
        for e in loaded.manifests.errors { Terminal.error(e.description) }
        var options = SyncOptions(source: desired.name, inventoryNamespace: kube.resolvedInventoryNamespace, concurrency: concurrency, prune: prune)
        lane.apply(to: &options)
        let syncer = Syncer(client: client, options: options)
        let plan = await syncer.plan(loaded.manifests.manifests, revision: loaded.commit?.id.hex).withLoadErrors(loaded.manifests.errors)
        switch output {
        case .text: Terminal.out(PlanRenderer.text(plan, color: Terminal.useColor()))
        case .json: Terminal.out(try JSON.serialize(PlanRenderer.json(plan, commit: loaded.commit?.id.hex), style: .pretty(indent: 2)) + "\n")
        }
        if plan.hasErrors { throw ExitCode(2) }
        if plan.hasChanges { throw ExitCode(1) }
    }
}
