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

    func render(_ client: KubeClient) async throws -> String {
        let modelNamespace = kube.namespace
        var models: [Value]
        do {
            models = try await client.listAll(apiVersion: RolloutController.apiVersion, kind: RolloutController.kind, namespace: modelNamespace).items
        } catch let e as KubeError where e.reason == .unknownKind {
            models = []  // the ModelDeployment CRD is not installed: there are none
        }
        var pipelines: [Value]
        do {
            pipelines = try await client.listAll(apiVersion: PromotionController.apiVersion, kind: PromotionController.kind, namespace: modelNamespace).items
        } catch let e as KubeError where e.reason == .unknownKind {
            pipelines = []  // the ModelPipeline CRD is not installed: there are none
        }
        let inventoryMaps = try await client.listAll(
            apiVersion: "v1", kind: "ConfigMap", namespace: kube.resolvedInventoryNamespace, options: ListOptions(labelSelector: "\(Inventory.label)=true")
        ).items
        var unreadable: [String] = []
        var inventories: [Inventory] = []
        for cm in inventoryMaps {
            do { inventories.append(try Inventory(configMap: cm)) } catch { unreadable.append("\(error)") }
        }
        if let name {
            if let model = models.first(where: { $0[path: ["metadata", "name"]]?.stringValue == name }) {
                if output == .json { return try JSON.serialize(model["status"] ?? .null, style: .pretty(indent: 2)) + "\n" }
                return ProgressView.render(model)
            }
            if let pipeline = pipelines.first(where: { $0[path: ["metadata", "name"]]?.stringValue == name }) {
                if output == .json { return try JSON.serialize(pipeline["status"] ?? .null, style: .pretty(indent: 2)) + "\n" }
                return PipelineView.render(pipeline)
            }
            models = []
            pipelines = []
            inventories = inventories.filter { $0.source == name }
            if inventories.isEmpty {
                Terminal.error("no ModelDeployment, ModelPipeline or sync source named \(name)")
                throw ExitCode(1)
            }
        }
        for i in inventories.indices where inventories[i].status != nil && inventories[i].status?.sync != .failed {
            let syncer = Syncer(client: client, options: SyncOptions(source: inventories[i].source, inventoryNamespace: kube.resolvedInventoryNamespace))
            let (health, message) = await syncer.assessHealth(inventories[i].objects)
            inventories[i].status?.health = health
            inventories[i].status?.message = message
        }
        if output == .json {
            let data = try JSONEncoder.pretty.encode(inventories)
            let sources = try JSON.parse(Array(data))
            return try JSON.serialize(
                [
                    "sources": sources,
                    "modelDeployments": .array(
                        models.map {
                            ["name": $0["metadata"]?["name"] ?? .null, "namespace": $0["metadata"]?["namespace"] ?? .null, "status": $0["status"] ?? .null]
                        }),
                    "modelPipelines": .array(
                        pipelines.map {
                            ["name": $0["metadata"]?["name"] ?? .null, "namespace": $0["metadata"]?["namespace"] ?? .null, "status": $0["status"] ?? .null]
                        }),
                ], style: .pretty(indent: 2)) + "\n"
        }
        var out = ""
        if inventories.isEmpty {
            out += "no sync sources in namespace \(kube.resolvedInventoryNamespace)\n"
        } else {
            var rows = [["SOURCE", "SYNC", "HEALTH", "COMMIT", "OBJECTS", "LAST SYNC", "MESSAGE"]]
            for inv in inventories.sorted(by: { $0.source < $1.source }) {
                let s = inv.status
                rows.append([
                    inv.source, s?.sync.rawValue ?? "Unknown", s?.health.rawValue ?? "Unknown", String((inv.commit ?? "-").prefix(7)),
                    String(inv.objects.count), s?.time ?? "-", s?.message ?? s?.commitMessage ?? "",
                ])
            }
            out += Table.render(rows)
            for inv in inventories.sorted(by: { $0.source < $1.source }) {
                if let render = inv.status?.render { out += "\(inv.source) render: \(render)\n" }
            }
            for inv in inventories where !(inv.status?.errors.isEmpty ?? true) {
                out += "\n\(inv.source) errors:\n" + inv.status!.errors.map { "  - \($0)\n" }.joined()
            }
        }
        for problem in unreadable { out += "\n✗ \(problem)\n" }
        if !models.isEmpty {
            var rows = [["MODELDEPLOYMENT", "VERSION", "STABLE", "CANARY", "WEIGHT", "PHASE", "MESSAGE"]]
            for m in models {
                let ns = m[path: ["metadata", "namespace"]]?.stringValue ?? ""
                // A status that cannot be read is shown as such, never as an empty row.
                guard let s = try? ProgressView.status(of: m) else {
                    rows.append([
                        "\(ns)/\(m[path: ["metadata", "name"]]?.stringValue ?? "")", m[path: ["spec", "model", "version"]]?.stringValue ?? "", "?", "?", "?",
                        Conditions.statusUnreadable, "status cannot be read: see sluice status NAME",
                    ])
                    continue
                }
                rows.append([
                    "\(ns)/\(m[path: ["metadata", "name"]]?.stringValue ?? "")", m[path: ["spec", "model", "version"]]?.stringValue ?? "",
                    s.stableVersion ?? "-", s.canaryVersion ?? "-", s.canaryVersion == nil ? "-" : "\(s.canaryWeight)%", s.phase.rawValue, s.message,
                ])
            }
            out += "\n" + Table.render(rows)
        }
        if !pipelines.isEmpty { out += "\n" + Table.render(PipelineView.rows(pipelines)) }
        return out
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
        if let a = s.lastAnalysis {
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
        }
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

    static func progressBar(_ percent: Int) -> String {
        let filled = max(0, min(20, percent / 5))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "]"
    }

    static func fmt(_ d: Double) -> String {
        if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
        return String(format: "%.4g", d)
    }
}
