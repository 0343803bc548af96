internal import CGit2
import Foundation

extension Mirror {
    /// The branch a ref names (`main` for nil: the remote's default branch).
    public func branchName(_ ref: String?) throws -> String {
        if let ref, !ref.isEmpty, ref != "HEAD" {
            return ref.hasPrefix("refs/heads/") ? String(ref.dropFirst("refs/heads/".count)) : ref
        }
        var out: OpaquePointer?
        if git_reference_lookup(&out, repository.pointer, "refs/remotes/origin/HEAD") == 0 {
            defer { git_reference_free(out) }
            if let target = git_reference_symbolic_target(out).map({ String(cString: $0) }), target.hasPrefix("refs/remotes/origin/") {
                return String(target.dropFirst("refs/remotes/origin/".count))
            }
        }
        for candidate in ["main", "master"] where repository.referenceTarget("refs/remotes/origin/\(candidate)") != nil { return candidate }
        throw GitError(call: "branch", code: .notFound, message: "cannot tell which branch \(displayURL) uses; give --ref")
    }

    /// Reads one file at the head of a branch (as of the last fetch).
    public func read(_ path: String, branch: String) throws -> String {
        let head = try resolve(branch)
        guard let file = try files(at: head, under: path, include: { _ in true }).first else {
            throw GitError(call: "read", code: .notFound, message: "\(path) not found at \(branch)")
        }
        return String(decoding: file.contents, as: UTF8.self)
    }

    /// Commits a new version of one file on top of a branch and pushes it. Fails (without
    /// changing anything remote) when the branch moved since the last fetch: fetch and retry.
    /// With `pushTo`, the commit goes to that branch instead (created; an existing branch is
    /// never force-pushed), and `branch` is left as it is.
    @discardableResult
    public func commit(
        path: String, contents: String, branch: String, message: String, author: (name: String, email: String), pushTo: String? = nil,
        signer: (any CommitSigner)? = nil
    ) throws -> ObjectID {
        let repo = repository.pointer
        let head = try resolve(branch)
        var headOID = head.raw
        var parent: OpaquePointer?
        try GitError.check(git_commit_lookup(&parent, repo, &headOID), "git_commit_lookup(\(head.short))")
        defer { git_commit_free(parent) }
        var baseTree: OpaquePointer?
        try GitError.check(git_commit_tree(&baseTree, parent), "git_commit_tree")
        defer { git_tree_free(baseTree) }

        var blob = git_oid()
        let bytes = Array(contents.utf8)
        try GitError.check(git_blob_create_from_buffer(&blob, repo, bytes, bytes.count), "git_blob_create_from_buffer(\(path))")
        var treeOID = git_oid()
        try path.withCString { cPath in
            var update = git_tree_update(action: GIT_TREE_UPDATE_UPSERT, id: blob, filemode: GIT_FILEMODE_BLOB, path: cPath)
            try GitError.check(git_tree_create_updated(&treeOID, repo, baseTree, 1, &update), "git_tree_create_updated(\(path))")
        }
        var tree: OpaquePointer?
        try GitError.check(git_tree_lookup(&tree, repo, &treeOID), "git_tree_lookup")
        defer { git_tree_free(tree) }
        var commitOID = try createCommit(tree: tree, parent: parent, message: message, author: author, signer: signer)
        let commit = ObjectID(commitOID)

        // Push from a local ref; the remote accepts it only as a fast-forward.
        let local = "refs/sluice/outgoing"
        var ref: OpaquePointer?
        try GitError.check(git_reference_create(&ref, repo, local, &commitOID, 1, "sluice: commit to push"), "git_reference_create")
        git_reference_free(ref)
        if let pushTo {
            // Never forced: a branch that exists and does not lead to this commit is refused by
            // the remote, so a review branch cannot overwrite anything.
            try push("\(local):refs/heads/\(pushTo)")
            return commit
        }
        try push("\(local):refs/heads/\(branch)")
        // The mirror now knows the branch moved.
        var tracking: OpaquePointer?
        if git_reference_create(&tracking, repo, "refs/remotes/origin/\(branch)", &commitOID, 1, "sluice: pushed") == 0 { git_reference_free(tracking) }
        return commit
    }

    /// The commit object (signed when `signer` is given) of `tree` on `parent`.
    private func createCommit(
        tree: OpaquePointer?, parent: OpaquePointer?, message: String, author: (name: String, email: String), signer: (any CommitSigner)?
    ) throws -> git_oid {
        let repo = repository.pointer
        var commitOID = git_oid()
        var signature: UnsafeMutablePointer<git_signature>?
        try GitError.check(git_signature_now(&signature, author.name, author.email), "git_signature_now")
        defer { git_signature_free(signature) }
        var parents: [OpaquePointer?] = [parent]
        if let signer {
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            try GitError.check(git_commit_create_buffer(&buffer, repo, signature, signature, nil, message, tree, 1, &parents), "git_commit_create_buffer")
            let content = Array(UnsafeRawBufferPointer(start: buffer.ptr, count: buffer.size))
            let armored = try signer.sign(content)
            try GitError.check(
                git_commit_create_with_signature(&commitOID, repo, String(decoding: content, as: UTF8.self), armored, "gpgsig"),
                "git_commit_create_with_signature")
        } else {
            try GitError.check(
                git_commit_create(&commitOID, repo, nil, signature, signature, nil, message, tree, 1, &parents), "git_commit_create")
        }
        return commitOID
    }

    func push(_ refspec: String) throws {
        var remote: OpaquePointer?
        try GitError.check(git_remote_lookup(&remote, repository.pointer, "origin"), "git_remote_lookup(origin)")
        defer { git_remote_free(remote) }
        let context = CallbackContext(url: url, options: options)
        try withExtendedLifetime(context) {
            var opts = git_push_options()
            git_push_options_init(&opts, UInt32(GIT_PUSH_OPTIONS_VERSION))
            context.install(into: &opts.callbacks)
            opts.callbacks.push_update_reference = { refname, status, payload in
                guard let payload, let status else { return 0 }
                let context = Unmanaged<CallbackContext>.fromOpaque(payload).takeUnretainedValue()
                context.failure = GitError(
                    call: "push", code: .other(-1),
                    message:
                        "\(refname.map { String(cString: $0) } ?? "ref") rejected by the remote: \(String(cString: status)) (the branch moved; fetch and retry)"
                )
                return 0
            }
            try withStrArray([refspec]) { specs in
                try context.check(git_remote_push(remote, &specs, &opts), "git_remote_push(\(displayURL))")
            }
            if let failure = context.failure { throw failure }
        }
    }
}
