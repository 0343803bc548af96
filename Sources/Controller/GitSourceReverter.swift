public import DesiredState
import Foundation
public import Logging
import Manifests
public import Rollout
public import Sync
public import YAML

/// Commits the revert of a failed model version to the git source the ModelDeployment came
/// from, so git and the cluster agree again after a rollback.
public struct GitSourceReverter: GitReverter {
    let ownership: SourceOwnership
    let logger: Logger

    public init(ownership: SourceOwnership, logger: Logger) {
        self.ownership = ownership
        self.logger = logger
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func revert(object: Value, request: RevertRequest) async throws -> String {
        // The source and file come from the inventories and the source's commit, not from the
        // object's annotations (which whoever can patch it could point elsewhere).
        let ref = ObjectReference(
            apiVersion: object["apiVersion"]?.stringValue ?? "", kind: object["kind"]?.stringValue ?? "",
            namespace: object[path: ["metadata", "namespace"]]?.stringValue, name: object[path: ["metadata", "name"]]?.stringValue ?? "")
        let located = try await ownership.locate(ref)
        let git = located.git
        let path = located.file
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
