public import Foundation
import Values

/// The commit message of a promotion: a subject a person reads in `git log --oneline`, the
/// evidence, and trailers `sluice history` reads back (`git interpret-trailers` format).
public enum PromotionMessage {
    public enum Trailer {
        public static let pipeline = "Sluice-Pipeline"
        public static let environment = "Sluice-Environment"
        public static let version = "Sluice-Version"
        public static let from = "Sluice-From"
        public static let approvedBy = "Sluice-Approved-By"
    }

    public static func commit(_ p: PromotionCommit, pipeline: PipelineSpec) -> String {
        var body = p.evidence.map { "- \(oneLine($0))" }
        if body.isEmpty { body = ["- no gates configured for \(oneLine(p.environment))"] }
        var trailers = [
            "\(Trailer.pipeline): \(oneLine("\(pipeline.namespace)/\(pipeline.name)"))", "\(Trailer.environment): \(oneLine(p.environment))",
            "\(Trailer.version): \(oneLine(p.fields.version))",
            "\(Trailer.from): \(oneLine(p.from))",
        ]
        if let a = p.approval { trailers.append("\(Trailer.approvedBy): \(oneLine(a.by))") }
        return """
            Promote \(oneLine(pipeline.name)) \(oneLine(p.fields.version)) to \(oneLine(p.environment)) (from \(oneLine(p.from)))

            \(body.joined(separator: "\n"))

            \(trailers.joined(separator: "\n"))
            """
    }

    /// A value as one line of a message: whatever came from a registry, an annotation or a spec
    /// cannot start a paragraph or a trailer of its own.
    public static func oneLine(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { Printable.isControl($0) ? " " : $0 }))
    }

    /// The trailers of a message (its last paragraph's `Key: value` lines).
    public static func trailers(of message: String) -> [String: String] {
        let paragraphs = message.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n\n")
        guard let last = paragraphs.last else { return [:] }
        var out: [String: String] = [:]
        for line in last.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { return [:] }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, !key.contains(" ") else { return [:] }
            out[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return out
    }
}
