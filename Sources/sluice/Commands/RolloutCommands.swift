import ArgumentParser
import Controller
import Foundation
import Kube
import Manifests
import Rollout
import YAML

/// Asks the controller to act on a ModelDeployment by annotating it; the controller acts once
/// per request and records what it did in the status.
struct RolloutRequestOptions: ParsableArguments {
    @OptionGroup var kube: KubeOptions

    @Argument(help: "The ModelDeployment.")
    var name: String

    /// The ModelDeployment and its status. A status that cannot be read is an error: a request
    /// made on a guess about the rollout's state is worse than none.
    func current(_ client: KubeClient) async throws -> (ref: ObjectReference, object: Value, status: RolloutStatus) {
        let ref = ObjectReference(
            apiVersion: RolloutController.apiVersion, kind: RolloutController.kind, namespace: kube.namespace ?? client.defaultNamespace, name: name)
        guard let object = try await client.getIfExists(ref) else {
            Terminal.error("ModelDeployment \(ref.namespace ?? "")/\(name) not found")
            throw ExitCode(1)
        }
        do {
            return (ref, object, try RolloutStatus.read(object["status"], of: "\(ref.namespace ?? "")/\(name)"))
        } catch {
            Terminal.error("\(error)")
            throw ExitCode(2)
        }
    }

    func annotate(_ client: KubeClient, _ ref: ObjectReference, _ annotations: [String: String]) async throws {
        var patch = Value.emptyObject
        for (k, v) in annotations { patch[k] = .string(v) }
        _ = try await client.mergePatch(ref, ["metadata": ["annotations": patch]], fieldManager: "sluice-cli")
    }

    /// A canary must be in flight for promote and abort: the controller drops a request that
    /// arrives with none (it is marked handled), so the command refuses instead of pretending.
    func requireCanary(_ status: RolloutStatus, to verb: String) throws -> String {
        guard let canary = status.canaryVersion, status.phase == .progressing || status.phase == .paused else {
            Terminal.error("\(name) has no canary in progress (phase \(status.phase.rawValue)): nothing to \(verb)")
            throw ExitCode(1)
        }
        return canary
    }

    static func requestID() -> String { "\(Int(Date().timeIntervalSince1970 * 1000))-\(UUID().uuidString.prefix(6).lowercased())" }
}

struct Promote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Let a canary past its gate, or with --full promote it now.")

    @OptionGroup var request: RolloutRequestOptions

    @Flag(help: "Skip the remaining steps and analysis: make the canary stable now.")
    var full = false

    func run() async throws {
        let client = try request.kube.client()
        defer { client.shutdown() }
        let (ref, _, status) = try await request.current(client)
        let canary = try request.requireCanary(status, to: "promote")
        try await request.annotate(
            client, ref, [full ? RolloutCommandAnnotation.promoteFull : RolloutCommandAnnotation.promote: RolloutRequestOptions.requestID()])
        Terminal.out(full ? "promoting \(canary) of \(request.name) now\n" : "approved the gate at \(status.stepWeight)% for \(canary) of \(request.name)\n")
    }
}

struct Abort: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Roll a canary back now: traffic returns to the stable version, and the version is not retried until git names another one (or sluice retry)."
    )

    @OptionGroup var request: RolloutRequestOptions

    func run() async throws {
        let client = try request.kube.client()
        defer { client.shutdown() }
        let (ref, _, status) = try await request.current(client)
        let canary = try request.requireCanary(status, to: "abort")
        try await request.annotate(client, ref, [RolloutCommandAnnotation.abort: RolloutRequestOptions.requestID()])
        Terminal.out("aborting canary \(canary) of \(request.name)\n")
    }
}

struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Allow a version that failed to be rolled out again.")

    @OptionGroup var request: RolloutRequestOptions

    @Option(help: "The version to retry (default: the version git names).")
    var version: String?

    func run() async throws {
        let client = try request.kube.client()
        defer { client.shutdown() }
        let (ref, object, status) = try await request.current(client)
        guard let v = version ?? object[path: ["spec", "model", "version"]]?.stringValue else {
            Terminal.error("ModelDeployment \(request.name) names no version")
            throw ExitCode(1)
        }
        guard status.isFailed(v) else {
            Terminal.error("version \(v) of \(request.name) has not failed: nothing to retry")
            throw ExitCode(1)
        }
        try await request.annotate(client, ref, [RolloutCommandAnnotation.retry: "\(v)@\(RolloutRequestOptions.requestID())"])
        Terminal.out("version \(v) of \(request.name) may be rolled out again\n")
    }
}
