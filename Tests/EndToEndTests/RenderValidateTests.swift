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

    /// With the traffic a model serves, validate says how long its count-based SLOs need for a
    /// verdict at the first step, and warns when the step may not hold that long — from the
    /// judge's own test, so the number moves with the bound, the confidence and the traffic.
    @Test func validateEstimatesTheTimeToAVerdictFromTheTraffic() throws {
        let dir = TemporaryDirectory()
        try dir.write(
            "churn.yaml",
            """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelDeployment
            metadata: {name: churn, namespace: ml}
            spec:
              model: {version: v2, image: reg/churn:2}
              canary:
                steps: [5, 25, 50, 100]
                progressDeadline: 10m
                slos:
                - name: error-rate
                  errors: sum(increase(e[{{window}}]))
                  total: sum(increase(t[{{window}}]))
                  max: 0.02
                - name: vs-stable
                  errors: sum(increase(e[{{window}}]))
                  total: sum(increase(t[{{window}}]))
                  relativeToStable: 2

            """)
        let slow = try SluiceBinary.run(["validate", dir.path, "--traffic", "20"])
        #expect(slow.status == 0, "a warning, not a problem: \(slow.stderr)")
        #expect(
            slow.stderr.hasPrefix("warning: ")
                && slow.stderr.contains(
                    "/churn.yaml:6:3: document 1: ModelDeployment/churn: spec.canary: SLO error-rate: at 1 req/s to the canary (5% of 20 req/s) a verdict needs about "
                ), "\(slow.stderr)")
        #expect(slow.stderr.contains("at 1% errors); progressDeadline is 10m"), "\(slow.stderr)")
        #expect(!slow.stderr.contains("vs-stable") && !slow.stdout.contains("vs-stable"), "a relative SLO has no stable traffic to estimate from")
        let busy = try SluiceBinary.run(["validate", dir.path, "--traffic", "2000"])
        #expect(busy.status == 0 && !busy.stderr.contains("warning"), "\(busy.stderr)")
        #expect(busy.stdout.contains("SLO error-rate: a verdict in about 2m at 100 req/s to the canary (5% of 2000 req/s)"), "\(busy.stdout)")
        // A better version than the default guess needs fewer requests.
        let better = try SluiceBinary.run(["validate", dir.path, "--traffic", "2000", "--error-rate", "0.001"])
        func requests(_ text: String) -> Int? {
            guard let r = text.range(of: #"\(([0-9,]+) requests"#, options: .regularExpression) else { return nil }
            return Int(text[r].dropFirst().split(separator: " ")[0].replacingOccurrences(of: ",", with: ""))
        }
        #expect((requests(better.stdout) ?? .max) < (requests(busy.stdout) ?? 0), "\(better.stdout)\(busy.stdout)")
        let bad = try SluiceBinary.run(["validate", dir.path, "--traffic", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--traffic must be a positive number"), "\(bad.stderr)")
    }
}
