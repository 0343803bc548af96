public import Schema
import Values

/// The ModelPipeline API (`sluice.dev/v1alpha1`), field by field: what `PipelineSpec.parse`
/// checks, the CRD's schema (manifests/crd-modelpipeline.yaml) and the tables of
/// docs/environments.md (`sluice-dev generate` writes the last two).
public enum ModelPipelineAPI {
    public static let spec = Schema(
        .object([
            Field("registry", registry),
            Field(
                "environments",
                Schema(
                    .list(environment, minItems: 1),
                    "In promotion order: the first takes registry versions, each later one what the one before it promoted."),
                required: true),
            Field(
                "reviewBranch",
                text(
                    "Push promotion commits to this branch (`{{environment}}`, `{{version}}`; under `sluice/`) for review, instead of the source's branch."
                )),
        ]), "The environments a model is promoted through, in order, with the gates between them.")

    static func text(_ description: String, minLength: Int = 0) -> Schema { Schema(.string(minLength: minLength, values: nil), description) }

    static func flag(_ description: String) -> Schema { Schema(.boolean, description, default: true) }

    static let environment = Schema(
        .object([
            Field("name", text("The environment's name (`staging`, `production`), unique in the pipeline.", minLength: 1), required: true),
            Field(
                "modelDeployment",
                Schema(
                    .object([
                        Field("namespace", text("The namespace of the environment's ModelDeployment.", minLength: 1), required: true),
                        Field("name", Schema(.string(minLength: 1, values: nil), "Its name.", defaultText: "the pipeline's name")),
                    ]), "The ModelDeployment that runs the model in this environment."),
                required: true),
            Field(
                "soakTime",
                Schema(
                    .duration(minimum: 0, keywords: []),
                    "How long a version runs stable upstream, its SLOs holding, before it may come here (`30m`, `1h`). Not on the first environment.")),
            Field(
                "approval",
                Schema(
                    .string(minLength: 1, values: ["none", "required"]), "`required`: the version waits for `sluice approve` before it comes here.",
                    default: "none")),
            Field(
                "policy",
                Schema(
                    .object([
                        Field("pinnedImage", flag("The image names a tag other than `latest`, or a digest.")),
                        Field("resources", flag("The environment's ModelDeployment sets resource requests.")),
                        Field("slos", flag("The environment's ModelDeployment has at least one SLO.")),
                        Field("metrics", Schema(.list(metric, minItems: 0), "Registry metrics of the version and their bounds (`val_auc` at least 0.85).")),
                    ]), "What a version must satisfy before it comes here.", default: [:])),
        ]), "One environment of the pipeline.")

    static let metric = Schema(
        .object([
            Field("name", text("The registry metric.", minLength: 1), required: true),
            Field("min", Schema(.number(NumberRange()), "The least it may be.")),
            Field("max", Schema(.number(NumberRange()), "The most it may be.")),
        ]), "A registry metric and its bounds.")

    static let registry = Schema(
        .object([Field("mlflow", mlflow)]), "Where the first environment's candidate versions come from (MLflow, the only one supported).")

    static let mlflow = Schema(
        .object([
            Field("url", text("The MLflow tracking server, `http(s)://host:port`.", minLength: 1), required: true),
            Field("model", text("The registered model's name.", minLength: 1), required: true),
            Field("alias", text("The alias whose version is the candidate for the first environment.", minLength: 1)),
            Field(
                "tag",
                Schema(
                    .object([
                        Field("key", text("The tag's key.", minLength: 1), required: true),
                        Field("value", text("The tag's value.", minLength: 1), required: true),
                    ]), "Instead of an alias: the newest version carrying this tag.")),
            Field("image", text("The image a registry version runs in; `{{version}}` is the registry's version number.", minLength: 1), required: true),
            Field("uri", Schema(.string(minLength: 1, values: nil), "The model's URI for the server.", defaultText: "`models:/<model>/<version>`")),
            Field(
                "tokenSecretRef",
                Schema(
                    .object([
                        Field("name", text("The Secret's name.", minLength: 1), required: true),
                        Field("key", Schema(.string(minLength: 1, values: nil), "The Secret's key.", defaultText: "`token`")),
                        Field("namespace", text("Refused: the Secret is read from the pipeline's own namespace.")),
                    ]),
                    "The Secret, in the pipeline's own namespace, holding the registry's bearer token (read through the API at every request).")),
            Field("tokenFile", text("Refused: a synced object may not name a file of the controller's pod. Use `tokenSecretRef`.")),
        ]), "An MLflow model registry.")
}
