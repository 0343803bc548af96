import ArgumentParser
import ClusterSync
import Controller
import Foundation
import Kube
import Manifests
import Promotion
import Rollout
import Sync
import YAML

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show sync sources, ModelDeployment rollouts and ModelPipeline promotions.",
        discussion: """
            Without a name: every sync source (Synced or not, Healthy or not, at which commit) and every \
            ModelDeployment (versions, canary weight, phase). With the name of a ModelDeployment: its \
            rollout in detail — step, weight, each SLO's last value against its threshold, failed \
            versions and history. With the name of a ModelPipeline: each environment's version, state and \
            the gate holding it. With the name of a source: that source only. --watch redraws every second.
            """)

    @OptionGroup var kube: KubeOptions

    @Argument(help: "A ModelDeployment or a sync source.")
    var name: String?

    @Option(name: .shortAndLong, help: "Output: text or json.")
    var output: Diff.Format = .text

    @Flag(help: "Redraw every second until interrupted.")
    var watch = false

    func run() async throws {
        let client = try kube.client()
        defer { client.shutdown() }
        repeat {
            let text = try await render(client)
            if watch, Terminal.useColor() { Terminal.out("\u{1B}[H\u{1B}[2J") }
            Terminal.out(text)
            if watch { try await Task.sleep(for: .seconds(1)) }
        } while watch
    }

    /// What `sluice status` shows: ModelDeployments, ModelPipelines and the sources' inventories
    /// (with those that cannot be read, named).
    struct Listing {
        var models: [Value]
        var pipelines: [Value]
        var inventories: [Inventory]
        var unreadable: [String]
    }

    func render(_ client: KubeClient) async throws -> String {
        var listing = try await list(client)
        if let name {
            if let shown = try one(name, in: listing) { return shown }
            listing.models = []
            listing.pipelines = []
            listing.inventories = listing.inventories.filter { $0.source == name }
            if listing.inventories.isEmpty {
                Terminal.error("no ModelDeployment, ModelPipeline or sync source named \(name)")
                throw ExitCode(1)
            }
        }
        for i in listing.inventories.indices where listing.inventories[i].status != nil && listing.inventories[i].status?.sync != .failed {
            let syncer = Syncer(
                client: client, options: SyncOptions(source: listing.inventories[i].source, inventoryNamespace: kube.resolvedInventoryNamespace))
            let (health, message) = await syncer.assessHealth(listing.inventories[i].objects)
            listing.inventories[i].status?.health = health
            listing.inventories[i].status?.message = message
        }
        return output == .json ? try Self.json(listing) : Self.table(listing, inventoryNamespace: kube.resolvedInventoryNamespace)
    }

    func list(_ client: KubeClient) async throws -> Listing {
        var models: [Value]
        do {
            models = try await client.listAll(apiVersion: RolloutController.apiVersion, kind: RolloutController.kind, namespace: kube.namespace).items
        } catch let e as KubeError where e.reason == .unknownKind {
            models = []  // the ModelDeployment CRD is not installed: there are none
        }
        var pipelines: [Value]
        do {
            pipelines = try await client.listAll(apiVersion: PromotionController.apiVersion, kind: PromotionController.kind, namespace: kube.namespace).items
        } catch let e as KubeError where e.reason == .unknownKind {
            pipelines = []  // the ModelPipeline CRD is not installed: there are none
        }
        let inventoryMaps = try await client.listAll(
            apiVersion: "v1", kind: "ConfigMap", namespace: kube.resolvedInventoryNamespace, options: ListOptions(labelSelector: "\(Inventory.label)=true")
        ).items
        var listing = Listing(models: models, pipelines: pipelines, inventories: [], unreadable: [])
        for cm in inventoryMaps {
            do { listing.inventories.append(try Inventory(configMap: cm)) } catch { listing.unreadable.append("\(error)") }
        }
        return listing
    }

    /// The ModelDeployment or ModelPipeline called `name`, shown whole; nil when there is none.
    func one(_ name: String, in listing: Listing) throws -> String? {
        if let model = listing.models.first(where: { $0[path: ["metadata", "name"]]?.stringValue == name }) {
            if output == .json { return try JSON.serialize(model["status"] ?? .null, style: .pretty(indent: 2)) + "\n" }
            return ProgressView.render(model)
        }
        if let pipeline = listing.pipelines.first(where: { $0[path: ["metadata", "name"]]?.stringValue == name }) {
            if output == .json { return try JSON.serialize(pipeline["status"] ?? .null, style: .pretty(indent: 2)) + "\n" }
            return PipelineView.render(pipeline)
        }
        return nil
    }

    static func json(_ listing: Listing) throws -> String {
        let data = try JSONEncoder.pretty.encode(listing.inventories)
        let sources = try JSON.parse(Array(data))
        func entries(_ objects: [Value]) -> Value {
            .array(
                objects.map { ["name": $0["metadata"]?["name"] ?? .null, "namespace": $0["metadata"]?["namespace"] ?? .null, "status": $0["status"] ?? .null] })
        }
        return try JSON.serialize(
            ["sources": sources, "modelDeployments": entries(listing.models), "modelPipelines": entries(listing.pipelines)], style: .pretty(indent: 2))
            + "\n"
    }

    static func table(_ listing: Listing, inventoryNamespace: String) -> String {
        var out = ""
        let inventories = listing.inventories.sorted(by: { $0.source < $1.source })
        if inventories.isEmpty {
            out += "no sync sources in namespace \(inventoryNamespace)\n"
        } else {
            var rows = [["SOURCE", "SYNC", "HEALTH", "COMMIT", "OBJECTS", "LAST SYNC", "MESSAGE"]]
            for inv in inventories {
                let s = inv.status
                rows.append([
                    inv.source, s?.sync.rawValue ?? "Unknown", s?.health.rawValue ?? "Unknown", String((inv.commit ?? "-").prefix(7)),
                    String(inv.objects.count), s?.time ?? "-", s?.message ?? s?.commitMessage ?? "",
                ])
            }
            out += Table.render(rows)
            for inv in inventories {
                if let render = inv.status?.render { out += "\(inv.source) render: \(render)\n" }
            }
            for inv in listing.inventories where !(inv.status?.errors.isEmpty ?? true) {
                out += "\n\(inv.source) errors:\n" + inv.status!.errors.map { "  - \($0)\n" }.joined()
            }
        }
        for problem in listing.unreadable { out += "\n✗ \(problem)\n" }
        if !listing.models.isEmpty { out += "\n" + Table.render(modelRows(listing.models)) }
        if !listing.pipelines.isEmpty { out += "\n" + Table.render(PipelineView.rows(listing.pipelines)) }
        return out
    }

    static func modelRows(_ models: [Value]) -> [[String]] {
        var rows = [["MODELDEPLOYMENT", "VERSION", "STABLE", "CANARY", "WEIGHT", "PHASE", "MESSAGE"]]
        for m in models {
            let id = "\(m[path: ["metadata", "namespace"]]?.stringValue ?? "")/\(m[path: ["metadata", "name"]]?.stringValue ?? "")"
            let version = m[path: ["spec", "model", "version"]]?.stringValue ?? ""
            // A status that cannot be read is shown as such, never as an empty row.
            guard let s = try? ProgressView.status(of: m) else {
                rows.append([id, version, "?", "?", "?", Conditions.statusUnreadable, "status cannot be read: see sluice status NAME"])
                continue
            }
            rows.append([
                id, version, s.stableVersion ?? "-", s.canaryVersion ?? "-", s.canaryVersion == nil ? "-" : "\(s.canaryWeight)%", s.phase.rawValue, s.message,
            ])
        }
        return rows
    }
}

/// One ModelDeployment's rollout, as a person follows it.
enum ProgressView {
    static func name(of model: Value) -> String {
        "\(model[path: ["metadata", "namespace"]]?.stringValue ?? "")/\(model[path: ["metadata", "name"]]?.stringValue ?? "")"
    }

    static func status(of model: Value) throws -> RolloutStatus { try RolloutStatus.read(model["status"], of: name(of: model)) }

    static func render(_ model: Value) -> String {
        let name = name(of: model)
        var out = "ModelDeployment \(name)\n"
        let s: RolloutStatus
        do {
            s = try status(of: model)
        } catch {
            out += "  phase:    \(Conditions.statusUnreadable) — \(error)\n"
            out += "  Nothing that runs is changed while the status cannot be read. Fix the field, or remove the status\n"
            out += "  (kubectl patch mdep ... --subresource=status --type=json -p '[{\"op\":\"remove\",\"path\":\"/status\"}]')\n"
            out += "  and the controller rebuilds it from the Deployments it owns (docs/runbooks/rollback.md).\n"
            return out
        }
        // Display only: a spec that does not parse shows without what comes from it (the
        // controller reports the spec's errors in the status shown above).
        let spec = try? ModelDeploymentSpec.parse(model, policy: .unrestricted).get()
        out += "  phase:    \(s.phase.rawValue) — \(s.message)\n"
        out += "  git:      \(model[path: ["spec", "model", "version"]]?.stringValue ?? "?")\(s.sourceRevision.map { " (commit \($0.prefix(7)))" } ?? "")\n"
        out += "  stable:   \(s.stableVersion ?? "-")\n"
        if let canary = s.canaryVersion {
            out += "  canary:   \(canary)\n"
            let steps = spec?.steps ?? []
            let bar = steps.enumerated().map { i, w in i < s.step ? "[\(w)%]" : i == s.step ? "[\(w)%*]" : " \(w)% " }.joined(separator: "→")
            out += "  steps:    \(bar)\n"
            out += "  traffic:  \(progressBar(s.canaryWeight)) \(s.canaryWeight)% on \(canary)\n"
            if let spec {
                out +=
                    "  checks:   \(s.successfulChecks)/\(spec.minSuccessfulChecks) passed at this step, \(s.failedChecks)/\(spec.failureLimit) failures tolerated, \(s.consecutiveErrors)/\(spec.errorLimit) errors in a row\n"
            }
        }
        out += replicas(s)
        if let a = s.lastAnalysis { out += analysis(a) }
        if let i = s.inconclusive {
            out += "  inconclusive: \(i.version): \(i.reason)\(i.holding ? "" : " (started over, retry \(i.retries))")"
            if i.holding {
                out += i.retryAt.map { "; tried again from \($0.formatted(.iso8601)) once its queries answer" } ?? "; `sluice retry` tries it again"
            }
            out += "\n"
        }
        if !s.failedVersions.isEmpty {
            out += "  failed versions:\n"
            for f in s.failedVersions {
                out += "    \(f.version): \(f.reason)\n"
            }
        }
        if !s.history.isEmpty {
            out += "  history:\n"
            for h in s.history.suffix(8) { out += "    \(h.time.formatted(.iso8601))  \(h.version)  \(h.event)  \(h.message)\n" }
        }
        return out
    }

    /// An autoscaled model's versions, a line each: the Deployment's count and ready pods, its
    /// HPA's bounds and counts; and a hand-over in progress.
    static func replicas(_ s: RolloutStatus) -> String {
        guard let scaling = s.scaling else { return "" }
        var out = "  replicas:\n"
        for (role, v) in [("stable", scaling.stable), ("canary", scaling.canary), ("previous", scaling.previous)] {
            guard let v else { continue }
            var line = "    \(role) \(v.version): \(v.ready)/\(v.replicas) ready"
            if let min = v.minReplicas, let max = v.maxReplicas {
                line += min == max ? "; HPA pinned at \(min)" : "; HPA min \(min), max \(max)"
                if let current = v.currentReplicas, let desired = v.desiredReplicas { line += ", current \(current), desired \(desired)" }
            }
            out += line + "\n"
        }
        if let h = s.handover {
            out +=
                h.retired
                ? "  handover: from \(h.from) done; minimum \(h.replicas) until \(h.until.formatted(.iso8601))\n"
                : "  handover: \(h.from) serves until \(s.stableVersion ?? "the new version") has \(h.replicas) ready pods\n"
        }
        return out
    }

    /// The last analysis, a line per SLO.
    static func analysis(_ a: AnalysisRecord) -> String {
        var out = ""
        out += "  analysis at \(a.weight)% (\(a.time.formatted(.iso8601))):\n"
        for c in a.checks {
            let mark = c.outcome == .pass ? "✓" : c.outcome == .fail ? "✗" : "?"
            if c.evidence != nil {
                // Evidence-judged: the message states the estimate, its interval, the sample
                // size and what more a verdict needs.
                let verdict = c.outcome == .noData ? "Holding" : c.outcome.rawValue
                out += "    \(mark) \(c.slo): \(verdict) — \(c.message)\n"
                continue
            }
            let value = c.value.map { fmt($0) } ?? "-"
            let threshold = c.threshold.map { fmt($0) } ?? "-"
            out += "    \(mark) \(c.slo): \(value) (threshold \(threshold)) \(c.outcome.rawValue)\(c.outcome == .pass ? "" : " — \(c.message)")\n"
        }
        return out
    }

    static func progressBar(_ percent: Int) -> String {
        let filled = max(0, min(20, percent / 5))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "]"
    }

    static func fmt(_ d: Double) -> String {
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        return String(format: "%.4g", d)
    }
}
