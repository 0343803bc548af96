import TestSupport
import Testing
import YAML

@Suite(.offThePool) struct EmitterTests {
    @Test func writesReadableBlockYAML() throws {
        let v: Value = [
            "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x", "labels": [:]],
            "data": ["flag": "yes", "n": "1.0", "empty": "", "script": "echo hi\nexit 0\n", "list": [1, 2.5, true, nil]],
        ]
        let text = try YAML.emit(v)
        #expect(
            text == """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: x
                  labels: {}
                data:
                  flag: "yes"
                  "n": "1.0"
                  empty: ""
                  script: |
                    echo hi
                    exit 0
                  list:
                  - 1
                  - 2.5
                  - true
                  - null

                """)
        #expect(try YAML.parse(text) == v)
    }

    @Test func quotesKeysThatWouldChangeType() throws {
        let v: Value = ["yes": 1, "1": 2, "null": 3, "n": 4]
        #expect(try YAML.parse(try YAML.emit(v)) == v)
    }

    @Test func multipleDocumentsAreSeparated() throws {
        let text = try YAML.emit(documents: [["a": 1], ["b": 2]])
        let docs = try YAML.documents(in: text)
        #expect(docs.map(\.root.value) == [["a": 1], ["b": 2]])
        #expect(text.contains("---"))
    }

    /// parse(emit(v)) == v over thousands of generated values, strings chosen to be hard.
    @Test func roundTripsGeneratedValues() throws {
        var rng = SeededRandom(seed: 0x5EED)
        for i in 0..<3000 {
            let v = ValueGenerator.value(depth: 0, rng: &rng)
            let text = try YAML.emit(v)
            let back: Value
            do {
                back = try YAML.parse(text)
            } catch {
                Issue.record("case \(i): emitted YAML does not parse: \(error)\n\(text)")
                return
            }
            if back != v {
                Issue.record("case \(i): round trip changed the value\n\(text)")
                return
            }
        }
    }
}

enum ValueGenerator {
    static let trickyStrings = [
        "", " ", "yes", "no", "on", "y", "N", "true", "null", "~", "1", "-1", "1.0", "1e3", "0x1F", "012", ".inf", "-.inf",
        ".nan", "<<", "=", "a: b", "- item", "#comment", "key #x", "&anchor", "*alias", "!tag", "%directive", "@at", "`tick",
        "'single'", "\"double\"", "multi\nline", "trailing\n", "\n\nleading", "tab\there", " leading space",
        "trailing space ", "line \n with space", "ünïcödé", "日本語", "🚀", "\u{7}bell", "\u{0}nul", "{flow}", "[seq]", "?",
        ":", "-", "---", "...", "a\r\nb", "\u{FEFF}bom", "\u{85}nel", "\u{2028}ls", "x" + String(repeating: "long ", count: 40),
        "2025-11-03", "12:30", "1_000", "0o7", "+1", "-.5", "\\", "a\\nb",
    ]

    static func string(rng: inout SeededRandom) -> String {
        if Bool.random(using: &rng) { return trickyStrings.randomElement(using: &rng)! }
        let alphabet = Array("abcXYZ019 :-#&*!|>'\"\n\t{}[],.~?%@`\\üé日🚀")
        let n = Int.random(in: 0...12, using: &rng)
        return String((0..<n).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func value(depth: Int, rng: inout SeededRandom) -> Value {
        let choice = Int.random(in: 0..<(depth > 4 ? 6 : 9), using: &rng)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2:
            let specials: [Int64] = [0, 1, -1, .max, .min, 1 << 53]
            return .int(Bool.random(using: &rng) ? specials.randomElement(using: &rng)! : Int64.random(in: -1_000_000...1_000_000, using: &rng))
        case 3:
            let specials: [Double] = [0.5, -0.0, 1e300, Double.leastNonzeroMagnitude, 1.0, 100.0, 0.1, 1e21, 123456789.125]
            return .double(Bool.random(using: &rng) ? specials.randomElement(using: &rng)! : Double.random(in: -1e6...1e6, using: &rng))
        case 4, 5: return .string(string(rng: &rng))
        case 6, 7:
            var o: Value = [:]
            for _ in 0..<Int.random(in: 0...4, using: &rng) { o[string(rng: &rng)] = value(depth: depth + 1, rng: &rng) }
            return o
        default:
            return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in value(depth: depth + 1, rng: &rng) })
        }
    }
}
