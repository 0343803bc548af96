import Foundation
import OrderedCollections
import YAML

/// A Helm chart rendered by this project's test-only renderer of the template subset the chart
/// is written in (Helm itself cannot be installed here). Mirrors `helm template`: values files
/// merged over values.yaml, every template rendered with .Values, .Release and .Chart, `crds/`
/// included verbatim, documents ordered as Helm installs them.
public struct HelmChart: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public struct Document: Sendable, Equatable {
        /// `sluice/templates/deployment.yaml`, as Helm's `# Source:` comment names it.
        public var source: String
        public var text: String
        public var kind: String

        public init(source: String, text: String, kind: String) {
            self.source = source
            self.text = text
            self.kind = kind
        }
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: "\(directory)/\(relative)", encoding: .utf8)
    }

    public var chart: Value {
        get throws { try YAML.parse(try read("Chart.yaml"), file: "Chart.yaml") }
    }

    /// values.yaml with each file merged over it in turn (maps merge, everything else replaces).
    public func values(_ files: [String] = []) throws -> Value {
        var v = try YAML.parse(try read("values.yaml"), file: "values.yaml")
        for f in files { v = Self.merge(v, try YAML.parse(String(contentsOfFile: f, encoding: .utf8), file: f)) }
        return v
    }

    static func merge(_ base: Value, _ over: Value) -> Value {
        guard case .object(var b) = base, case .object(let o) = over else { return over }
        for (k, v) in o { b[k] = b[k].map { merge($0, v) } ?? v }
        return .object(b)
    }

    /// Helm's install order (pkg/releaseutil/kind_sorter.go); unknown kinds go last.
    static let installOrder = [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount",
        "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
        "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet",
        "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
        "APIService",
    ]

    /// Renders every template. Throws a `TemplateError` naming the template and line.
    public func render(values: Value, releaseName: String, namespace: String) throws -> [Document] {
        let chart = try self.chart
        let chartName = chart["name"]?.stringValue ?? "chart"
        let root: Value = [
            "Values": values,
            "Release": [
                "Name": .string(releaseName), "Namespace": .string(namespace), "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1,
            ],
            "Chart": [
                "Name": .string(chartName), "Version": chart["version"] ?? .null, "AppVersion": chart["appVersion"] ?? .null,
                "Description": chart["description"] ?? .null,
            ],
            "Template": ["BasePath": .string("\(chartName)/templates")],
        ]
        let templates = try FileManager.default.contentsOfDirectory(atPath: "\(directory)/templates").sorted()
        var defines: [String: [TemplateNode]] = [:]
        var bodies: [(String, [TemplateNode])] = []
        for t in templates where t.hasSuffix(".yaml") || t.hasSuffix(".tpl") {
            let (body, d) = try TemplateParser(name: "templates/\(t)", source: try read("templates/\(t)")).parse()
            defines.merge(d) { _, new in new }
            if !t.hasPrefix("_") { bodies.append((t, body)) }
        }
        var documents: [Document] = []
        for (t, body) in bodies {
            let text = try TemplateRenderer(defines: defines, templateName: "templates/\(t)").render(body, dot: root, root: root)
            for piece in Self.splitDocuments(text) {
                let parsed = try YAML.parse(piece, file: "\(chartName)/templates/\(t)")
                guard case .object = parsed else { continue }
                documents.append(Document(source: "\(chartName)/templates/\(t)", text: piece, kind: parsed["kind"]?.stringValue ?? ""))
            }
        }
        let crds = (try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/crds").sorted()) ?? []
        var crdDocuments: [Document] = []
        for c in crds where c.hasSuffix(".yaml") {
            crdDocuments.append(Document(source: "\(chartName)/crds/\(c)", text: try read("crds/\(c)"), kind: "CustomResourceDefinition"))
        }
        // A stable sort: within a kind, template file order is kept.
        let rank = { (d: Document) in Self.installOrder.firstIndex(of: d.kind) ?? Self.installOrder.count }
        let ordered = documents.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        return crdDocuments + ordered
    }

    /// Splits rendered text at `---` lines, dropping pieces with nothing but comments.
    static func splitDocuments(_ text: String) -> [String] {
        var pieces: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "---" {
                pieces.append(current.joined(separator: "\n"))
                current = []
            } else {
                current.append(line)
            }
        }
        pieces.append(current.joined(separator: "\n"))
        return pieces.map { $0.trimmingCharacters(in: .newlines) }.filter { piece in
            piece.split(separator: "\n").contains {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#")
            }
        }
    }

    /// The stream `helm template` prints.
    public static func stream(_ documents: [Document]) -> String {
        documents.map { "---\n# Source: \($0.source)\n\($0.text.trimmingCharacters(in: .newlines))\n" }.joined()
    }
}
