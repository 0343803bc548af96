internal import CGit2
import Foundation

/// What one fetch moved.
public struct FetchStats: Sendable, Equatable {
    public var receivedObjects: Int
    public var receivedBytes: Int
    /// Refs the fetch created, moved or deleted.
    public var updatedRefs: Int

    public init(receivedObjects: Int, receivedBytes: Int, updatedRefs: Int) {
        self.receivedObjects = receivedObjects
        self.receivedBytes = receivedBytes
        self.updatedRefs = updatedRefs
    }
}

/// A bare copy of a remote repository in a cache directory, kept current by incremental
/// fetches. Branches land under `refs/remotes/origin/*` (force-pushes followed, deleted branches
/// pruned) and tags under `refs/tags/*`. Reading happens from the object database; there is never
/// a checkout.
public final class Mirror {
    public let url: String
    public let directory: String
    let repository: Repository
    let options: GitTransportOptions

    /// Opens the mirror of `url` under `cacheDirectory`, creating it on first use.
    public init(url: String, cacheDirectory: String, options: GitTransportOptions = .init()) throws {
        Library.ensure()
        self.url = url
        self.options = options
        directory = "\(cacheDirectory)/\(Self.cacheKey(for: url))"
        try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: "\(directory)/HEAD") {
            repository = try Repository.open(path: directory)
        } else {
            repository = try Repository.initBare(path: directory)
        }
        try configureRemote()
    }

    /// The URL as it may be shown: any `user:password@` removed.
    public var displayURL: String { Redaction.scrubURLCredentials(url) }

    /// A directory name that is readable and unique per URL.
    static func cacheKey(for url: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in url.utf8 {
            hash ^= UInt64(b)
            hash = hash &* 0x100_0000_01b3
        }
        let base = Redaction.scrubURLCredentials(url).split(separator: "/").last.map(String.init) ?? "repo"
        let safe = base.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" }
        return String(safe.prefix(40)) + "-" + String(hash, radix: 16)
    }

    private func configureRemote() throws {
        var remote: OpaquePointer?
        let rc = git_remote_lookup(&remote, repository.pointer, "origin")
        if rc == GIT_ENOTFOUND.rawValue {
            try GitError.check(
                git_remote_create_with_fetchspec(&remote, repository.pointer, "origin", url, "+refs/heads/*:refs/remotes/origin/*"),
                "git_remote_create(\(displayURL))")
        } else {
            try GitError.check(rc, "git_remote_lookup(origin)")
            if let current = git_remote_url(remote).map({ String(cString: $0) }), current != url {
                try GitError.check(git_remote_set_url(repository.pointer, "origin", url), "git_remote_set_url")
            }
        }
        git_remote_free(remote)
    }

    /// Brings the mirror up to date. An unchanged remote transfers nothing.
    @discardableResult
    public func fetch() throws -> FetchStats {
        var remote: OpaquePointer?
        try GitError.check(git_remote_lookup(&remote, repository.pointer, "origin"), "git_remote_lookup(origin)")
        defer { git_remote_free(remote) }

        let context = CallbackContext(url: url, options: options)
        return try withExtendedLifetime(context) {
            var callbacks = git_remote_callbacks()
            git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
            context.install(into: &callbacks)

            // Connect first so the remote's default branch (its HEAD) can be read, then fetch
            // over the same connection.
            var proxy = git_proxy_options()
            git_proxy_options_init(&proxy, UInt32(GIT_PROXY_OPTIONS_VERSION))
            try context.check(git_remote_connect(remote, GIT_DIRECTION_FETCH, &callbacks, &proxy, nil), "git_remote_connect(\(displayURL))")
            var head = git_buf()
            let defaultBranch: String? = git_remote_default_branch(&head, remote) == 0 ? String(cString: head.ptr) : nil
            git_buf_dispose(&head)

            var opts = git_fetch_options()
            git_fetch_options_init(&opts, UInt32(GIT_FETCH_OPTIONS_VERSION))
            opts.callbacks = callbacks
            opts.prune = GIT_FETCH_PRUNE
            opts.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL
            opts.update_fetchhead = 0
            let before = refSnapshot()
            try withStrArray(["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"]) { refspecs in
                try context.check(git_remote_fetch(remote, &refspecs, &opts, "sluice: fetch"), "git_remote_fetch(\(displayURL))")
            }
            if let defaultBranch, defaultBranch.hasPrefix("refs/heads/") {
                let target = "refs/remotes/origin/" + defaultBranch.dropFirst("refs/heads/".count)
                var ref: OpaquePointer?
                if git_reference_symbolic_create(&ref, repository.pointer, "refs/remotes/origin/HEAD", target, 1, "sluice: default branch") == 0 {
                    git_reference_free(ref)
                }
            }
            let stats = git_remote_stats(remote)!.pointee
            let after = refSnapshot()
            let changed = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.count
            return FetchStats(receivedObjects: Int(stats.received_objects), receivedBytes: Int(stats.received_bytes), updatedRefs: changed)
        }
    }

    private func refSnapshot() -> [String: String] {
        var out: [String: String] = [:]
        // origin/HEAD is symbolic: it moves when its target does and would count twice.
        for name in (try? references()) ?? [] where name != "refs/remotes/origin/HEAD" {
            if let id = repository.referenceTarget(name) { out[name] = id.hex }
        }
        return out
    }

    func references() throws -> [String] {
        var names = git_strarray()
        try GitError.check(git_reference_list(&names, repository.pointer), "git_reference_list")
        defer { git_strarray_dispose(&names) }
        return (0..<names.count).compactMap { names.strings[$0].map { String(cString: $0) } }
    }

    /// Branch names the remote had at the last fetch.
    public func branches() throws -> [String] {
        try references().filter { $0.hasPrefix("refs/remotes/origin/") && $0 != "refs/remotes/origin/HEAD" }
            .map { String($0.dropFirst("refs/remotes/origin/".count)) }.sorted()
    }

    /// Resolves what a user writes as `--ref`: a branch of the remote, a tag, a full or short
    /// commit id, or nothing for the remote's default branch.
    public func resolve(_ ref: String?) throws -> ObjectID {
        guard let ref, !ref.isEmpty, ref != "HEAD" else {
            for candidate in ["refs/remotes/origin/HEAD", "refs/remotes/origin/main", "refs/remotes/origin/master"] {
                if let id = try? repository.resolveCommit(candidate) { return id }
            }
            throw GitError(call: "resolve", code: .notFound, message: "\(displayURL) has no default branch (is it empty?)")
        }
        var candidates: [String] = []
        if ref.hasPrefix("refs/heads/") {
            candidates.append("refs/remotes/origin/" + ref.dropFirst("refs/heads/".count))
        } else if ref.hasPrefix("refs/") {
            candidates.append(ref)
        } else {
            candidates += ["refs/remotes/origin/\(ref)", "refs/tags/\(ref)"]
            if ref.count >= 4, ref.count <= 40, ref.allSatisfy(\.isHexDigit) { candidates.append(ref) }
        }
        // Each candidate that does not resolve is the next one's turn; none resolving is the
        // error below, whose list of branches is only a hint to the reader.
        for candidate in candidates {
            if let id = try? repository.resolveCommit(candidate) { return id }
        }
        let known = (try? branches()) ?? []
        throw GitError(
            call: "resolve", code: .notFound,
            message: "'\(ref)' is not a branch, tag or commit of \(displayURL) (branches: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
    }

    public func commitInfo(_ id: ObjectID) throws -> CommitInfo { try repository.commitInfo(id) }

    /// The commits of `ref` (as of the last fetch), newest first.
    public func log(_ ref: String?, limit: Int) throws -> [CommitInfo] { try repository.log(from: try resolve(ref), limit: limit) }

    public func files(at id: ObjectID, under path: String, limits: TreeLimits = .default, include: (String) -> Bool) throws -> [GitFile] {
        try repository.files(at: id, under: path, limits: limits, include: include)
    }

    /// `Repository.forEachFile` on the mirror: each file handed over as it is read.
    public func forEachFile(
        at id: ObjectID, under path: String, limits: TreeLimits = .default, include: (String) -> Bool, visit: (String, [UInt8]) throws -> Void
    ) throws {
        try repository.forEachFile(at: id, under: path, limits: limits, include: include, visit: visit)
    }

    /// A commit's `gpgsig` signature (nil: unsigned).
    public func signature(of id: ObjectID) throws -> CommitSignature? { try repository.signature(of: id) }

    /// True when `ancestor` is `descendant` or one of its ancestors.
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) -> Bool {
        if ancestor == descendant { return true }
        var a = ancestor.raw
        var d = descendant.raw
        return git_graph_descendant_of(repository.pointer, &d, &a) == 1
    }
}

/// Runs `body` with a `git_strarray` whose strings live for the duration of the call.
func withStrArray<R>(_ strings: [String], _ body: (inout git_strarray) throws -> R) rethrows -> R {
    let pointers = strings.map { strdup($0) }
    defer { pointers.forEach { free($0) } }
    var array: [UnsafeMutablePointer<CChar>?] = pointers
    return try array.withUnsafeMutableBufferPointer { buffer in
        var strarray = git_strarray(strings: buffer.baseAddress, count: buffer.count)
        return try body(&strarray)
    }
}
