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

    func annotate(_ annotations: [String: String]) async throws -> Value {
        let client = try kube.client()
        defer { client.shutdown() }
        let ref = ObjectReference(apiVersion: RolloutController.apiVersion, kind: RolloutController.kind, namespace: kube.namespace ?? client.defaultNamespace, name: name)
        guard let current = try await client.getIfExists(ref) else {
            Terminal.error("ModelDeployment \(ref.namespace ?? "")/\(name) not found")
            throw ExitCode(1)
        }
        var patch = Value.emptyObject
        for (k, v) in annotations { patch[k] = .string(v) }
        _ = try await client.mergePatch(ref, ["metadata": ["annotations": patch]], fieldManager: "sluice-cli")
        return current
    }

    static func requestID() -> String { "\(Int(Date().timeIntervalSince1970 * 1000))-\(UUID().uuidString.prefix(6).lowercased())" }
}

struct Promote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Let a canary past its gate, or with --full promote it now.")

    @OptionGroup var request: RolloutRequestOptions

    @Flag(help: "Skip the remaining steps and analysis: make the canary stable now.")
    var full = false

    func run() async throws {
        let key = full ? RolloutCommandAnnotation.promoteFull : RolloutCommandAnnotation.promote
        let current = try await request.annotate([key: RolloutRequestOptions.requestID()])
        let status = RolloutStatus(status: current["status"])
        guard let canary = status.canaryVersion else {
            Terminal.out("\(request.name) has no canary in progress (phase \(status.phase.rawValue)); the request will apply to the next one\n")
            return
        }
        Terminal.out(full ? "promoting \(canary) of \(request.name) now\n" : "approved the gate at \(status.stepWeight)% for \(canary) of \(request.name)\n")
    }
}

struct Abort: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Roll a canary back now: traffic returns to the stable version, and the version is not retried until git names another one (or sluice retry).")

    @OptionGroup var request: RolloutRequestOptions

    func run() async throws {
        let current = try await request.annotate([RolloutCommandAnnotation.abort: RolloutRequestOptions.requestID()])
        let status = RolloutStatus(status: current["status"])
        Terminal.out(status.canaryVersion.map { "aborting canary \($0) of \(request.name)\n" } ?? "\(request.name) has no canary in progress\n")
    }
}

struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Allow a version that failed to be rolled out again.")

    @OptionGroup var request: RolloutRequestOptions

    @Option(help: "The version to retry (default: the version git names).")
    var version: String?

    func run() async throws {
        let client = try request.kube.client()
        let ref = ObjectReference(apiVersion: RolloutController.apiVersion, kind: RolloutController.kind, namespace: request.kube.namespace ?? client.defaultNamespace, name: request.name)
        let object = try await client.getIfExists(ref)
        client.shutdown()
        guard let v = version ?? object?[path: ["spec", "model", "version"]]?.stringValue else {
            Terminal.error("ModelDeployment \(request.name) not found")
            throw ExitCode(1)
        }
        _ = try await request.annotate([RolloutCommandAnnotation.retry: "\(v)@\(RolloutRequestOptions.requestID())"])
        Terminal.out("version \(v) of \(request.name) may be rolled out again\n")
    }
}
