import Foundation
import Git
import TestSupport
import Testing

@Suite(.offThePool) struct MirrorTests {
    func manifests(_ fixture: GitFixture) throws {
        try fixture.write("apps/web/deploy.yaml", "kind: Deployment\n")
        try fixture.write("apps/web/svc.yml", "kind: Service\n")
        try fixture.write("apps/README.md", "docs\n")
        try fixture.write("apps/db/nested/cm.json", "{}\n")
        try fixture.write("top.yaml", "kind: ConfigMap\n")
    }

    func yamlOnly(_ path: String) -> Bool { path.hasSuffix(".yaml") || path.hasSuffix(".yml") || path.hasSuffix(".json") }

    @Test func readsFilesAtACommitWithoutCheckout() throws {
        let fixture = try GitFixture()
        try manifests(fixture)
        let sha = try fixture.commit("first")
        let cache = TemporaryDirectory()
        let mirror = try Mirror(url: fixture.bare, cacheDirectory: cache.path)
        let stats = try mirror.fetch()
        #expect(stats.receivedObjects > 0)
        let id = try mirror.resolve("main")
        #expect(id.hex == sha)
        let files = try mirror.files(at: id, under: "apps", include: yamlOnly)
        #expect(files.map(\.path) == ["apps/db/nested/cm.json", "apps/web/deploy.yaml", "apps/web/svc.yml"])
        #expect(String(decoding: files[1].contents, as: UTF8.self) == "kind: Deployment\n")
        #expect(try mirror.files(at: id, under: "", include: yamlOnly).count == 4)
        #expect(try mirror.files(at: id, under: "./apps/web/", include: yamlOnly).count == 2)
        #expect(try mirror.files(at: id, under: "top.yaml", include: yamlOnly).map(\.path) == ["top.yaml"])
        let info = try mirror.commitInfo(id)
        #expect(info.author == "Test Author")
        #expect(info.email == "author@example.com")
        #expect(info.summary == "first")
        #expect(abs(info.time.timeIntervalSinceNow) < 300)
        // No working tree anywhere in the cache.
        #expect(!FileManager.default.fileExists(atPath: "\(mirror.directory)/apps"))
    }

    @Test func missingPathIsAClearError() throws {
        let fixture = try GitFixture()
        try manifests(fixture)
        try fixture.commit("first")
        let mirror = try Mirror(url: "file://\(fixture.bare)", cacheDirectory: TemporaryDirectory().path)
        try mirror.fetch()
        let id = try mirror.resolve(nil)
        do {
            _ = try mirror.files(at: id, under: "nope/here", include: yamlOnly)
            Issue.record("expected an error")
        } catch let e as GitError {
            #expect(e.code == .notFound)
            #expect(e.message.contains("nope/here"))
        }
    }

    @Test func symlinksAreSkipped() throws {
        let fixture = try GitFixture()
        try fixture.write("real.yaml", "a: 1\n")
        try FileManager.default.createSymbolicLink(atPath: fixture.root.file("work/link.yaml"), withDestinationPath: "/etc/passwd")
        try fixture.commit("links")
        let mirror = try Mirror(url: fixture.bare, cacheDirectory: TemporaryDirectory().path)
        try mirror.fetch()
        #expect(try mirror.files(at: try mirror.resolve(nil), under: "", include: yamlOnly).map(\.path) == ["real.yaml"])
    }

    @Test func resolvesBranchesTagsAndCommitIds() throws {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", "v: 1\n")
        let first = try fixture.commit("one")
        try fixture.git(["tag", "v1"])
        try fixture.git(["tag", "-a", "v1-annotated", "-m", "release"])
        try fixture.write("a.yaml", "v: 2\n")
        let second = try fixture.commit("two")
        try fixture.git(["push", "-q", "origin", "--tags"])
        try fixture.git(["push", "-q", "origin", "\(first):refs/heads/old"])
        let mirror = try Mirror(url: fixture.bare, cacheDirectory: TemporaryDirectory().path)
        try mirror.fetch()
        #expect(try mirror.resolve("main").hex == second)
        #expect(try mirror.resolve("refs/heads/main").hex == second)
        #expect(try mirror.resolve(nil).hex == second)
        #expect(try mirror.resolve("old").hex == first)
        #expect(try mirror.resolve("v1").hex == first)
        #expect(try mirror.resolve("v1-annotated").hex == first, "annotated tags peel to their commit")
        #expect(try mirror.resolve(first).hex == first)
        #expect(try mirror.resolve(String(first.prefix(8))).hex == first)
        #expect(try mirror.branches() == ["main", "old"])
        do {
            _ = try mirror.resolve("nope")
            Issue.record("expected an error")
        } catch let e as GitError {
            #expect(e.code == .notFound)
            #expect(e.message.contains("branches: main, old"))
        }
    }

    @Test func defaultBranchFollowsTheRemoteHead() throws {
        let fixture = try GitFixture(branch: "trunk")
        try fixture.write("a.yaml", "v: 1\n")
        let sha = try fixture.commit("one", branch: "trunk")
        try fixture.git(["push", "-q", "origin", "HEAD:zzz-other"])
        let mirror = try Mirror(url: fixture.bare, cacheDirectory: TemporaryDirectory().path)
        try mirror.fetch()
        #expect(try mirror.resolve(nil).hex == sha)
    }

    @Test func secondFetchOfAnUnchangedRemoteTransfersNothing() throws {
        let fixture = try GitFixture()
        try manifests(fixture)
        try fixture.commit("first")
        let cacheDir = TemporaryDirectory()
        let mirror = try Mirror(url: fixture.bare, cacheDirectory: cacheDir.path)
        let first = try mirror.fetch()
        #expect(first.receivedObjects > 0 && first.updatedRefs > 0)
        let second = try mirror.fetch()
        #expect(second == FetchStats(receivedObjects: 0, receivedBytes: 0, updatedRefs: 0))
        // A new commit moves only what changed.
        try fixture.write("apps/web/deploy.yaml", "kind: Deployment\nspec: {}\n")
        let sha = try fixture.commit("change one file")
        let third = try mirror.fetch()
        #expect(third.updatedRefs == 1)
        #expect(third.receivedObjects > 0 && third.receivedObjects < first.receivedObjects)
        #expect(try mirror.resolve("main").hex == sha)
        // Reopening the same cache directory reuses the mirror.
        let reopened = try Mirror(url: fixture.bare, cacheDirectory: cacheDir.path)
        #expect(reopened.directory == mirror.directory)
        #expect(try reopened.fetch().receivedObjects == 0)
    }

    @Test func forcePushedBranchIsFollowed() throws {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", "v: 1\n")
        try fixture.commit("one")
        try fixture.write("a.yaml", "v: 2\n")
        let two = try fixture.commit("two")
        let mirror = try Mirror(url: fixture.bare, cacheDirectory: TemporaryDirectory().path)
        try mirror.fetch()
        #expect(try mirror.resolve("main").hex == two)
        try fixture.git(["reset", "-q", "--hard", "HEAD~1"])
        try fixture.write("a.yaml", "v: 3\n")
        let rewritten = try fixture.commit("rewritten history")
        try mirror.fetch()
        #expect(try mirror.resolve("main").hex == rewritten)
        #expect(!mirror.isAncestor(try #require(ObjectID(hex: two)), of: try #require(ObjectID(hex: rewritten))))
    }

    @Test func deletedBranchIsAnErrorAndOldCommitsStayReadable() throws {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", "v: 1\n")
        try fixture.commit("one")
        let feature = try fixture.commit("feature work", branch: "feature")
        let mirror = try Mirror(url: fixture.bare, cacheDirectory: TemporaryDirectory().path)
        try mirror.fetch()
        let id = try mirror.resolve("feature")
        #expect(id.hex == feature)
        try fixture.git(["push", "-q", "origin", "--delete", "feature"])
        try mirror.fetch()
        #expect(throws: GitError.self) { try mirror.resolve("feature") }
        // The last good commit is still in the object database.
        #expect(try mirror.files(at: id, under: "", include: { _ in true }).count == 1)
    }

    @Test func unreachableRemoteIsAClearErrorAndKeepsTheMirror() throws {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", "v: 1\n")
        let sha = try fixture.commit("one")
        let daemon = try GitDaemon(serving: fixture)
        let mirror = try Mirror(url: daemon.url, cacheDirectory: TemporaryDirectory().path)
        try mirror.fetch()
        daemon.stop()
        do {
            try mirror.fetch()
            Issue.record("fetch from a stopped server succeeded")
        } catch let e as GitError {
            #expect(e.call.contains("git_remote_connect"))
            #expect(e.message.lowercased().contains("connect") || e.message.lowercased().contains("refused"))
        }
        #expect(try mirror.resolve("main").hex == sha)
    }

    @Test func gitDaemonTransport() throws {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", "v: 1\n")
        let sha = try fixture.commit("one")
        let daemon = try GitDaemon(serving: fixture)
        let mirror = try Mirror(url: daemon.url, cacheDirectory: TemporaryDirectory().path)
        try mirror.fetch()
        #expect(try mirror.resolve(nil).hex == sha)
        #expect(try mirror.fetch().receivedObjects == 0)
    }

    @Test func reportsFeatures() {
        let f = GitFeatures.current
        #expect(f.https && f.threads)
        #expect(f.description.contains("libgit2 1."))
    }
}
