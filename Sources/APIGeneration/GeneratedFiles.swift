import ControllerProcess
import Notifications
import Promotion
import Rollout
import Schema
import YAML

/// Every file in the repository generated from the API's types: the CRDs (in manifests/ and
/// in the chart) and the field tables of the reference docs. `sluice-dev generate` writes them;
/// a test fails when a checked-in one differs.
public enum GeneratedFiles {
    public static let kinds: [CustomResource] = [modelDeployment, modelPipeline, gitSource, notificationChannel]

    static let modelDeployment = CustomResource(
        kind: "ModelDeployment", plural: "modeldeployments", shortName: "mdep",
        summary: ["The ModelDeployment resource: a model version rolled out as a canary guarded by SLOs.", "Reference: docs/modeldeployment.md"],
        columns: [
            CustomResource.column("Version", "string", ".spec.model.version", "The model version git names"),
            CustomResource.column("Stable", "string", ".status.stableVersion", "The version serving by default"),
            CustomResource.column("Canary", "string", ".status.canaryVersion", "The version being rolled out"),
            CustomResource.column("Weight", "integer", ".status.canaryWeight", "Percent of traffic on the canary"),
            CustomResource.column("Phase", "string", ".status.phase"),
            CustomResource.column("Age", "date", ".metadata.creationTimestamp"),
        ], spec: ModelDeploymentAPI.spec)

    static let modelPipeline = CustomResource(
        kind: "ModelPipeline", plural: "modelpipelines", shortName: "mpipe",
        summary: [
            "The ModelPipeline resource: the environments a model is promoted through, in order, with the",
            "gates between them and the registry its versions come from. Reference: docs/environments.md",
        ],
        columns: [
            CustomResource.column("Candidate", "string", ".status.registry.candidate", "The version the registry offers"),
            CustomResource.column("Environments", "string", ".status.summary", "What each environment runs"),
            CustomResource.column("Waiting", "string", ".status.waiting", "The first gate holding a version"),
            CustomResource.column("Age", "date", ".metadata.creationTimestamp"),
        ], spec: ModelPipelineAPI.spec)

    static let gitSource = CustomResource(
        kind: "GitSource", plural: "gitsources", shortName: "gsrc",
        summary: [
            "The GitSource resource: one git repository (a ref and a path in it) that Sluice keeps applied.",
            "Outside the controller's namespace a GitSource acts as a service account of its own namespace.", "Reference: docs/sources.md",
        ],
        columns: [
            CustomResource.column("URL", "string", ".spec.url"),
            CustomResource.column("Revision", "string", ".status.revision"),
            CustomResource.column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
            CustomResource.column("Status", "string", ".status.conditions[?(@.type==\"Ready\")].message", wide: true),
            CustomResource.column("Age", "date", ".metadata.creationTimestamp"),
        ], spec: GitSourceAPI.spec)

    static let notificationChannel = CustomResource(
        kind: "NotificationChannel", plural: "notificationchannels", shortName: "nchan",
        summary: [
            "The NotificationChannel resource: where Sluice's notifications go (a signed webhook, Slack, Teams) and which,",
            "for the objects of its own namespace. Reference: docs/notifications.md",
        ],
        columns: [
            CustomResource.column("Type", "string", ".spec.type"),
            CustomResource.column("Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status"),
            CustomResource.column("Status", "string", ".status.conditions[?(@.type==\"Ready\")].message", wide: true),
            CustomResource.column("Age", "date", ".metadata.creationTimestamp"),
        ], spec: NotificationChannelAPI.spec)

    /// Path (from the repository's root) → contents, for every generated CRD file.
    public static func definitions() throws -> [(path: String, text: String)] {
        try kinds.flatMap { kind -> [(path: String, text: String)] in
            let header = kind.summary.map { "# \($0)" } + ["# Generated from the API's Swift types by `swift run sluice-dev generate`; do not edit."]
            let text = header.joined(separator: "\n") + "\n" + (try YAML.emit(kind.definition))
            return [("manifests/crd-\(kind.kind.lowercased()).yaml", text), ("charts/sluice/crds/\(kind.plural).yaml", text)]
        }
    }
}
