import ChildProcess
import Foundation
import YAML

/// A Helm chart rendered by the real Helm (4.1.4, installed into .build/tools by scripts/setup;
/// `SLUICE_HELM` overrides it): `helm template` with the chart's CRDs, and `helm lint`.
public struct HelmChart: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public static var helm: String {
        if let h = ProcessInfo.processInfo.environment["SLUICE_HELM"], !h.isEmpty { return h }
        return "\(SluiceBinary.repositoryRoot)/.build/tools/helm"
    }

    public struct Document: Sendable, Equatable {
        /// `sluice/templates/deployment.yaml`, from Helm's `# Source:` comment.
        public var source: String
        public var text: String
        public var kind: String

        public init(source: String, text: String, kind: String) {
            self.source = source
            self.text = text
            self.kind = kind
        }
    }

    /// What Helm printed on a failure (a `fail` in a template, a value the schema refuses).
    public struct HelmError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// values.yaml with each file merged over it, for tests that change one value and render.
    public func values(_ files: [String] = []) throws -> Value {
        var v = try YAML.parse(String(contentsOfFile: "\(directory)/values.yaml", encoding: .utf8), file: "values.yaml")
        for f in files { v = Self.merge(v, try YAML.parse(String(contentsOfFile: f, encoding: .utf8), file: f)) }
        return v
    }

    static func merge(_ base: Value, _ over: Value) -> Value {
        guard case .object(var b) = base, case .object(let o) = over else { return over }
        for (k, v) in o { b[k] = b[k].map { merge($0, v) } ?? v }
        return .object(b)
    }

    /// `helm template` with `values` (given as a values file over the chart's own).
    public func render(values: Value, releaseName: String, namespace: String) throws -> [Document] {
        Self.documents(try renderText(values: values, releaseName: releaseName, namespace: namespace))
    }

    public func renderText(values: Value? = nil, valuesFiles: [String] = [], releaseName: String, namespace: String) throws -> String {
        var args = ["template", releaseName, directory, "--namespace", namespace, "--include-crds"]
        var temporary: String?
        if let values {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-values-\(UUID().uuidString).json").path
            try JSON.serialize(values).write(toFile: file, atomically: true, encoding: .utf8)
            temporary = file
            args += ["--values", file]
        }
        defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }
        for f in valuesFiles { args += ["--values", f] }
        let r = try ChildProcess.run(Self.helm, args, environment: Self.environment, timeout: 60)
        guard r.status == 0 else { throw HelmError(message: r.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return r.stdoutText
    }

    /// `helm lint`, with values files: its exit status and what it printed.
    public func lint(_ valuesFiles: [String] = [], strict: Bool = true) throws -> CompletedProcess {
        try ChildProcess.run(
            Self.helm, ["lint", directory] + (strict ? ["--strict"] : []) + valuesFiles.flatMap { ["--values", $0] }, environment: Self.environment, timeout: 60
        )
    }

    static var environment: [String: String] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-helm-home").path
        return ["PATH": "/usr/bin:/bin", "HOME": home, "XDG_CACHE_HOME": "\(home)/cache", "XDG_CONFIG_HOME": "\(home)/config", "XDG_DATA_HOME": "\(home)/data"]
    }

    /// The documents of `helm template` output, each with the template it came from.
    public static func documents(_ stream: String) -> [Document] {
        var out: [Document] = []
        for piece in stream.components(separatedBy: "---\n") {
            var lines = piece.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let first = lines.first, first.hasPrefix("# Source: ") else { continue }
            lines.removeFirst()
            let text = lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
            guard !text.isEmpty, let object = try? YAML.parse(text), object.objectValue != nil else { continue }
            out.append(Document(source: String(first.dropFirst("# Source: ".count)), text: text, kind: object["kind"]?.stringValue ?? ""))
        }
        return out
    }

    /// The stream `helm template` prints for `documents`.
    public static func stream(_ documents: [Document]) -> String {
        documents.map { "---\n# Source: \($0.source)\n\($0.text)\n" }.joined()
    }
}
