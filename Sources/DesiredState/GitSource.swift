import Foundation
public import Git
public import ManifestLoading
public import Manifests
public import Rendering

/// The desired state at one commit: what was read and what was wrong with it.
public struct Snapshot: Sendable {
    public var commit: CommitInfo
    public var manifests: LoadResult
    public var fetch: FetchStats?
}

/// Where a source's manifests live in git.
public struct GitSourceSpec: Sendable, Hashable {
    public var url: String
    /// Branch, tag or commit; nil for the remote's default branch.
    public var ref: String?
    /// Directory (or file) within the repository; empty for the whole tree.
    public var path: String

    public init(url: String, ref: String? = nil, path: String = "") {
        self.url = url
        self.ref = ref
        self.path = path
    }
}

extension GitSourceSpec {
    /// A URL as given, or a local path made absolute (libgit2 and the inventory want one form).
    public static func normalizedURL(_ repo: String) -> String {
        if repo.contains("://") || (repo.contains("@") && repo.contains(":")) { return repo }
        return URL(fileURLWithPath: repo).standardizedFileURL.path
    }
}

extension GitSourceSpec: CustomStringConvertible {
    public var description: String {
        var s = Redaction.scrubURLCredentials(url)
        if let ref { s += "@\(ref)" }
        if !path.isEmpty { s += "//\(path)" }
        return s
    }
}

/// One git repository Sluice reads from. All libgit2 work for it happens on the source's own
/// thread (see `ThreadExecutor`), one operation at a time.
public actor GitSource {
    public let spec: GitSourceSpec
    let cacheDirectory: String
    let transport: GitTransportOptions
    public let render: RenderOptions
    public let limits: SourceLimits
    /// Where a render's checkout is written: never the mirrors' cache directory.
    let renderDirectory: String
    let renderer: Renderer
    /// Signs every commit this source makes, so `sluice history` can tell them from commits
    /// anyone with push access could write.
    let signer: (any CommitSigner)?
    /// Rendered output of the last commits, so a poll that finds nothing new renders nothing.
    private var renderedCache: [(commit: ObjectID, result: LoadResult)] = []
    public private(set) var renderCount = 0
    private var mirror: Mirror?
    private let executor: ThreadExecutor

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(
        spec: GitSourceSpec, cacheDirectory: String, transport: GitTransportOptions = .init(), render: RenderOptions = .init(), tools: Tools = .find(),
        limits: SourceLimits = .default, renderDirectory: String? = nil, signer: (any CommitSigner)? = nil
    ) {
        self.signer = signer
        self.spec = spec
        self.cacheDirectory = cacheDirectory
        self.transport = transport
        self.render = render
        self.limits = limits
        self.renderDirectory = renderDirectory ?? FileManager.default.temporaryDirectory.path
        renderer = Renderer(options: render, tools: tools)
        executor = ThreadExecutor(name: "git \(spec.description)")
    }

    func openMirrorForWrite() throws -> Mirror { try openMirror() }

    private func openMirror() throws -> Mirror {
        if let mirror { return mirror }
        let m = try Mirror(url: spec.url, cacheDirectory: cacheDirectory, options: transport)
        mirror = m
        return m
    }

    /// Fetches, so the next `resolve` sees the remote as it is now.
    @discardableResult
    public func fetch() throws -> FetchStats { try openMirror().fetch() }

    /// The commit the configured ref names, as of the last fetch.
    public func resolve() throws -> CommitInfo {
        let m = try openMirror()
        return try m.commitInfo(try m.resolve(spec.ref))
    }

    /// The commits of the configured ref, newest first, as of the last fetch.
    public func log(limit: Int) throws -> [CommitInfo] { try openMirror().log(spec.ref, limit: limit) }

    /// The desired objects at a commit: the YAML files under the path, or what Kustomize or
    /// Helm renders from it.
    public func load(_ commit: ObjectID, keepNodes: Bool = true) throws -> LoadResult {
        let mode = try renderMode(commit)
        guard mode == .plain else { return try rendered(commit, mode: mode, keepNodes: keepNodes) }
        return try load(commit, include: ManifestLoader.isManifestFile, keepNodes: keepNodes)
    }

    /// Only `files` of a commit (paths as `ObjectSource.file` gives them): healing a few drifted
    /// objects re-reads their files instead of keeping every manifest in memory. A rendered
    /// source has one "file", its render, which comes from the cache.
    public func load(_ commit: ObjectID, files paths: Set<String>) throws -> LoadResult {
        let mode = try renderMode(commit)
        guard mode == .plain else { return try rendered(commit, mode: mode, keepNodes: false) }
        return try load(commit, include: { paths.contains($0) && ManifestLoader.isManifestFile($0) }, keepNodes: false)
    }

    /// The renderer the path needs at a commit (`render.mode`, or what `auto` finds there).
    func renderMode(_ commit: ObjectID) throws -> RenderOptions.Mode {
        guard render.mode == .auto else { return render.mode }
        let prefix = spec.path.isEmpty ? "" : spec.path.split(separator: "/").joined(separator: "/") + "/"
        let names = Set(
            try openMirror().files(at: commit, under: spec.path, limits: limits.tree) { p in
                p.hasPrefix(prefix) && !p.dropFirst(prefix.count).contains("/")
                    && (RenderMode.kustomizationFiles.contains(String(p.dropFirst(prefix.count))) || p.hasSuffix("Chart.yaml"))
            }.map { String($0.path.dropFirst(prefix.count)) })
        return RenderMode.resolve(.auto, fileNames: names)
    }

    /// The render of a commit: its whole tree written to a checkout of its own (a base or a
    /// values file may sit outside the path), one file at a time, and the tool run over the path.
    /// A failed render is a load error, so the plan applies and prunes nothing.
    func rendered(_ commit: ObjectID, mode: RenderOptions.Mode, keepNodes: Bool) throws -> LoadResult {
        if let hit = renderedCache.first(where: { $0.commit == commit }) { return hit.result }
        renderCount += 1
        let mirror = try openMirror()
        let result = try render(mode: mode, what: "\(spec) at commit \(commit.short)", keepNodes: keepNodes) { checkout in
            try mirror.forEachFile(at: commit, under: "", limits: limits.tree, include: { _ in true }) { try checkout.write($0, $1) }
        }
        renderedCache.insert((commit, result), at: 0)
        if renderedCache.count > 2 { renderedCache.removeLast() }
        return result
    }

    /// A checkout filled by `fill`, the path rendered there; the render's problems are the
    /// result's errors.
    func render(mode: RenderOptions.Mode, what: String, keepNodes: Bool, fill: (Checkout) throws -> Void) throws -> LoadResult {
        let checkout = try Checkout(under: renderDirectory)
        try fill(checkout)
        return RenderedSource.load(
            root: checkout.root, path: spec.path, mode: mode, renderer: renderer, releaseName: RenderedSource.releaseName(spec), what: what,
            keepNodes: keepNodes, budget: limits.manifests)
    }

    private func load(_ commit: ObjectID, include: (String) -> Bool, keepNodes: Bool) throws -> LoadResult {
        let files = try openMirror().files(at: commit, under: spec.path, limits: limits.tree, include: include)
        return ManifestLoader.load(files.map { SourceFile(path: $0.path, contents: $0.contents) }, budget: limits.manifests, keepNodes: keepNodes)
    }

    /// Fetch, resolve and load in one step.
    public func snapshot(fetch shouldFetch: Bool = true) throws -> Snapshot {
        let stats = shouldFetch ? try fetch() : nil
        let commit = try resolve()
        return Snapshot(commit: commit, manifests: try load(commit.id), fetch: stats)
    }

    /// A commit's signature (nil: unsigned), as of the last fetch.
    public func signature(of id: ObjectID) throws -> CommitSignature? { try openMirror().signature(of: id) }

    public func isAncestor(_ a: ObjectID, of b: ObjectID) throws -> Bool { try openMirror().isAncestor(a, of: b) }
}

extension GitSource {
    /// A file's path from the repository's root: `path` as `ObjectSource.file` gives it (already
    /// from the root) or relative to the source's path; `.` and empty components dropped, so a
    /// source synced as `--path .` or `./envs` commits to `envs/x.yaml`, not `./envs/x.yaml`.
    public static func repositoryPath(_ path: String, under sourcePath: String) -> String {
        func parts(_ p: String) -> [Substring] { p.split(separator: "/").filter { $0 != "." } }
        let base = parts(sourcePath)
        let file = parts(path)
        if file.starts(with: base) { return file.joined(separator: "/") }
        return (base + file).joined(separator: "/")
    }

    /// Edits one file on the source's branch and pushes the commit: fetch, read, `edit`,
    /// commit, push; once more from a fresh fetch if the branch moved meanwhile. Returns nil when
    /// `edit` made no change.
    public func commitEdit(
        path: String, message: String, author: (name: String, email: String) = ("Sluice", "sluice@localhost"), pushTo: String? = nil,
        edit: @Sendable (String) throws -> String?
    ) throws -> ObjectID? {
        let mirror = try openMirrorForWrite()
        var lastError: (any Error)?
        for _ in 0..<2 {
            try mirror.fetch()
            let branch = try mirror.branchName(spec.ref)
            let full = Self.repositoryPath(path, under: spec.path)
            let text = try mirror.read(full, branch: branch)
            guard let edited = try edit(text), edited != text else { return nil }
            do {
                return try mirror.commit(
                    path: full, contents: edited, branch: branch, message: message, author: author, pushTo: pushTo, signer: signer)
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }
}
