import Foundation
import TestSupport
import Testing
import YAML

@Suite(.offThePool, .tags(.endToEnd)) struct RenderValidateTests {
    static let configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  namespace: ml\ndata:\n  enabled: \"yes\"\n  retries: \"3\"\n"

    @Test func renderPrintsObjectsFromAGitDaemon() throws {
        let fixture = try GitFixture()
        try fixture.write("deploy/app.yaml", Self.configMap + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ml}\n")
        try fixture.write("other/ignored.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: nope}\n")
        let sha = try fixture.commit("add app config")
        let daemon = try GitDaemon(serving: fixture)
        let cache = TemporaryDirectory()
        let r = try SluiceBinary.run(["render", "--repo", daemon.url, "--path", "deploy", "--cache-dir", cache.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("# \(sha.prefix(7)) add app config\n"))
        #expect(r.stdout.contains("# Source: deploy/app.yaml:1 (document 1)"))
        #expect(r.stdout.contains("enabled: \"yes\""), "strings that look like booleans stay quoted")
        #expect(!r.stdout.contains("nope"))
        let docs = try YAML.documents(in: r.stdout).filter { !$0.isEmpty }.map(\.root.value)
        #expect(docs.map { $0[path: ["metadata", "name"]] } == ["app-config", "ml"])

        let json = try SluiceBinary.run(["render", "--repo", daemon.url, "--path", "deploy", "--cache-dir", cache.path, "-o", "json"])
        #expect(json.status == 0)
        let list = try JSON.parse(json.stdout)
        #expect(list["kind"] == "List")
        #expect(list["items"]?.arrayValue?.count == 2)
        #expect(list["items"]?.arrayValue?.first?[path: ["data", "retries"]] == "3")
    }

    @Test func renderReportsBadFilesAndExitsNonZero() throws {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", Self.configMap)
        try fixture.write("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: bad\n")
        try fixture.commit("one bad file")
        let r = try SluiceBinary.run(["render", "--repo", fixture.bare, "--cache-dir", TemporaryDirectory().path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("b.yaml:4:1: tab character used for indentation"))
        #expect(r.stdout.contains("app-config"), "good objects are still shown")
    }

    @Test func renderOfAMissingRefOrRepoIsAnError() throws {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", Self.configMap)
        try fixture.commit("one")
        let missingRef = try SluiceBinary.run(["render", "--repo", fixture.bare, "--ref", "nope", "--cache-dir", TemporaryDirectory().path])
        #expect(missingRef.status == 2)
        #expect(missingRef.stderr.contains("'nope' is not a branch, tag or commit"))
        let missingRepo = try SluiceBinary.run(["render", "--repo", fixture.root.file("nothing-here"), "--cache-dir", TemporaryDirectory().path])
        #expect(missingRepo.status == 2)
        #expect(missingRepo.stderr.contains("error:"))
    }

    @Test func renderNeverPrintsTheToken() throws {
        let fixture = try GitFixture()
        try fixture.write("a.yaml", Self.configMap)
        try fixture.commit("one")
        let secret = "tok-\(UUID().uuidString)"
        let server = try GitHTTPServer(serving: fixture, user: "x-access-token", password: secret)
        let dir = TemporaryDirectory()
        let tokenFile = try dir.write("token", secret + "\n")
        let ok = try SluiceBinary.run(["render", "--repo", server.url, "--git-token-file", tokenFile, "--cache-dir", dir.file("cache")])
        #expect(ok.status == 0, "\(ok.stderr)")
        let wrongFile = try dir.write("wrong", "wrong-\(secret)")
        let denied = try SluiceBinary.run(["render", "--repo", server.url, "--git-token-file", wrongFile, "--cache-dir", dir.file("cache2")])
        #expect(denied.status == 2)
        #expect(denied.stderr.contains("rejected"))
        #expect(!(denied.stderr + denied.stdout + ok.stderr + ok.stdout).contains(secret))
    }

    @Test func validateListsEveryProblem() throws {
        let dir = TemporaryDirectory()
        try dir.write("good.yaml", Self.configMap)
        try dir.write("apps/no-name.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n")
        try dir.write("apps/dup-key.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n  name: e\n")
        let r = try SluiceBinary.run(["validate", dir.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("apps/dup-key.yaml:5:3: duplicate key \"name\""))
        #expect(r.stderr.contains("apps/no-name.yaml:3:1: document 1: ConfigMap: metadata.name: missing"))
        #expect(r.stdout.contains("1 object in 3 files: 2 problems"))
        let good = try SluiceBinary.run(["validate", dir.file("good.yaml")])
        #expect(good.status == 0)
        #expect(good.stdout == "1 object in 1 file: valid\n")
        let missing = try SluiceBinary.run(["validate", dir.file("nope")])
        #expect(missing.status == 2)
    }
}
