import Foundation
import TestSupport
import Testing
import YAML

/// `sluice diff` output compared with files in Golden/ (regenerate with SLUICE_UPDATE_GOLDEN=1),
/// and cross-checked against `kubectl diff --server-side` on which objects differ.
@Suite(.offThePool, .tags(.endToEnd)) struct DiffGoldenTests {
    static let goldenDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    func compare(_ actual: String, golden name: String) throws {
        let path = "\(Self.goldenDir)/\(name)"
        if ProcessInfo.processInfo.environment["SLUICE_UPDATE_GOLDEN"] != nil {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "\(name) differs; run with SLUICE_UPDATE_GOLDEN=1 to accept:\n\(actual)")
    }

    /// A synced app, then a commit that changes a Deployment and a ConfigMap, adds a Service
    /// and removes a ConfigMap.
    func scenario() async throws -> SyncHarness {
        let h = try await SyncHarness()
        try h.write("ns.yaml", M.namespace)
        try h.write("app/config.yaml", M.configMap("settings", ["mode": "batch", "threshold": "0.7"]))
        try h.write("app/web.yaml", M.deployment("web"))
        try h.write("app/legacy.yaml", M.configMap("legacy", ["x": "1"]))
        try h.write("app/creds.yaml", M.secret("creds", ["token": "abc"]))
        try h.commit("v1")
        let sync = try await h.sluice("sync", ["--once"])
        #expect(sync.status == 0, "\(sync.stderr)")
        try h.write("app/config.yaml", M.configMap("settings", ["mode": "online", "threshold": "0.7"]))
        try h.write("app/web.yaml", M.deployment("web", image: "registry.example.com/web:1.1", replicas: 3))
        try h.write("app/svc.yaml", M.service("web"))
        try h.git.remove("app/legacy.yaml")
        try h.commit("v2")
        return h
    }

    @Test func textAndJSONOutputMatchTheGoldenFiles() async throws {
        let h = try await scenario()
        let text = try await h.sluice("diff")
        #expect(text.status == 1, "\(text.stderr)")
        // The Service's cluster IP is allocated by the server: mask it.
        let masked = text.stdout.replacingOccurrences(of: #"10\.96\.\d+\.\d+"#, with: "10.96.X.X", options: .regularExpression)
        try compare(masked, golden: "diff-update.txt")

        let json = try await h.sluice("diff", ["-o", "json"])
        #expect(json.status == 1)
        var plan = try JSON.parse(json.stdout)
        plan["commit"] = "<commit>"
        let normalized = try JSON.serialize(plan, style: .pretty(indent: 2))
            .replacingOccurrences(of: #"10\.96\.\d+\.\d+"#, with: "10.96.X.X", options: .regularExpression)
        try compare(normalized + "\n", golden: "diff-update.json")
        await h.stop()
    }

    @Test func agreesWithKubectlDiffOnWhichObjectsDiffer() async throws {
        let h = try await scenario()
        let ours = try JSON.parse(try await h.sluice("diff", ["-o", "json"]).stdout)
        let changed = Set(
            (ours["objects"]?.arrayValue ?? []).filter { ["create", "update"].contains($0["action"]?.stringValue ?? "") }.map {
                let gv = ($0["apiVersion"]?.stringValue ?? "").replacingOccurrences(of: "/", with: ".")
                return "\(gv).\($0["kind"]!.stringValue!).\($0["namespace"]?.stringValue ?? "").\($0["name"]!.stringValue!)"
            })
        let kubectl = try await run(
            "kubectl", ["--kubeconfig", h.kubeconfig, "diff", "--server-side", "--force-conflicts", "-R", "-f", h.git.work],
            environment: ["HOME": h.dir.path, "KUBECTL_EXTERNAL_DIFF": "diff -u -N"])
        #expect(kubectl.status == 1, "\(kubectl.stderr)")
        let theirs = Set(
            kubectl.stdout.split(separator: "\n").filter { $0.hasPrefix("diff -u -N ") }.compactMap { line -> String? in
                line.split(separator: " ").last.map { String($0.split(separator: "/").last ?? "") }
            })
        #expect(changed == theirs, "sluice: \(changed.sorted())\nkubectl: \(theirs.sorted())")
        #expect(changed.count == 3)
        await h.stop()
    }
}
