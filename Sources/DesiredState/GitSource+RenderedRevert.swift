import Foundation
public import Git
import ManifestLoading
import Manifests
import Rendering
public import Rollout
import YAML

/// Why a rendered ModelDeployment was not reverted in git.
public struct RenderedRevertRefused: Error, CustomStringConvertible {
    public var description: String
}

extension GitSource {
    /// Reverts a rendered ModelDeployment's version in the one file of this source that sets
    /// it: an overlay's kustomization or patch, or one of the Helm values files. The edit is
    /// made only when it is unambiguous, and checked before it is committed: the edited commit
    /// must render the ModelDeployment at the stable version and every other object exactly as
    /// before. Anything else is refused, and git is left as it is.
    public func revertRendered(
        kind: String, name: String, failed: ModelVersionFields, stable: ModelVersionFields, message: String,
        author: (name: String, email: String) = ("Sluice", "sluice@localhost")
    ) throws -> ObjectID {
        let mirror = try openMirrorForWrite()
        try mirror.fetch()
        let branch = try mirror.branchName(spec.ref)
        let head = try mirror.resolve(spec.ref)
        let mode = try renderMode(head)
        guard mode == .kustomize || mode == .helm else { throw RenderedRevertRefused(description: "\(spec) is not rendered at \(head.short)") }
        // Only the candidates are read into memory; the renders below stream the tree.
        let candidates = try mirror.files(at: head, under: "", limits: limits.tree, include: { isRevertCandidate($0, mode: mode) })
        let holding = candidates.filter { String(decoding: $0.contents, as: UTF8.self).contains(failed.version) }
        guard holding.count == 1, let file = holding.first else {
            let which =
                holding.isEmpty
                ? "no file of \(spec.path.isEmpty ? "the source" : spec.path)" : "\(holding.count) files (\(holding.map(\.path).joined(separator: ", ")))"
            throw RenderedRevertRefused(description: "version \(failed.version) is set in \(which); Sluice edits only one file it can tell sets it")
        }
        let before = String(decoding: file.contents, as: UTF8.self)
        var after = before.replacingOccurrences(of: failed.version, with: stable.version)
        if failed.image != stable.image, !failed.image.isEmpty { after = after.replacingOccurrences(of: failed.image, with: stable.image) }
        if let f = failed.uri, let s = stable.uri, f != s, !f.isEmpty { after = after.replacingOccurrences(of: f, with: s) }
        guard after != before else { throw RenderedRevertRefused(description: "\(file.path) already names \(stable.version)") }

        // The check: render both trees and compare.
        let original = try renderTree(head, mode: mode)
        let edited = try renderTree(head, mode: mode, replacing: GitFile(path: file.path, contents: Array(after.utf8)))
        try checkRevert(original: original, edited: edited, kind: kind, name: name, stable: stable, file: file.path)
        return try mirror.commit(path: file.path, contents: after, branch: branch, message: message, author: author, signer: signer)
    }

    /// Files the source owns alone: under an overlay's path (never a base it shares with other
    /// environments), or the chart's values files.
    func isRevertCandidate(_ path: String, mode: RenderOptions.Mode) -> Bool {
        let dir = spec.path.isEmpty ? "" : spec.path.split(separator: "/").joined(separator: "/") + "/"
        guard path.hasPrefix(dir) else { return false }
        let inside = String(path.dropFirst(dir.count))
        if mode == .helm { return inside == "values.yaml" || render.helm.valuesFiles.contains(inside) }
        return !inside.hasPrefix("charts/") && (inside.hasSuffix(".yaml") || inside.hasSuffix(".yml") || inside == "Kustomization")
    }

    /// The render of `commit`'s tree, with one file's contents replaced.
    func renderTree(_ commit: ObjectID, mode: RenderOptions.Mode, replacing: GitFile? = nil) throws -> LoadResult {
        let mirror = try openMirrorForWrite()
        let result = try render(mode: mode, what: "\(spec)", keepNodes: false) { checkout in
            try mirror.forEachFile(at: commit, under: "", limits: limits.tree, include: { _ in true }) { path, contents in
                try checkout.write(path, path == replacing?.path ? replacing!.contents : contents)
            }
        }
        if let e = result.errors.first { throw RenderedRevertRefused(description: "the edit was not checked: \(e.message)") }
        return result
    }

    func checkRevert(original: LoadResult, edited: LoadResult, kind: String, name: String, stable: ModelVersionFields, file: String) throws {
        let isTarget = { (m: Manifest) in m.kind == kind && m.name == name }
        let others = { (r: LoadResult) in r.manifests.filter { !isTarget($0) }.map(\.object) }
        guard others(original) == others(edited) else {
            throw RenderedRevertRefused(description: "editing \(file) would change other objects too; git was not changed")
        }
        let version = edited.manifests.first(where: isTarget)?.object[path: ["spec", "model", "version"]]?.stringValue
        guard version == stable.version else {
            throw RenderedRevertRefused(description: "editing \(file) renders version \(version ?? "none"), not \(stable.version); git was not changed")
        }
    }
}
