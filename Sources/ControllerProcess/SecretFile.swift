public import ArgumentParser
import Foundation

public enum SecretFile {
    /// Reads a secret, trimming the trailing newline editors and `echo` add. The value is never
    /// echoed back in errors.
    public static func read(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("\(what): cannot read \(path)")
        }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw ValidationError("\(what): \(path) is empty") }
        return value
    }
}
