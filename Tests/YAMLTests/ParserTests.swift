import Foundation
import Testing
import YAML

@Suite struct ParserTests {
    @Test func keepsKeyOrderAndMarks() throws {
        let docs = try YAML.documents(in: "z: 1\na:\n  - x\n  - {b: 2}\nm: text\n", file: "f.yaml")
        #expect(docs.count == 1)
        let root = docs[0].root
        guard case .mapping(let entries) = root.content else {
            Issue.record("expected a mapping")
            return
        }
        #expect(Array(entries.keys) == ["z", "a", "m"])
        #expect(entries["a"]?.keyMark == Mark(line: 2, column: 1))
        #expect(root.mark(at: ["a", "1", "b"]) == Mark(line: 4, column: 6))
        #expect(root.mark(at: ["m"]) == Mark(line: 5, column: 1))
        #expect(root.mark(at: ["a", "7"]) == Mark(line: 2, column: 1), "a missing index falls back to the parent")
        #expect(root.value == ["z": 1, "a": ["x", ["b": 2]], "m": "text"])
    }

    @Test func multiDocumentStreamsKeepEmptyDocuments() throws {
        let docs = try YAML.documents(in: "a: 1\n---\n# nothing\n---\nb: 2\n...\n---\nc: 3\n")
        #expect(docs.map(\.isEmpty) == [false, true, false, false])
        #expect(docs.map(\.index) == [0, 1, 2, 3])
        #expect(docs[3].root.value == ["c": 3])
        #expect(docs[3].root.mark.line == 8)
    }

    @Test func emptyStreamHasNoDocuments() throws {
        #expect(try YAML.documents(in: "").isEmpty)
        #expect(try YAML.documents(in: "# only a comment\n").isEmpty)
    }

    @Test func quotedAndBlockScalarsAreAlwaysStrings() throws {
        let v = try YAML.parse("a: \"yes\"\nb: '1'\nc: |\n  true\nd: >-\n  12\n")
        #expect(v == ["a": "yes", "b": "1", "c": "true\n", "d": "12"])
    }

    @Test func mergeKeysFollowKubernetesOrder() throws {
        let v = try YAML.parse(
            """
            base: &b {a: 1, b: 2}
            before: {a: 10, <<: *b}
            after: {<<: *b, a: 10}
            list: {<<: [{a: 1}, {a: 2, c: 3}]}
            """)
        #expect(v["before"] == ["a": 1, "b": 2])
        #expect(v["after"] == ["a": 10, "b": 2])
        #expect(v["list"] == ["a": 1, "c": 3])
    }

    @Test func crlfAndBomAreAccepted() throws {
        let v = try YAML.parse("\u{FEFF}a: 1\r\nb: |\r\n  x\r\n  y\r\n")
        #expect(v == ["a": 1, "b": "x\ny\n"])
    }

    @Test func aliasesExpand() throws {
        let v = try YAML.parse("a: &x [1, 2]\nb: *x\n")
        #expect(v["b"] == [1, 2])
    }

    // MARK: errors name the file, line and column

    func error(_ text: String) -> YAMLError? {
        do {
            _ = try YAML.documents(in: text, file: "bad.yaml")
            return nil
        } catch let e as YAMLError {
            return e
        } catch {
            return nil
        }
    }

    @Test func syntaxErrorHasPosition() throws {
        let e = try #require(error("a: 1\nb: [unclosed\nc: 3\n"))
        #expect(e.kind == .syntax)
        #expect(e.file == "bad.yaml")
        #expect(e.mark.line == 3)
        #expect(e.description.hasPrefix("bad.yaml:3:"))
    }

    @Test func duplicateKeysAreRejected() throws {
        let e = try #require(error("data:\n  a: 1\n  b: 2\n  a: 3\n"))
        #expect(e.kind == .duplicateKey)
        #expect(e.mark == Mark(line: 4, column: 3))
        #expect(e.message.contains("\"a\"") && e.message.contains("line 2"))
    }

    @Test func tabIndentationIsNamed() throws {
        let e = try #require(error("metadata:\n\tname: x\n"))
        #expect(e.kind == .syntax)
        #expect(e.mark.line == 2)
        #expect(e.message.contains("tab"))
    }

    @Test func unknownTagsAreRejected() throws {
        let e = try #require(error("a: 1\nb: !custom 1\n"))
        #expect(e.kind == .unknownTag)
        #expect(e.mark == Mark(line: 2, column: 4))
        let onCollection = try #require(error("a: !thing {b: 1}\n"))
        #expect(onCollection.kind == .unknownTag)
    }

    @Test func mistaggedValuesAreRejected() throws {
        #expect(error("a: !!int abc\n")?.kind == .invalidTaggedValue)
        #expect(error("a: !!bool 12\n")?.kind == .invalidTaggedValue)
    }

    @Test func nullAndCollectionKeysAreRejected() throws {
        #expect(error("~: 1\n")?.kind == .unsupportedKey)
        #expect(error("? [a]\n: 1\n")?.kind == .unsupportedKey)
    }

    @Test func badMergeIsRejected() throws {
        #expect(error("a:\n  <<: 1\n")?.kind == .invalidMerge)
        #expect(error("a:\n  <<: [1]\n")?.kind == .invalidMerge)
    }

    @Test func unknownAliasIsRejected() throws {
        #expect(error("a: *nope\n")?.kind == .unknownAnchor)
    }

    @Test func billionLaughsIsRefusedBeforeExpansion() throws {
        var text = "a: &a [\(Array(repeating: "\"lol\"", count: 9).joined(separator: ","))]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i", "j"] {
            text += "\(name): &\(name) [\(Array(repeating: "*\(previous)", count: 9).joined(separator: ","))]\n"
            previous = name
        }
        let e = try #require(error(text))
        #expect(e.kind == .aliasExpansion)
    }

    @Test func modestAliasUseIsFine() throws {
        // 9^4 = 6561 nodes: well within the limit.
        let text = "a: &a [1,2,3,4,5,6,7,8,9]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        let v = try YAML.parse(text)
        #expect(v["d"]?.arrayValue?.count == 9)
    }

    @Test func deepNestingIsRefused() throws {
        let text = "a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let e = try #require(error(text))
        #expect(e.kind == .tooDeep)
        // Just inside the limit parses.
        let ok = String(repeating: "[", count: 127) + String(repeating: "]", count: 127)
        #expect(try YAML.parse(ok) != .null)
    }

    @Test func oversizedInputIsRefused() throws {
        let limits = ParseLimits(maxInputBytes: 10)
        #expect(throws: YAMLError.self) { try YAML.documents(in: "a: 123456789\n", limits: limits) }
    }

    @Test func nonFiniteNumbersAreNotJSON() throws {
        let doc = try #require(try YAML.documents(in: "a:\n  b: [1, .inf]\n", file: "x.yaml").first)
        #expect(throws: YAMLError.self) { try doc.root.checkJSONRepresentable(file: "x.yaml") }
        do {
            try doc.root.checkJSONRepresentable(file: "x.yaml")
        } catch let e as YAMLError {
            #expect(e.kind == .nonFiniteNumber)
            #expect(e.mark == Mark(line: 2, column: 10))
        }
    }

    @Test func invalidFixturesAllFailWithALine() throws {
        let dir = fixtures("invalid")
        for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() {
            let text = try String(contentsOfFile: "\(dir)/\(name)", encoding: .utf8)
            do {
                for doc in try YAML.documents(in: text, file: name) { try doc.root.checkJSONRepresentable(file: name) }
                Issue.record("\(name) parsed without error")
            } catch let e as YAMLError {
                #expect(e.file == name)
                #expect(e.mark.line > 0, "\(name): \(e)")
            }
        }
    }
}

func fixtures(_ sub: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(sub)").path
}
