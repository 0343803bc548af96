import Foundation
public import Rollout
import YAML

/// Rewrites the model version (and image, and URI) of one ModelDeployment in a YAML file's
/// text, touching nothing else: the revert commit Sluice writes after a rollback keeps the
/// file's formatting and comments.
public enum ModelVersionEdit {
    public struct NotFound: Error, CustomStringConvertible {
        public var description: String
    }

    public static func apply(_ text: String, name: String, file: String, to target: VersionSpec) throws -> String {
        try apply(text, name: name, file: file, to: ModelVersionFields(version: target.version, image: target.image, uri: target.uri))
    }

    public static func apply(_ text: String, name: String, file: String, to target: ModelVersionFields) throws -> String {
        let documents = try YAML.documents(in: text, file: file)
        guard
            let doc = documents.first(where: { $0.root.value["kind"] == "ModelDeployment" && $0.root.value[path: ["metadata", "name"]]?.stringValue == name })
        else {
            throw NotFound(description: "no ModelDeployment \(name) in \(file)")
        }
        var replacements: [(Mark, String)] = []
        for (field, value) in [("version", target.version), ("image", target.image)] {
            guard let node = doc.root["spec"]?["model"]?[field] else { throw NotFound(description: "\(file): spec.model.\(field) of \(name) not found") }
            replacements.append((node.mark, value))
        }
        if let uri = target.uri, let node = doc.root["spec"]?["model"]?["uri"] { replacements.append((node.mark, uri)) }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Right to left within a line, so earlier columns stay valid.
        for (mark, value) in replacements.sorted(by: { ($0.0.line, $0.0.column) > ($1.0.line, $1.0.column) }) {
            let i = mark.line - 1
            guard lines.indices.contains(i) else { continue }
            lines[i] = replace(in: lines[i], at: mark.column - 1, with: value)
        }
        return lines.joined(separator: "\n")
    }

    /// Replaces the scalar starting at `column` (0-based, in characters) with a double-quoted value.
    static func replace(in line: String, at column: Int, with value: String) -> String {
        let chars = Array(line)
        guard column < chars.count else { return line }
        var end = column
        if chars[column] == "\"" || chars[column] == "'" {
            let quote = chars[column]
            end = column + 1
            while end < chars.count {
                if quote == "\"" && chars[end] == "\\" {
                    end += 2
                    continue
                }
                if chars[end] == quote {
                    if quote == "'" && end + 1 < chars.count && chars[end + 1] == "'" {
                        end += 2
                        continue
                    }
                    end += 1
                    break
                }
                end += 1
            }
        } else {
            while end < chars.count, !",}]".contains(chars[end]), !(chars[end] == "#" && end > 0 && chars[end - 1] == " ") { end += 1 }
            while end > column, chars[end - 1] == " " { end -= 1 }
        }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return String(chars[..<column]) + "\"\(escaped)\"" + String(chars[min(end, chars.count)...])
    }
}
