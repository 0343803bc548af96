import Foundation
public import ManifestLoading
public import Manifests
public import Rendering
import Sync
public import YAML

/// Objects rendered by Kustomize or Helm, and how they name where they came from.
public enum RenderedSource {
    /// Renders `path` under `root` and reads the output; a failed render is a load error naming
    /// `what` (the source and commit) and the tool, so nothing is applied or pruned.
    public static func load(
        root: String, path: String, mode: RenderOptions.Mode, renderer: Renderer, releaseName: String, what: String, keepNodes: Bool = true,
        budget: ParseBudget.Limits = .default
    ) -> LoadResult {
        let file = label(path: path, tool: mode.rawValue)
        do {
            let output = try renderer.render(root: root, path: path, mode: mode, releaseName: releaseName)
            var result = ManifestLoader.load(
                [SourceFile(path: file, contents: output.stream)], limits: renderedLimits(budget), budget: budget, keepNodes: keepNodes)
            result.renderIsolation = output.isolation.description
            return result
        } catch {
            var result = LoadResult()
            result.fileCount = 1
            result.errors = [ManifestError(file: file, message: "rendering \(what) failed: \(error)")]
            return result
        }
    }

    /// A render's output is one "file" holding everything: its per-file limits are the budget's.
    static func renderedLimits(_ budget: ParseBudget.Limits) -> ParseLimits {
        var limits = ParseLimits.default
        limits.maxNodesPerFile = max(limits.maxNodesPerFile, budget.maxNodes)
        limits.maxAliasNodesPerFile = max(limits.maxAliasNodesPerFile, budget.maxAliasNodes)
        return limits
    }

    /// The objects of a local directory (or file): rendered when `options` (or what `auto`
    /// finds in it) says so, read as YAML otherwise.
    public static func load(local path: String, options: RenderOptions) throws -> LoadResult {
        var isDirectory: ObjCBool = false
        let mode =
            FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? self.mode(options.mode, directory: path) : .plain
        guard mode == .plain else {
            let directory = URL(fileURLWithPath: path).standardizedFileURL.path
            // The sandbox shows the tool only `root`: the enclosing git work tree, where an
            // overlay's bases are, else the directory itself.
            let root = workTree(containing: directory) ?? directory
            let relative = directory == root ? "" : String(directory.dropFirst(root.count + 1))
            return load(
                root: root, path: relative, mode: mode, renderer: Renderer(options: options),
                releaseName: options.helm.releaseName ?? SourceName.sanitize(URL(fileURLWithPath: directory).lastPathComponent), what: path)
        }
        return try ManifestLoader.load(path: path)
    }

    /// The nearest directory at or above `directory` that holds `.git`.
    static func workTree(containing directory: String) -> String? {
        var url = URL(fileURLWithPath: directory)
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(".git").path) { return url.path }
            url.deleteLastPathComponent()
        }
        return nil
    }

    /// The renderer a local directory needs (`mode`, or what `auto` finds in it).
    public static func mode(_ requested: RenderOptions.Mode, directory: String) -> RenderOptions.Mode {
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
        return RenderMode.resolve(requested, fileNames: names)
    }

    /// The `ObjectSource.file` of a rendered object: not a file in the repository, which the
    /// revert-commit path recognises and refuses to edit.
    public static func label(path: String, tool: String) -> String { "\(path.isEmpty ? "." : path) (rendered by \(tool))" }

    public static func isRendered(_ file: String) -> Bool { file.hasSuffix(")") && file.contains(" (rendered by ") }

    /// Helm's release name when none is configured: the last component of the path, or the
    /// repository's name.
    public static func releaseName(_ spec: GitSourceSpec) -> String {
        let last = spec.path.split(separator: "/").last.map(String.init) ?? SourceName.derive(repo: spec.url, path: "")
        return SourceName.sanitize(last)
    }
}
