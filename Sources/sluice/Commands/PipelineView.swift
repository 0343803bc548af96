import Foundation
import Promotion
import YAML

/// A ModelPipeline as `sluice status` shows it: what each environment runs and what holds it.
enum PipelineView {
    static func name(of pipeline: Value) -> String {
        "\(pipeline[path: ["metadata", "namespace"]]?.stringValue ?? "")/\(pipeline[path: ["metadata", "name"]]?.stringValue ?? "")"
    }

    static func render(_ pipeline: Value) -> String {
        let name = name(of: pipeline)
        var out = "ModelPipeline \(name)\n"
        let status: PipelineStatus
        do {
            status = try PipelineStatus.read(pipeline["status"], of: name)
        } catch {
            return out + "  status cannot be read — \(error); the controller holds every promotion of this pipeline until it can\n"
        }
        if let error = status.error { out += "  ✗ \(error)\n" }
        if let r = status.registry {
            out += "  registry: \(r.reachable ? "candidate \(r.candidate ?? "-")" : "unreachable")\(r.message.isEmpty ? "" : " — \(r.message)")\n"
        }
        var rows = [["ENVIRONMENT", "GIT", "STABLE", "PHASE", "STATE", "GATE", "PENDING", "MESSAGE"]]
        for e in status.environments {
            rows.append([e.name, e.version ?? "-", e.stable ?? "-", e.phase ?? "-", e.state.rawValue, e.gate?.rawValue ?? "-", e.pending ?? "-", e.message])
        }
        out += Table.render(rows).split(separator: "\n").map { "  \($0)\n" }.joined()
        if !status.reviews.isEmpty {
            out +=
                "  waiting for review:\n"
                + status.reviews.map { "    \($0.environment) \($0.version): branch \($0.branch) (\($0.commit.prefix(12)))\n" }.joined()
        }
        return out
    }

    /// One row per pipeline for the overview.
    static func rows(_ pipelines: [Value]) -> [[String]] {
        var rows = [["MODELPIPELINE", "CANDIDATE", "ENVIRONMENTS", "WAITING"]]
        for p in pipelines {
            guard let s = try? PipelineStatus.read(p["status"], of: name(of: p)) else {
                rows.append([name(of: p), "?", "?", "status cannot be read: see sluice status NAME"])
                continue
            }
            rows.append([name(of: p), s.registry?.candidate ?? "-", s.summary.isEmpty ? "-" : s.summary, s.waiting ?? s.error ?? "-"])
        }
        return rows
    }
}
