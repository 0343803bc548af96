public import DesiredState
import Foundation
public import Logging
public import Rollout
public import Sync
public import YAML

/// Commits the revert of a failed model version to the git source the ModelDeployment came
/// from, so git and the cluster agree again after a rollback.
public struct GitSourceReverter: GitReverter {
    let sources: [String: GitSource]
    let logger: Logger

    public init(sources: [String: GitSource], logger: Logger) {
        self.sources = sources
        self.logger = logger
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func revert(object: Value, request: RevertRequest) async throws -> String {
        let annotations = object[path: ["metadata", "annotations"]]
        guard let sourceName = annotations?[Ownership.sourceAnnotation]?.stringValue, let git = sources[sourceName] else {
            throw Failure(description: "the ModelDeployment was not applied by a git source of this controller")
        }
        guard let path = annotations?[Ownership.sourcePathAnnotation]?.stringValue else {
            throw Failure(description: "the ModelDeployment has no \(Ownership.sourcePathAnnotation) annotation")
        }
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        let target = request.stable
        let message = """
            Revert \(name) to model version \(target.version)

            Sluice rolled back canary \(request.failedVersion): \(request.reason).
            This commit restores the stable version so git matches the cluster.
            """
        // A rendered ModelDeployment: its version comes from an overlay's patch, an `images:`
        // entry or a values file; GitSource edits it only where that is unambiguous, and checks
        // the edit by rendering it.
        if RenderedSource.isRendered(path) {
            let model = object[path: ["spec", "model"]]
            let failed = ModelVersionFields(
                version: model?["version"]?.stringValue ?? request.failedVersion, image: model?["image"]?.stringValue ?? "", uri: model?["uri"]?.stringValue)
            do {
                let commit = try await git.revertRendered(
                    kind: "ModelDeployment", name: name, failed: failed,
                    stable: ModelVersionFields(version: target.version, image: target.image, uri: target.uri),
                    message: message)
                return commit.hex
            } catch let refused as RenderedRevertRefused {
                throw Failure(description: "\(path): \(refused.description); git was not changed: revert the commit that set the failed version yourself")
            }
        }
        guard
            let commit = try await git.commitEdit(
                path: path, message: message,
                edit: { text in
                    try ModelVersionEdit.apply(text, name: name, file: path, to: target)
                })
        else {
            throw Failure(description: "\(path) already names \(target.version)")
        }
        return commit.hex
    }
}
