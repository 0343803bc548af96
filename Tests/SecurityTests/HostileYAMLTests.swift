import Foundation
import ManifestLoading
import Manifests
import TestSupport
import Testing
import YAML

/// YAML whose writer wants the controller's memory or time: alias bombs spread over many small
/// documents (each under the per-document limit), and plain files that are large together. Each
/// is refused with the file and line, in bounded time and memory, before the rest is read.
@Suite(.offThePool) struct HostileYAMLTests {
    /// One document of nine anchors, each nine aliases of the one before: 9^6 nodes from 600 bytes.
    static func bombDocument(_ i: Int) -> String {
        var lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: bomb-\(i)}", "data:", "  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...6 {
            let previous = "*a\(level - 1)"
            lines.append("  a\(level): &a\(level) [\(Array(repeating: previous, count: 9).joined(separator: ", "))]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let bombFile = (0..<40).map(bombDocument).joined(separator: "---\n")

    @Test func manyDocumentsOfAliasesAreRefusedPerFile() throws {
        #expect(Self.bombFile.utf8.count < 20_000)
        let result = ManifestLoader.load([SourceFile(path: "bomb.yaml", contents: Array(Self.bombFile.utf8))])
        #expect(result.manifests.isEmpty)
        let error = try #require(result.errors.first)
        #expect("\(error)".contains("bomb.yaml:"), "\(error)")
        #expect("\(error)".contains("aliases in this file expand to more than"), "\(error)")
    }

    @Test func aCommitsFilesShareOneBudget() throws {
        // Each file is under the per-file limits; together they are over the commit's.
        let doc = (0..<2_000).map { "  k\($0): v" }.joined(separator: "\n")
        let file = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n\(doc)\n"
        let files = (0..<30).map { SourceFile(path: "cm-\(String(format: "%02d", $0)).yaml", contents: Array(file.utf8)) }
        var limits = ParseBudget.Limits.default
        limits.maxNodes = 50_000
        let result = ManifestLoader.load(files, budget: limits)
        #expect(result.manifests.count < 30)
        let messages = result.errors.map { "\($0)" }
        #expect(messages.contains { $0.contains("cm-") && $0.contains("more than 50000 nodes") && $0.contains("max-manifest-nodes") }, "\(messages)")
        #expect(messages.contains { $0.contains("not read") }, "\(messages)")

        var bytes = ParseBudget.Limits.default
        bytes.maxBytes = 100_000
        let tooLarge = ManifestLoader.load(files, budget: bytes)
        #expect(tooLarge.errors.contains { "\($0)".contains("100000") }, "\(tooLarge.errors)")
    }

    /// The attack as it was done: the built `sluice validate` on a 16 KB file of 40 alias bombs.
    /// Before the per-file alias budget it took 784 MB and 8.8 s.
    @Test(.tags(.endToEnd)) func validateOnHostileInputStaysSmall() throws {
        let dir = TemporaryDirectory(prefix: "sluice-bomb")
        let bomb = try dir.write("bomb.yaml", Self.bombFile)
        let measured = try PeakMemory.measure(SluiceBinary.path, ["validate", bomb])
        let r = measured.result
        #expect(r.status != 0)
        #expect(r.stderr.contains("bomb.yaml:") || r.stdout.contains("bomb.yaml:"), "\(r.stdout)\(r.stderr)")
        #expect(measured.peakBytes > 0 && measured.peakBytes < 128 << 20, "peak \(measured.peakBytes >> 20) MiB")
    }
}

/// Names as the API server checks them, before any request: a name cannot carry terminal
/// escapes, spaces or capitals into plans, logs and the CLI.
@Suite struct ObjectNameTests {
    static func errors(_ kind: String, _ name: String) -> [String] {
        let yaml = "apiVersion: v1\nkind: \(kind)\nmetadata: {name: \"\(name)\"}\n"
        return ManifestLoader.load([SourceFile(path: "x.yaml", contents: Array(yaml.utf8))]).errors.map { "\($0)" }
    }

    @Test(arguments: ["evil\\e[2J", "Settings", "a b", "-x", "x-", "a..b", "tab\\tname"])
    func refused(_ name: String) {
        #expect(Self.errors("ConfigMap", name).contains { $0.contains("metadata.name") && $0.contains("is not a valid name") }, "\(name)")
        #expect(!Self.errors("ConfigMap", name).joined().unicodeScalars.contains { $0.value == 0x1b })
    }

    @Test(arguments: [("ConfigMap", "model-config.v2"), ("ClusterRole", "system:controller:sluice"), ("RoleBinding", "Release Managers")])
    func accepted(_ kind: String, _ name: String) {
        #expect(Self.errors(kind, name).isEmpty, "\(Self.errors(kind, name))")
    }
}
