import TestSupport
import Testing
import YAML

@Suite(.offThePool) struct JSONTests {
    @Test func aDetachedCopyIsEqualAndKeepsOrder() throws {
        let v = try JSON.parse(#"{"z":1,"metadata":{"name":"a-long-name-that-is-not-inline","labels":{"k":"v"}},"list":[true,null,2.5,"ünïcödé"],"a":{}}"#)
        let d = v.detached()
        #expect(d == v)
        #expect(d.objectValue?.keys.map { $0 } == ["z", "metadata", "list", "a"])
        #expect(try JSON.bytes(d) == JSON.bytes(v))
    }

    @Test func keepsOrderAndExactIntegers() throws {
        let v = try JSON.parse(#"{"z":9223372036854775807,"a":-9223372036854775808,"f":1.5,"big":18446744073709551616,"e":1e3}"#)
        guard case .object(let o) = v else {
            Issue.record("not an object")
            return
        }
        #expect(Array(o.keys) == ["z", "a", "f", "big", "e"])
        #expect(v["z"] == .int(.max))
        #expect(v["a"] == .int(.min))
        #expect(v["f"] == .double(1.5))
        #expect(v["big"] == .double(18_446_744_073_709_551_616))
        #expect(v["e"] == .double(1000))
    }

    @Test func decodesEscapes() throws {
        let v = try JSON.parse(#"["a\"b\\c\/d\n\t\u00e9\ud83d\ude80\u0000"]"#)
        #expect(v == ["a\"b\\c/d\n\té🚀\u{0}"])
    }

    @Test func rejectsBadJSONWithAPosition() throws {
        for bad in ["{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"\u{1}\"", "tru", "{\"a\":1,\"a\":2}", "[1] x", "\"\\x\""] {
            do {
                _ = try JSON.parse(bad)
                Issue.record("accepted \(bad)")
            } catch let e as YAMLError {
                #expect(e.kind == .invalidJSON)
                #expect(e.mark.line == 1)
            }
        }
    }

    @Test func writesCompactAndPretty() throws {
        let v: Value = ["a": [1, "x\"y"], "b": [:], "c": 2.5, "d": nil]
        #expect(try JSON.serialize(v) == #"{"a":[1,"x\"y"],"b":{},"c":2.5,"d":null}"#)
        #expect(try JSON.serialize(["k": [1]], style: .pretty(indent: 2)) == "{\n  \"k\": [\n    1\n  ]\n}")
    }

    @Test func refusesNonFiniteNumbers() {
        #expect(throws: YAMLError.self) { try JSON.serialize(.double(.infinity)) }
    }

    @Test func parsesConcatenatedValues() throws {
        #expect(try JSON.parseSequence("{\"a\":1}\n{\"b\":2}\n") == [["a": 1], ["b": 2]])
    }

    @Test func roundTripsGeneratedValues() throws {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<3000 {
            let v = ValueGenerator.value(depth: 0, rng: &rng)
            #expect(try JSON.parse(try JSON.serialize(v)) == v)
        }
    }

    @Test func yamlAndJSONAgree() throws {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<500 {
            let v = ValueGenerator.value(depth: 0, rng: &rng)
            // JSON is YAML: a JSON text read by the YAML parser means the same value.
            let json = try JSON.serialize(v, style: .pretty(indent: 2))
            guard let viaYAML = try? YAML.parse(json) else {
                Issue.record("YAML cannot read \(json)")
                return
            }
            #expect(viaYAML.semanticallyEquals(v), "\(json)")
        }
    }

    func streamed(_ text: String) throws -> (rest: Value, items: [Value]) {
        var items: [Value] = []
        var bytes = Array(text.utf8)
        let rest = try bytes.withUnsafeMutableBufferPointer { b in
            try JSON.parseObject(utf8: UnsafeBufferPointer(b), streaming: "items") { items.append($0) }
        }
        return (rest, items)
    }

    @Test func streamsTheItemsOfAListOneAtATime() throws {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<300 {
            let items = (0..<Int(rng.next() % 6)).map { _ in ValueGenerator.value(depth: 1, rng: &rng) }
            let list: Value = ["kind": "List", "metadata": ["resourceVersion": "12", "continue": "abc"], "items": .array(items), "after": [1, 2]]
            let (rest, got) = try streamed(try JSON.serialize(list))
            #expect(got == items)
            var expected = list
            expected["items"] = nil
            #expect(rest == expected, "the rest of the object is kept, in order")
        }
    }

    @Test func streamsOnlyTheTopLevelArray() throws {
        let (rest, items) = try streamed(#"{"spec":{"items":[1,2]},"items":[{"items":[3]}]}"#)
        #expect(items == [["items": [3]]])
        #expect(rest == ["spec": ["items": [1, 2]]])
        let (notArray, none) = try streamed(#"{"items":null}"#)
        #expect(none.isEmpty && notArray == ["items": .null])
    }

    @Test func aStreamedListReportsBadJSONLikeAnyOther() throws {
        #expect(throws: YAMLError.self) { try streamed(#"{"items":[1,2],"items":[3]}"#) }
        #expect(throws: YAMLError.self) { try streamed(#"{"items":[1,"#) }
        #expect(throws: YAMLError.self) { try streamed(#"[1]"#) }
        #expect(throws: YAMLError.self) { try streamed(#"{"items":[]} x"#) }
        var seen = 0
        #expect(throws: YAMLError.self) {
            var bytes = Array(#"{"items":[1,2,}"#.utf8)
            _ = try bytes.withUnsafeMutableBufferPointer { b in
                try JSON.parseObject(utf8: UnsafeBufferPointer(b), streaming: "items") { _ in seen += 1 }
            }
        }
        #expect(seen == 2, "items before the error were delivered")
    }
}
