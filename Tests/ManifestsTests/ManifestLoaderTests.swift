import Foundation
import ManifestLoading
import Manifests
import TestSupport
import Testing
import YAML

@Suite(.offThePool) struct ManifestLoaderTests {
    func file(_ path: String, _ text: String) -> SourceFile { SourceFile(path: path, contents: Array(text.utf8)) }

    @Test func loadsObjectsInStableOrderWithSources() throws {
        let result = ManifestLoader.load([
            file("b/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: ml\n"),
            file(
                "a/cms.yaml",
                "# two config maps\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\n"
            ),
        ])
        #expect(result.errors.isEmpty)
        #expect(result.fileCount == 2)
        #expect(result.manifests.map(\.reference.description) == ["ConfigMap/one", "ConfigMap/two", "Service ml/web"])
        #expect(result.manifests[0].source == ObjectSource(file: "a/cms.yaml", document: 0, line: 3))
        #expect(result.manifests[1].source == ObjectSource(file: "a/cms.yaml", document: 2, line: 8))
        #expect(result.manifests[2].reference.key.description == "Service ml/web")
    }

    @Test func expandsLists() throws {
        let result = ManifestLoader.load([
            file(
                "list.yaml",
                "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: b}\n"
            ),
            file("cmlist.json", #"{"apiVersion":"v1","kind":"ConfigMapList","items":[{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}]}"#),
        ])
        #expect(result.errors.isEmpty)
        #expect(result.manifests.map(\.name) == ["c", "a", "b"])
        #expect(result.manifests[2].source.line == 7)
    }

    @Test func reportsEveryErrorWithFileLineAndField() throws {
        let result = ManifestLoader.load([
            file("apps/a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: ml\n---\nkind: Secret\nmetadata: {name: s}\n"),
            file("apps/b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    tier: 1\n"),
            file("apps/c.yaml", "apiVersion: v1\nkind: [ConfigMap\n"),
            file("apps/d.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: web-\n"),
            file("apps/e.yaml", "- just\n- a list\n"),
            file("apps/f.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: f}\ndata: {x: .inf}\n"),
            file("apps/g.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: g, namespace: Bad_NS}\n"),
            file("apps/ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n"),
        ])
        #expect(result.manifests.map(\.name) == ["fine"])
        let text = result.errors.map(\.description)
        #expect(text.count == 8, "\(text.joined(separator: "\n"))")
        #expect(text.contains("apps/a.yaml:3:1: document 1: ConfigMap: metadata.name: missing"))
        #expect(text.contains("apps/a.yaml:6:1: document 2: Secret/s: apiVersion: missing (every object needs apiVersion and kind)"))
        #expect(text.contains { $0.hasPrefix("apps/b.yaml:6:5: document 1: ConfigMap/x: metadata.labels.tier: must be a string, not a integer") })
        #expect(text.contains { $0.hasPrefix("apps/c.yaml:3:") })
        #expect(text.contains { $0.hasPrefix("apps/d.yaml:4:3: document 1: ConfigMap: metadata.generateName: generateName cannot be reconciled") })
        #expect(text.contains { $0.hasPrefix("apps/e.yaml:1:1: document 1: a document must be a mapping") })
        #expect(text.contains { $0.hasPrefix("apps/f.yaml:4:11: document 1: .inf cannot be represented in JSON") })
        #expect(text.contains { $0.contains("apps/g.yaml") && $0.contains("metadata.namespace: 'Bad_NS' is not a valid namespace name") })
    }

    @Test func duplicateObjectsAcrossFilesAreErrors() throws {
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup, namespace: ml}\n"
        let result = ManifestLoader.load([file("one.yaml", cm), file("two.yaml", cm.replacingOccurrences(of: "v1", with: "v1"))])
        #expect(result.manifests.count == 1)
        #expect(result.errors.map(\.description) == ["two.yaml:1: document 1: ConfigMap ml/dup: defined twice: also at one.yaml:1 (document 1)"])
        // Same name, other namespace or kind: different objects.
        let ok = ManifestLoader.load([
            file("one.yaml", cm), file("two.yaml", cm.replacingOccurrences(of: "ml", with: "prod")),
            file("three.yaml", cm.replacingOccurrences(of: "ConfigMap", with: "Secret")),
        ])
        #expect(ok.errors.isEmpty && ok.manifests.count == 3)
    }

    @Test func fieldLinesAreAvailable() throws {
        let result = ManifestLoader.load([file("m.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  key: value\n")])
        let m = try #require(result.manifests.first)
        #expect(m.line(of: ["data", "key"]) == 6)
        #expect(m.line(of: ["nope"]) == 1)
    }

    @Test func withoutNodesTheSameObjectsAndErrorsComeBack() throws {
        let files = [
            file("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  key: value\n"),
            file("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    tier: 1\n"),
        ]
        let full = ManifestLoader.load(files)
        let lean = ManifestLoader.load(files, keepNodes: false)
        #expect(lean.manifests.map(\.object) == full.manifests.map(\.object))
        #expect(lean.manifests.map(\.source.description) == full.manifests.map(\.source.description))
        #expect(lean.errors.map(\.description) == full.errors.map(\.description), "checks during loading still see the lines")
        #expect(full.manifests.allSatisfy { $0.node != nil } && lean.manifests.allSatisfy { $0.node == nil })
        #expect(lean.manifests.first?.line(of: ["data", "key"]) == 1, "afterwards, only the object's first line")
    }

    @Test func readsDirectoriesSkippingHiddenAndOtherFiles() throws {
        let dir = TemporaryDirectory()
        try dir.write("apps/web.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n")
        try dir.write("apps/notes.md", "not yaml")
        try dir.write(".github/workflows/ci.yml", "on: push\n")
        try dir.write("apps/.hidden.yaml", "broken: [\n")
        try dir.write("top.json", #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}"#)
        let result = try ManifestLoader.load(path: dir.path)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.manifests.map(\.source.file) == ["apps/web.yaml", "top.json"])
        #expect(ManifestLoader.isManifestFile("a/b.yml") && !ManifestLoader.isManifestFile(".github/x.yaml") && !ManifestLoader.isManifestFile("a/b.txt"))
        #expect(throws: ManifestError.self) { try ManifestLoader.load(path: dir.file("missing")) }
    }
}
