import Foundation
import TestSupport
import Testing
import YAML

/// kubectl is the judge of what a manifest means: for every file of a corpus of tricky YAML,
/// Sluice's reading must equal kubectl's own decoding (`kubectl label --local -o json`, which
/// needs no server). Errors must agree too: what kubectl refuses, Sluice refuses.
@Suite(.offThePool) struct KubectlDecodingTests {
    static let corpus = fixtures("kubectl")

    static func corpusFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// Our objects from a file, `kind: List` expanded as kubectl does.
    static func ours(_ path: String) throws -> [Value] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var objects: [Value] = []
        for doc in try YAML.documents(in: text, file: path) where !doc.isEmpty {
            try doc.root.checkJSONRepresentable(file: path)
            let value = doc.root.value
            if value["kind"] == "List", let items = value["items"]?.arrayValue {
                objects.append(contentsOf: items)
            } else {
                objects.append(value)
            }
        }
        return objects
    }

    static func kubectl(_ path: String) throws -> ProcessResult {
        try run("kubectl", ["label", "--local", "-f", path, "-o", "json", "sluice-decoding-check=1"])
    }

    static func withoutCheckLabel(_ v: Value) -> Value {
        var v = v
        v.set(nil, at: ["metadata", "labels", "sluice-decoding-check"])
        if v[path: ["metadata", "labels"]] == .object([:]) { v.set(nil, at: ["metadata", "labels"]) }
        return v
    }

    @Test(arguments: try corpusFiles())
    func decodesLikeKubectl(file: String) throws {
        let path = "\(Self.corpus)/\(file)"
        let result = try Self.kubectl(path)
        #expect(result.status == 0, "kubectl failed on \(file): \(result.stderr)")
        let theirs = try JSON.parseSequence(result.stdout).map(Self.withoutCheckLabel)
        let ours = try Self.ours(path)
        #expect(theirs.count == ours.count, "\(file): kubectl saw \(theirs.count) objects, Sluice \(ours.count)")
        for (t, o) in zip(theirs, ours) {
            let ourJSON = (try? JSON.serialize(o)) ?? "?"
            let theirJSON = (try? JSON.serialize(t)) ?? "?"
            #expect(o.semanticallyEquals(t), "\(file): \(o["metadata"]?["name"] ?? .null)\n ours:    \(ourJSON)\n kubectl: \(theirJSON)")
        }
    }

    /// Files both must refuse. Duplicate keys and unknown tags are left out: kubectl quietly
    /// accepts them (last key wins; the tag is dropped), Sluice refuses them on purpose.
    @Test(arguments: [
        "syntax-unclosed-flow.yaml", "tab-indent.yaml", "infinity.yaml", "bad-indent.yaml", "unterminated-quote.yaml",
        "billion-laughs.yaml", "deep-nesting.yaml",
    ])
    func refusesWhatKubectlRefuses(file: String) throws {
        let path = "\(fixtures("invalid"))/\(file)"
        let result = try Self.kubectl(path)
        #expect(result.status != 0, "kubectl accepted \(file)")
        #expect(throws: YAMLError.self) { try Self.ours(path) }
    }
}
