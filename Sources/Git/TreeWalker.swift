internal import CGit2
import Foundation
import Values

/// One walk of a tree: names checked, files counted, sizes read from object headers before any
/// blob is loaded.
struct TreeWalker {
    let repository: Repository
    let odb: OpaquePointer
    let commit: ObjectID
    let limits: TreeLimits
    let include: (String) -> Bool
    let visit: (String, [UInt8]) throws -> Void
    var files = 0
    var bytes = 0
    var pointer: OpaquePointer { repository.pointer }

    /// Walks `path` (a directory or a single file; empty for the whole tree) under `root`.
    mutating func start(at root: OpaquePointer, under path: String) throws {
        let id = commit
        let components = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        for c in components where TreeEntryName.problem(Array(c.utf8)) != nil {
            throw TreeError(commit: id, path: path, reason: .unsafeName, message: "the source's path may not hold '\(c)'")
        }
        let trimmed = components.joined(separator: "/")
        guard !trimmed.isEmpty else { return try walk(root, prefix: "") }
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, root, trimmed)
        if rc == GIT_ENOTFOUND.rawValue {
            throw GitError(call: "read tree", code: .notFound, message: "path '\(trimmed)' does not exist at commit \(id.short)")
        }
        try GitError.check(rc, "git_tree_entry_bypath(\(trimmed))")
        defer { git_tree_entry_free(entry) }
        switch git_tree_entry_type(entry) {
        case GIT_OBJECT_TREE:
            var sub: OpaquePointer?
            try GitError.check(git_tree_lookup(&sub, pointer, git_tree_entry_id(entry)), "git_tree_lookup(\(trimmed))")
            defer { git_tree_free(sub) }
            try walk(sub!, prefix: trimmed + "/")
        case GIT_OBJECT_BLOB where git_tree_entry_filemode(entry) != GIT_FILEMODE_LINK:
            try file(git_tree_entry_id(entry)!.pointee, path: trimmed)
        default:
            break
        }
    }

    mutating func walk(_ tree: OpaquePointer, prefix: String) throws {
        var seen = Set<[UInt8]>()
        for i in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, i) else { continue }
            // The name's bytes as stored: String(cString:) would repair bad UTF-8 and hide it.
            let name = git_tree_entry_name(entry)!
            let raw = Array(UnsafeBufferPointer(start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: strlen(name)))
            if let problem = TreeEntryName.problem(raw) {
                throw TreeError(commit: commit, path: prefix + Printable.escaped(bytes: raw), reason: .unsafeName, message: problem)
            }
            let path = prefix + String(decoding: raw, as: UTF8.self)
            guard seen.insert(raw).inserted else {
                throw TreeError(commit: commit, path: path, reason: .duplicate, message: "the tree names it twice")
            }
            switch git_tree_entry_type(entry) {
            case GIT_OBJECT_TREE:
                var sub: OpaquePointer?
                try GitError.check(git_tree_lookup(&sub, repository.pointer, git_tree_entry_id(entry)), "git_tree_lookup(\(path))")
                defer { git_tree_free(sub) }
                try walk(sub!, prefix: path + "/")
            case GIT_OBJECT_BLOB where git_tree_entry_filemode(entry) != GIT_FILEMODE_LINK:
                if include(path) { try file(git_tree_entry_id(entry)!.pointee, path: path) }
            default:
                continue
            }
        }
    }

    mutating func file(_ id: git_oid, path: String) throws {
        files += 1
        if files > limits.maxFiles {
            throw TreeError(
                commit: commit, path: path, reason: .tooManyFiles,
                message: "more than \(limits.maxFiles) files to read (the limit for one commit, max-commit-files)")
        }
        var oid = id
        var size = 0
        var type = GIT_OBJECT_INVALID
        try GitError.check(git_odb_read_header(&size, &type, odb, &oid), "git_odb_read_header(\(path))")
        bytes += size
        if bytes > limits.maxBytes {
            throw TreeError(
                commit: commit, path: path, reason: .tooLarge,
                message: "the files read pass \(limits.maxBytes) bytes together (the limit for one commit, max-commit-bytes)")
        }
        try visit(path, try repository.blob(id, path: path))
    }
}
