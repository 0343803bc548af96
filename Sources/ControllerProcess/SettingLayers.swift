import Foundation
import Schema
import Values
import YAML

/// The three layers of `sluice run`'s settings merged (a flag over `SLUICE_*` over the file),
/// each value kept with where it came from, and read as the type each setting has.
struct SettingLayers {
    private var values: [String: (text: String, origin: RunConfiguration.Origin)] = [:]
    /// The file's `sources` entries, checked against `SettingsFileAPI.source`.
    private(set) var fileSources: [Value] = []
    let filePath: String?

    typealias Problem = RunConfiguration.Problem

    init(flags: [String: String], environment: [String: String], file: String?) throws {
        filePath = file ?? environment["SLUICE_CONFIG"]
        if let filePath { try read(file: filePath) }
        for key in RunConfiguration.keys {
            let name = RunConfiguration.envName(key)
            if let v = environment[name], !v.isEmpty { values[key] = (v, .env(name)) }
        }
        for (k, v) in flags { values[k] = (v, .flag) }
    }

    private mutating func read(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem(description: "--config: cannot read \(path)") }
        let doc: Value
        do {
            doc = try YAML.parse(String(decoding: data, as: UTF8.self), file: path)
        } catch {
            throw Problem(description: "--config: \(error)")
        }
        guard let settings = doc.objectValue else { throw Problem(description: "--config: \(path) must hold a mapping of settings") }
        if let first = SettingsFileAPI.file.check(doc, at: []).first { throw Problem(description: "\(first.field) in \(path): \(first.message)") }
        for (k, v) in settings {
            if k == "sources" {
                fileSources = v.arrayValue ?? []
                continue
            }
            guard let key = RunConfiguration.keys.first(where: { RunConfiguration.camel($0) == k }) else { continue }
            values[key] = (try Self.scalar(v, key: k, file: path), .file(path))
        }
    }

    private static func scalar(_ v: Value, key: String, file: String) throws -> String {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        default: throw Problem(description: "\(key) in \(file): must be a single value, not a \(v.typeName)")
        }
    }

    func string(_ key: String) -> String? { values[key]?.text }

    /// Where a setting's value came from, for messages: `--workers`, `environment variable
    /// SLUICE_WORKERS`, `workers in /etc/sluice.yaml`.
    func origin(_ key: String) -> String { values[key].map { $0.origin.name(key) } ?? "--\(key)" }

    func duration(_ key: String, _ def: Double, min: Double = 0) throws -> Double {
        guard let text = string(key) else { return def }
        guard let d = DurationText.parse(text) else { throw Problem(description: "\(origin(key)): '\(text)' is not a duration (30s, 2m, 1h)") }
        guard d >= min else { throw Problem(description: "\(origin(key)): must be at least \(DurationText.format(min))") }
        return d
    }

    func int(_ key: String, _ def: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = string(key) else { return def }
        guard let i = Int(text), range.contains(i) else {
            throw Problem(description: "\(origin(key)): '\(text)' must be a whole number within \(range.lowerBound)...\(range.upperBound)")
        }
        return i
    }

    func bool(_ key: String, _ def: Bool) throws -> Bool {
        guard let text = string(key) else { return def }
        switch text.lowercased() {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: throw Problem(description: "\(origin(key)): '\(text)' must be true or false")
        }
    }

    func list(_ key: String) -> [String] {
        (string(key) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func namespaceList(_ key: String) throws -> [String] {
        let names = list(key)
        for n in names where !RunConfiguration.isDNSLabel(n) { throw Problem(description: "\(origin(key)): '\(n)' is not a namespace name") }
        return names
    }

    func size(_ key: String, _ def: Int) throws -> Int {
        guard let text = string(key) else { return def }
        guard let n = ByteSize.parse(text), n > 0 else { throw Problem(description: "\(origin(key)): '\(text)' is not a size (bytes, or 64Mi, 1Gi)") }
        return n
    }

    /// A file setting: the path, which must be readable now (not at first use).
    func existing(_ key: String) throws -> String? {
        guard let path = string(key) else { return nil }
        guard FileManager.default.isReadableFile(atPath: path) else { throw Problem(description: "\(origin(key)): cannot read \(path)") }
        return path
    }

    func choice(_ key: String, _ def: String, among options: [String]) throws -> String {
        let value = string(key) ?? def
        guard options.contains(value) else {
            throw Problem(description: "\(origin(key)): '\(value)' is not one of \(options.joined(separator: ", "))")
        }
        return value
    }
}
