import ArgumentParser
import DesiredState
import Foundation
import Git
import Kube
import ManifestLoading
import Manifests
import Sync

/// Where desired state comes from: a git source (`--repo`) or a working tree (`--local`).
struct DesiredStateOptions: ParsableArguments {
    @OptionGroup var git: GitOptions

    @Option(name: .long, help: ArgumentHelp("Read manifests from this directory instead of git (an uncommitted working tree).", valueName: "dir"))
    var local: String?

    @Option(
        name: .long,
        help: "Name of the sync source: its ownership annotation and inventory (default: derived from --repo and --path, or the --local directory name).")
    var sourceName: String?

    func validate() throws {
        if local == nil && git.repo == nil { throw ValidationError("give --repo (a git repository) or --local (a directory)") }
        if local != nil && git.repo != nil { throw ValidationError("give either --repo or --local, not both") }
    }

    var name: String {
        if let sourceName { return SourceName.sanitize(sourceName) }
        if let local { return SourceName.sanitize(URL(fileURLWithPath: local).standardizedFileURL.lastPathComponent) }
        return git.defaultSourceName
    }

    struct Loaded {
        var manifests: LoadResult
        var commit: CommitInfo?
        var description: String
    }

    /// Reads the desired objects. Throws (with a message) when the source cannot be read at all.
    func load(for client: KubeClient? = nil) async throws -> Loaded {
        if let local {
            var options = git.rendering.options
            if let client { options = try await options.withCapabilities(of: client) }
            let result = try RenderedSource.load(local: local, options: options)
            return Loaded(manifests: result, commit: nil, description: local)
        }
        let source = try await git.source(for: client)
        let snapshot = try await source.snapshot()
        return Loaded(manifests: snapshot.manifests, commit: snapshot.commit, description: "\(git.spec) at \(snapshot.commit.id.short)")
    }
}
