import Controller
import ControllerProcess
import Notifications
import Promotion
import Rollout
import Schema

/// The field tables of the reference docs, each between markers in its file:
/// `<!-- api-table: ID -->` ... `<!-- /api-table -->`.
public enum ReferenceTables {
    struct Table {
        var id: String
        var text: String

        /// The fields of an object in the API: only these, in this order (all when empty);
        /// `expanding` shown by their own fields.
        init(id: String, schema: Schema, only: [String] = [], expanding: Set<String> = []) {
            var schema = schema
            if case .list(let item, _) = schema.kind { schema = item }
            if !only.isEmpty { schema.kind = .object(only.compactMap { name in schema.fields.first { $0.name == name } }) }
            self.id = id
            text = schema.referenceTable(expanding: expanding)
        }

        /// The keys of a status.
        init(id: String, status: StatusReference) {
            self.id = id
            text = status.table()
        }
    }

    static let files: [String: [Table]] = [
        "docs/modeldeployment.md": [
            Table(id: "modeldeployment-model", schema: ModelDeploymentAPI.spec[["model"]]!),
            Table(id: "modeldeployment-pods", schema: ModelDeploymentAPI.spec, only: ["replicas", "port", "template"]),
            Table(id: "modeldeployment-autoscaling", schema: ModelDeploymentAPI.spec[["autoscaling"]]!),
            Table(id: "modeldeployment-traffic", schema: ModelDeploymentAPI.spec[["traffic"]]!),
            Table(id: "modeldeployment-canary", schema: ModelDeploymentAPI.spec[["canary"]]!, expanding: ["analysis"]),
            Table(id: "modeldeployment-slo", schema: ModelDeploymentAPI.spec[["canary", "slos"]]!),
            Table(id: "modeldeployment-rollback", schema: ModelDeploymentAPI.spec[["rollback"]]!),
            Table(id: "modeldeployment-status", status: RolloutStatus.reference),
        ],
        "docs/sources.md": [
            Table(id: "gitsource-spec", schema: GitSourceAPI.spec, expanding: ["verify"]),
            Table(id: "gitsource-status", status: GitSourceStatus.reference),
        ],
        "docs/notifications.md": [Table(id: "notificationchannel-spec", schema: NotificationChannelAPI.spec, expanding: ["secretRef", "selector"])],
        "docs/environments.md": [
            Table(id: "modelpipeline-spec", schema: ModelPipelineAPI.spec, only: ["environments", "reviewBranch"], expanding: []),
            Table(id: "modelpipeline-environment", schema: ModelPipelineAPI.spec[["environments"]]!, expanding: ["modelDeployment", "policy"]),
            Table(id: "modelpipeline-mlflow", schema: ModelPipelineAPI.spec[["registry", "mlflow"]]!, expanding: ["tag", "tokenSecretRef"]),
        ],
    ]

    public enum Problem: Error, CustomStringConvertible {
        case noMarkers(file: String, id: String)
        public var description: String {
            switch self {
            case .noMarkers(let file, let id): "\(file) has no <!-- api-table: \(id) --> ... <!-- /api-table --> markers"
            }
        }
    }

    /// The docs files as they should be: `read` gives a file's checked-in text.
    public static func documents(read: (String) throws -> String) throws -> [(path: String, text: String)] {
        try files.sorted { $0.key < $1.key }.map { path, tables in
            var text = try read(path)
            for table in tables { text = try replace(table, in: text, file: path) }
            return (path, text)
        }
    }

    static func replace(_ table: Table, in text: String, file: String) throws -> String {
        let open = "<!-- api-table: \(table.id) -->"
        let close = "<!-- /api-table -->"
        guard let start = text.range(of: open), let end = text.range(of: close, range: start.upperBound..<text.endIndex) else {
            throw Problem.noMarkers(file: file, id: table.id)
        }
        return text.replacingCharacters(in: start.upperBound..<end.lowerBound, with: "\n" + table.text + "\n")
    }
}
