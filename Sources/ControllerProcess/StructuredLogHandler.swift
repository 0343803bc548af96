public import Foundation
public import Logging

/// One line per event on stderr, as logfmt (`time=... level=info msg="synced" source=ml commit=abc1234`)
/// or JSON, with the metadata every line carries (source, object, commit, version).
public struct StructuredLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable { case logfmt, json }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let format: Format
    let output: FileHandle

    public init(label: String, format: Format, level: Logger.Level, output: FileHandle = .standardError) {
        self.label = label
        self.format = format
        self.output = output
        logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        for (k, v) in event.metadata ?? [:] { all[k] = v }
        let time = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        var line: String
        switch format {
        case .logfmt:
            line = "time=\(time) level=\(event.level) logger=\(label) msg=\(Self.quote(event.message.description))"
            for k in all.keys.sorted() { line += " \(k)=\(Self.quote("\(all[k]!)"))" }
        case .json:
            var fields: [(String, String)] = [("time", time), ("level", "\(event.level)"), ("logger", label), ("msg", event.message.description)]
            for k in all.keys.sorted() { fields.append((k, "\(all[k]!)")) }
            line = "{" + fields.map { "\(Self.jsonString($0.0)):\(Self.jsonString($0.1))" }.joined(separator: ",") + "}"
        }
        output.write(Data((line + "\n").utf8))
    }

    static func quote(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:@".contains($0) }) { return s }
        return jsonString(s)
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }

    /// Installs the handler process-wide (once).
    public static func bootstrap(format: Format, level: Logger.Level, output: FileHandle = .standardError) {
        LoggingSystem.bootstrap { StructuredLogHandler(label: $0, format: format, level: level, output: output) }
    }
}
