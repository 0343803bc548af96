internal import CGit2
import Foundation

/// Owns a `git_repository *` and frees it when released. Not thread-safe (libgit2 objects must
/// not be used from two threads at once); `GitSource` confines each one to a thread of its own.
public final class Repository {
    let pointer: OpaquePointer
    public let path: String

    private init(pointer: OpaquePointer, path: String) {
        self.pointer = pointer
        self.path = path
    }

    deinit { git_repository_free(pointer) }

    public static func open(path: String) throws -> Repository {
        Library.ensure()
        var repo: OpaquePointer?
        try GitError.check(git_repository_open(&repo, path), "git_repository_open(\(path))")
        return Repository(pointer: repo!, path: path)
    }

    public static func initBare(path: String) throws -> Repository {
        Library.ensure()
        var repo: OpaquePointer?
        try GitError.check(git_repository_init(&repo, path, 1), "git_repository_init(\(path))")
        return Repository(pointer: repo!, path: path)
    }

    /// A branch, tag, full or abbreviated commit id, or any other revision git understands,
    /// peeled to the commit it names.
    public func resolveCommit(_ spec: String) throws -> ObjectID {
        var object: OpaquePointer?
        try GitError.check(git_revparse_single(&object, pointer, spec), "git_revparse_single(\(spec))")
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        try GitError.check(git_object_peel(&commit, object, GIT_OBJECT_COMMIT), "git_object_peel(\(spec))")
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit).pointee)
    }

    /// The target of a reference, if it exists.
    func referenceTarget(_ name: String) -> ObjectID? {
        var oid = git_oid()
        guard git_reference_name_to_id(&oid, pointer, name) == 0 else { return nil }
        return ObjectID(oid)
    }

    public func commitInfo(_ id: ObjectID) throws -> CommitInfo {
        var oid = id.raw
        var commit: OpaquePointer?
        try GitError.check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup(\(id.short))")
        defer { git_commit_free(commit) }
        let author = git_commit_author(commit)!.pointee
        return CommitInfo(
            id: id,
            author: author.name.map { String(cString: $0) } ?? "",
            email: author.email.map { String(cString: $0) } ?? "",
            time: Date(timeIntervalSince1970: Double(author.when.time)),
            message: git_commit_message(commit).map { String(cString: $0) } ?? "")
    }

    /// Every file under `path` (a directory or a single file; empty for the whole tree) at a
    /// commit, read from the object database without a checkout, sorted by path.
    public func files(at id: ObjectID, under path: String, limits: TreeLimits = .default, include: (String) -> Bool) throws -> [GitFile] {
        var files: [GitFile] = []
        try forEachFile(at: id, under: path, limits: limits, include: include) { files.append(GitFile(path: $0, contents: $1)) }
        return files.sorted { $0.path < $1.path }
    }

    /// Hands each file under `path` to `visit`, one at a time, so a caller that writes them out
    /// holds one blob in memory. Symbolic links and submodules are skipped: their contents are
    /// not in this tree. Every entry's name is checked before it becomes part of a path, and the
    /// files' count and size before a blob is read; a commit that fails either is refused whole
    /// (`TreeError`), whatever `visit` was given before.
    public func forEachFile(
        at id: ObjectID, under path: String, limits: TreeLimits = .default, include: (String) -> Bool, visit: (String, [UInt8]) throws -> Void
    ) throws {
        var oid = id.raw
        var commit: OpaquePointer?
        try GitError.check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup(\(id.short))")
        defer { git_commit_free(commit) }
        var root: OpaquePointer?
        try GitError.check(git_commit_tree(&root, commit), "git_commit_tree(\(id.short))")
        defer { git_tree_free(root) }
        var odb: OpaquePointer?
        try GitError.check(git_repository_odb(&odb, pointer), "git_repository_odb")
        defer { git_odb_free(odb) }
        try withoutActuallyEscaping(include) { include in
            try withoutActuallyEscaping(visit) { visit in
                var walker = TreeWalker(repository: self, odb: odb!, commit: id, limits: limits, include: include, visit: visit)
                try walker.start(at: root!, under: path)
            }
        }
    }
}

extension Repository {
    func blob(_ id: git_oid, path: String) throws -> [UInt8] {
        var oid = id
        var blob: OpaquePointer?
        try GitError.check(git_blob_lookup(&blob, pointer, &oid), "git_blob_lookup(\(path))")
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }
}

extension Repository {
    /// Creates a bare repository whose `branch` holds `files` in one commit (the demo's git
    /// remote, made without a `git` binary).
    public static func createBare(path: String, branch: String = "main", files: [String: String], message: String, author: (name: String, email: String)) throws
        -> ObjectID
    {
        let repo = try initBare(path: path)
        let r = repo.pointer
        // An empty tree to build on.
        var builder: OpaquePointer?
        try GitError.check(git_treebuilder_new(&builder, r, nil), "git_treebuilder_new")
        var emptyOID = git_oid()
        try GitError.check(git_treebuilder_write(&emptyOID, builder), "git_treebuilder_write")
        git_treebuilder_free(builder)
        var empty: OpaquePointer?
        try GitError.check(git_tree_lookup(&empty, r, &emptyOID), "git_tree_lookup")
        defer { git_tree_free(empty) }

        var blobs: [(String, git_oid)] = []
        for (path, contents) in files.sorted(by: { $0.key < $1.key }) {
            var oid = git_oid()
            let bytes = Array(contents.utf8)
            try GitError.check(git_blob_create_from_buffer(&oid, r, bytes, bytes.count), "git_blob_create_from_buffer(\(path))")
            blobs.append((path, oid))
        }
        let cPaths = blobs.map { strdup($0.0) }
        defer { cPaths.forEach { free($0) } }
        var updates = blobs.enumerated().map { i, b in
            git_tree_update(action: GIT_TREE_UPDATE_UPSERT, id: b.1, filemode: GIT_FILEMODE_BLOB, path: UnsafePointer(cPaths[i]))
        }
        var treeOID = git_oid()
        try GitError.check(git_tree_create_updated(&treeOID, r, empty, updates.count, &updates), "git_tree_create_updated")
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, r, &treeOID), "git_tree_lookup")
        defer { git_tree_free(tree) }
        var signature: UnsafeMutablePointer<git_signature>?
        try GitError.check(git_signature_now(&signature, author.name, author.email), "git_signature_now")
        defer { git_signature_free(signature) }
        var commit = git_oid()
        try GitError.check(git_commit_create(&commit, r, "refs/heads/\(branch)", signature, signature, nil, message, tree, 0, nil), "git_commit_create")
        try GitError.check(git_repository_set_head(r, "refs/heads/\(branch)"), "git_repository_set_head")
        return ObjectID(commit)
    }
}
