public import DesiredState
import Foundation
public import Rollout
import Sync
public import YAML

/// Writes a promotion to git: the downstream environment's ModelDeployment gets the promoted
/// version, image and URI, and nothing else in its file changes.
public protocol PromotionCommitter: Sendable {
    /// `object` is the environment's ModelDeployment as the cluster has it (its annotations say
    /// which source and file it came from). Returns the commit id, or nil when git already names
    /// the version there (a promotion committed before, not yet synced to the cluster).
    func commit(object: Value, fields: ModelVersionFields, message: String, pushTo branch: String?) async throws -> String?
}

/// Commits through the git sources of this controller, as reverts do.
public struct GitPromotionCommitter: PromotionCommitter {
    let sources: [String: GitSource]

    public init(sources: [String: GitSource]) { self.sources = sources }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func commit(object: Value, fields: ModelVersionFields, message: String, pushTo branch: String?) async throws -> String? {
        let annotations = object[path: ["metadata", "annotations"]]
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        guard let sourceName = annotations?[Ownership.sourceAnnotation]?.stringValue, let git = sources[sourceName] else {
            throw Failure(description: "ModelDeployment \(name) was not applied by a git source of this controller: nothing to commit to")
        }
        guard let path = annotations?[Ownership.sourcePathAnnotation]?.stringValue else {
            throw Failure(description: "ModelDeployment \(name) has no \(Ownership.sourcePathAnnotation) annotation")
        }
        if RenderedSource.isRendered(path) {
            throw Failure(description: "\(path) is rendered (Kustomize or Helm): promotions edit plain ModelDeployment files; change it by hand")
        }
        let commit = try await git.commitEdit(
            path: path, message: message, pushTo: branch, edit: { text in try ModelVersionEdit.apply(text, name: name, file: path, to: fields) })
        return commit?.hex
    }
}
