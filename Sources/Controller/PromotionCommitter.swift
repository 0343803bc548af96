public import DesiredState
import Foundation
public import Manifests
public import Rollout
import Sync
public import YAML

/// Writes a promotion to git: the downstream environment's ModelDeployment gets the promoted
/// version, image and URI, and nothing else in its file changes.
public protocol PromotionCommitter: Sendable {
    /// `target` is the environment's ModelDeployment, `object` as the cluster has it. The commit
    /// goes through the pipeline's own source, and only into an object that source applied.
    /// Returns the commit id, or nil when git already names the version there (a promotion
    /// committed before, not yet synced to the cluster).
    func commit(pipeline: ObjectReference, target: ObjectReference, object: Value, fields: ModelVersionFields, message: String, pushTo branch: String?)
        async throws -> String?
}

/// Commits through the git sources of this controller, as reverts do. Which source and file
/// come from the inventories and the source's commit (`SourceOwnership`), never from the
/// target's annotations.
public struct GitPromotionCommitter: PromotionCommitter {
    let ownership: SourceOwnership

    public init(ownership: SourceOwnership) { self.ownership = ownership }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func commit(
        pipeline: ObjectReference, target: ObjectReference, object: Value, fields: ModelVersionFields, message: String, pushTo branch: String?
    ) async throws -> String? {
        guard let own = try await ownership.owner(of: pipeline) else {
            throw Failure(
                description:
                    "ModelPipeline \(pipeline.namespace ?? "")/\(pipeline.name) was not applied by a git source of this controller: it promotes nothing")
        }
        let located = try await ownership.locate(target)
        guard located.source == own else {
            throw Failure(
                description:
                    "ModelDeployment \(target.namespace ?? "")/\(target.name) comes from source \(located.source), not from the pipeline's source \(own): a pipeline promotes only into objects of its own source"
            )
        }
        let path = located.file
        if RenderedSource.isRendered(path) {
            throw Failure(description: "\(path) is rendered (Kustomize or Helm): promotions edit plain ModelDeployment files; change it by hand")
        }
        let name = target.name
        let commit = try await located.git.commitEdit(
            path: path, message: message, pushTo: branch, edit: { text in try ModelVersionEdit.apply(text, name: name, file: path, to: fields) })
        return commit?.hex
    }
}
