import Foundation
import TestSupport
import Testing
import YAML

/// Mutation fuzzing over the corpus: thousands of broken variants of real files. Every input
/// must end in a value or a YAMLError (never a crash or another error), and every value must
/// survive emit → parse unchanged.
@Suite(.offThePool) struct FuzzTests {
    static let pieces: [[UInt8]] = [
        ":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!str ", "!x ", "\t", "\n", "\"", "'", "|", ">", "#", "---\n", "...", "<<: ", "? ", ",", "\r", "\u{FEFF}",
        "\u{0}", "  ",
    ].map { Array($0.utf8) }

    static func seeds() throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        for dir in ["kubectl", "invalid"] {
            let path = fixtures(dir)
            for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() {
                let data = try Data(contentsOf: URL(fileURLWithPath: "\(path)/\(name)"))
                if data.count < 20_000 { out.append(Array(data)) }
            }
        }
        return out
    }

    static func mutate(_ input: [UInt8], rng: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: if !bytes.isEmpty { bytes[at] = UInt8.random(in: 0...255, using: &rng) }
            case 1: bytes.insert(contentsOf: pieces.randomElement(using: &rng)!, at: at)
            case 2: if !bytes.isEmpty { bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...20, using: &rng))) }
            case 3:
                let end = min(bytes.count, at + Int.random(in: 1...40, using: &rng))
                bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0...bytes.count, using: &rng))
            default: if at < bytes.count { bytes[at] = [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n")].randomElement(using: &rng)! }
            }
        }
        return bytes
    }

    static func containsNaN(_ v: Value) -> Bool {
        switch v {
        case .double(let d): return d.isNaN
        case .array(let a): return a.contains(where: containsNaN)
        case .object(let o): return o.values.contains(where: containsNaN)
        default: return false
        }
    }

    @Test func mutatedInputsNeverCrash() throws {
        let seeds = try Self.seeds()
        var rng = SeededRandom(seed: 0xF022)
        var parsed = 0
        var refused = 0
        for i in 0..<4000 {
            let input = Self.mutate(seeds[i % seeds.count], rng: &rng)
            do {
                let docs = try YAML.documents(in: input, file: "fuzz-\(i).yaml")
                parsed += 1
                for doc in docs where !Self.containsNaN(doc.root.value) {
                    let value = doc.root.value
                    let back = try YAML.parse(try YAML.emit(value))
                    if back != value {
                        Issue.record("case \(i): round trip changed the value")
                    }
                }
            } catch let e as YAMLError {
                refused += 1
                #expect(e.file == "fuzz-\(i).yaml")
            }
        }
        // Both paths must have been exercised, or the mutations are too weak or too strong.
        #expect(parsed > 500)
        #expect(refused > 500)
    }
}
