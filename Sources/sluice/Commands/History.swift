import ArgumentParser
import CommitSigning
import Controller
import DesiredState
import Foundation
import Kube
import Manifests
import Promotion
import Rollout
import YAML

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Every version's path through a pipeline's environments: registered, deployed, verdicts, approvals, promotions, rollbacks.",
        discussion: """
            Read from the ModelPipeline's audit trail (each promotion with its commit id) and from each \
            environment's ModelDeployment status (canaries, verdicts with the SLO values that decided \
            them, rollbacks). The status keeps the last 50 events; with --repo and --trusted-signer (the \
            public half of the controller's --commit-signing-key), every promotion commit in the \
            repository's history is listed too, read through its trailers: only commits that key \
            signed count, so nobody with push access can write a promotion or an approval into the \
            history. Versions newest first; each version's events oldest first.
            """)

    @OptionGroup var pipeline: PipelineOptions

    @OptionGroup var git: GitOptions

    @Option(help: "How many commits of --repo to read.")
    var commits = 1000

    @Option(
        help: ArgumentHelp(
            "The controller's commit-signing public key (a .pub or allowed_signers file): only commits it signed are read from --repo.",
            valueName: "file"))
    var trustedSigner: String?

    struct Event: Sendable {
        var time: Date
        var environment: String
        var version: String
        var event: String
        var commit: String?
        var message: String
    }

    func run() async throws {
        let client = try pipeline.kube.client()
        defer { client.shutdown() }
        let (ref, object, spec, status) = try await pipeline.current(client)
        var events = status.history.map {
            Event(time: $0.time, environment: $0.environment, version: $0.version, event: $0.event, commit: $0.commit, message: $0.message)
        }
        for a in try PipelineApprovals.read(object["status"], of: "\(ref.namespace ?? "")/\(ref.name)") {
            events.append(
                Event(
                    time: a.at, environment: a.environment, version: a.version, event: "Approved",
                    message: "approved by \(a.by)\(a.image.map { " (\($0))" } ?? "")"))
        }
        for env in spec.environments {
            let mdRef = ObjectReference(
                apiVersion: RolloutController.apiVersion, kind: RolloutController.kind, namespace: env.namespace, name: env.modelDeployment)
            guard let md = try await client.getIfExists(mdRef) else { continue }
            let rollout: RolloutStatus
            do {
                rollout = try RolloutStatus.read(md["status"], of: "\(env.namespace)/\(env.modelDeployment)")
            } catch {
                Terminal.error("\(error): \(env.name)'s part of the history is left out")
                continue
            }
            for h in rollout.history {
                events.append(Event(time: h.time, environment: env.name, version: h.version, event: "canary \(h.event)", message: h.message))
            }
            for f in rollout.failedVersions {
                var verdict = f.reason
                if let slo = f.slo {
                    verdict = "\(slo) = \(f.value.map { Self.number($0) } ?? "?") (bound \(f.threshold.map { Self.number($0) } ?? "?")): \(f.reason)"
                }
                events.append(Event(time: f.time, environment: env.name, version: f.version, event: "verdict Failed", message: verdict))
            }
        }
        if git.repo != nil {
            guard let trustedSigner else {
                throw ValidationError("--repo needs --trusted-signer: a commit's trailers are believed only when the controller's key signed it")
            }
            // Unreadable is an error (below), not "no trusted signer".
            guard let text = try? String(contentsOfFile: trustedSigner, encoding: .utf8) else {
                throw ValidationError("--trusted-signer: cannot read \(trustedSigner)")
            }
            let keys = SSHPublicKey.all(in: text)
            guard !keys.isEmpty else { throw ValidationError("--trusted-signer \(trustedSigner): no ssh-ed25519 key in it") }
            events += try await Self.promotionCommits(
                git, pipeline: "\(ref.namespace ?? "")/\(ref.name)", limit: commits, known: events, trust: TrustedCommits(keys: keys))
        }
        Terminal.out(Self.render(events, title: "ModelPipeline \(ref.namespace ?? "")/\(ref.name): \(spec.environments.map(\.name).joined(separator: " → "))"))
    }

    static func number(_ d: Double) -> String { String(format: "%.4g", d) }

    /// The pipeline's promotion commits in git (by their trailers), those the status does not
    /// already list.
    static func promotionCommits(_ git: GitOptions, pipeline: String, limit: Int, known: [Event], trust: TrustedCommits) async throws -> [Event] {
        let source = try await git.source()
        try await source.fetch()
        let seen = Set(known.compactMap(\.commit))
        var out: [Event] = []
        var ignored = 0
        for commit in try await source.log(limit: limit) where !seen.contains(commit.id.hex) {
            let trailers = PromotionMessage.trailers(of: commit.message)
            guard trailers[PromotionMessage.Trailer.pipeline] == pipeline, let env = trailers[PromotionMessage.Trailer.environment],
                let version = trailers[PromotionMessage.Trailer.version]
            else { continue }
            guard trust.verdict(try await source.signature(of: commit.id)) == .trusted else {
                ignored += 1
                continue
            }
            var message = commit.summary
            if let by = trailers[PromotionMessage.Trailer.approvedBy] { message += "; approved by \(by)" }
            out.append(Event(time: commit.time, environment: env, version: version, event: "Committed", commit: commit.id.hex, message: message))
        }
        if ignored > 0 {
            Terminal.warning(
                "\(ignored) commit(s) carry this pipeline's trailers without the trusted signature: left out (anyone who can push can write trailers)")
        }
        return out
    }

    /// Grouped by version, newest version first (by its first event); within one, oldest first.
    static func render(_ events: [Event], title: String) -> String {
        var out = title + "\n"
        let byVersion = Dictionary(grouping: events.filter { !$0.version.isEmpty }, by: \.version)
        let order = byVersion.keys.sorted { (byVersion[$0]!.map(\.time).min()!, $0) > (byVersion[$1]!.map(\.time).min()!, $1) }
        if order.isEmpty { out += "\nno history yet\n" }
        for version in order {
            out += "\nversion \(version)\n"
            var rows: [[String]] = []
            for e in byVersion[version]!.sorted(by: { $0.time < $1.time }) {
                rows.append([e.time.formatted(Date.ISO8601FormatStyle()), e.environment, e.event, e.commit.map { String($0.prefix(12)) } ?? "-", e.message])
            }
            out += Table.render(rows).split(separator: "\n").map { "  \($0)\n" }.joined()
        }
        return out
    }
}
