public import Schema
import Values

/// The ModelDeployment API (`sluice.dev/v1alpha1`), field by field: what `ModelDeploymentSpec.parse`
/// checks and defaults, the CRD's schema (manifests/crd-modeldeployment.yaml) and the field tables
/// of docs/modeldeployment.md are all this one description (`sluice-dev generate` writes the
/// last two; a test fails when the checked-in files differ).
public enum ModelDeploymentAPI {
    /// Objects that hold defaults default to `{}` themselves, so their fields' defaults apply
    /// when the object is absent (the API server defaults only inside objects that exist).
    public static let spec = Schema(
        .object([
            Field("model", model, required: true),
            // No CRD default: the API server would write 2 into every object, and a spec with
            // `autoscaling` must be able to tell that replicas was never set.
            Field(
                "replicas",
                Schema(
                    .integer(minimum: 1, maximum: 1000), "Pods of the stable version (and of a version once promoted). Not with `autoscaling`.",
                    defaultText: "2")),
            Field(
                "port",
                Schema(.integer(minimum: 1, maximum: 65535), "The container port serving requests (named `http`). The Service listens on 80.", default: 8080)),
            Field("template", template),
            Field("autoscaling", autoscaling),
            Field("traffic", traffic),
            Field("canary", canary),
            Field("rollback", rollback),
        ]), "The desired state: a model version rolled out as a canary guarded by SLOs.")

    static func text(_ description: String, minLength: Int = 1) -> Schema { Schema(.string(minLength: minLength, values: nil), description) }

    static let model = Schema(
        .object([
            Field(
                "name",
                Schema(
                    .string(minLength: 1, values: nil), "The model's name in labels (`app.kubernetes.io/name`) and in SLO queries (`{{model}}`).",
                    defaultText: "`metadata.name`")),
            Field(
                "version",
                text(
                    "The version. Must be a valid label value (letters, digits, `-`, `_`, `.`, at most 63). Quote dates: `\"2025-11-03\"`. Each version runs as its own Deployment `<name>-<version>`, so promotion never restarts pods."
                ), required: true),
            Field("image", text("The model server image."), required: true),
            Field("uri", text("Where the model artefact is; given to the container as `MODEL_URI` (with `MODEL_NAME` and `MODEL_VERSION`).", minLength: 0)),
        ]), "The model and the server image that runs it.")

    /// Container fields and pod fields by name, each a Kubernetes type the API server checks;
    /// `labels` and `annotations` for the pods.
    static let template = Schema(
        .object(
            ModelDeploymentSpec.containerFields.sorted().map { Field($0, Schema(.any, "A field of the model container.")) }
                + ModelDeploymentSpec.podFields.sorted().map { Field($0, Schema(.any, "A field of the pod spec.")) } + [
                    Field("labels", Schema(.map(Schema(.string(minLength: 0, values: nil))), "Labels for the pods.")),
                    Field("annotations", Schema(.map(Schema(.string(minLength: 0, values: nil))), "Annotations for the pods.")),
                ]),
        "Merged into every version's pods. Container fields: `env` (appended after Sluice's), `envFrom`, `resources`, `readinessProbe`, `livenessProbe`, `startupProbe`, `args`, `command`, `volumeMounts`, `lifecycle`, `workingDir`, `imagePullPolicy`. Pod fields: `nodeSelector`, `tolerations`, `affinity`, `serviceAccountName`, `volumes`, `imagePullSecrets`, `priorityClassName`, `topologySpreadConstraints`, `securityContext`, `runtimeClassName`, `terminationGracePeriodSeconds`, `initContainers`. Also `labels` and `annotations` for the pods. Anything else is an error. What grants privilege is refused unless the operator allows it ([security](security.md#pod-policy)): a `serviceAccountName` other than `default`, `hostPath` volumes, and in `initContainers` `privileged`, `allowPrivilegeEscalation: true`, added capabilities (but `NET_BIND_SERVICE`), `procMount: Unmasked`, host ports; pod `securityContext.sysctls`."
    )

    static let traffic = Schema(
        .object([
            Field(
                "router",
                Schema(
                    .string(minLength: 1, values: ["replicas", "gateway-api"]),
                    "`replicas`: no mesh. One Service `<name>` selects every version; traffic splits by ready pods. `gateway-api`: one Service per version and an HTTPRoute `<name>` whose backend weights carry the exact split.",
                    default: "replicas")),
            Field(
                "httpRoute",
                Schema(
                    .mapping,
                    "The HTTPRoute of the `gateway-api` router: `parentRefs`, the Gateway(s) it attaches to (required with `gateway-api`), and optional `hostnames`."
                )),
        ]), "How traffic is split between the stable version and the canary.", default: [:])

    static let canary = Schema(
        .object([
            Field(
                "steps",
                Schema(
                    .list(Schema(.integer(minimum: 1, maximum: 100)), minItems: 1),
                    "Canary traffic percentages: strictly increasing, within 1..100, ending at 100.", default: [5, 25, 50, 100])),
            Field("stepDuration", Schema(.duration(minimum: 0, keywords: []), "Minimum time at each step.", default: "2m")),
            Field(
                "progressDeadline",
                Schema(
                    .duration(minimum: 1, keywords: ["auto"]),
                    "How long a new version's pods may take to become ready, and to be ready again after a step scales them (`auto`: 10m); then it is rolled back. A Deployment reporting `ProgressDeadlineExceeded` rolls back at once. Also how long a step may hold without a verdict: `auto` holds it at least 10m (or `stepDuration`) and then while the judge expects a verdict within 2h at the traffic the canary gets (the status says how long, `at 2.5 req/s to the canary a verdict needs at least about 25m`); a duration holds it that long (at least `stepDuration`). Then the canary ends **inconclusive** — traffic back on the stable version, the version not failed, `sluice retry` starts it again.",
                    default: "auto")),
            Field("analysis", analysis),
            Field(
                "gates",
                Schema(
                    .list(Schema(.integer(minimum: 1, maximum: 100)), minItems: 0), "Steps that wait for `sluice promote NAME` before advancing past them.",
                    default: [])),
            Field("slos", Schema(.list(slo, minItems: 0), "The checks (below). Without SLOs, steps advance on time alone.", default: [])),
        ]), "How a new version is rolled out: its steps, and how each is judged.", default: [:])

    static let analysis = Schema(
        .object([
            Field("interval", Schema(.duration(minimum: 1, keywords: []), "Time between SLO checks.", default: "30s")),
            Field(
                "failureLimit",
                Schema(
                    .integer(minimum: 0, maximum: 100),
                    "Failed checks tolerated during a canary; one more rolls it back. Failures accumulate over the whole canary (flapping counts).", default: 1)
            ),
            Field(
                "errorLimit",
                Schema(
                    .integer(minimum: 0, maximum: 100),
                    "Query errors (Prometheus down, a bad query) tolerated in a row; one more ends the canary **inconclusive**: traffic goes back to the stable version, but the version is not marked failed (nothing was learned about it). It starts over by itself once its SLO queries answer again, after 5 analysis intervals (at least 10 s), doubling with each retry up to 30 minutes; `sluice abort` stops that and marks it failed. A round without errors resets the count.",
                    default: 4)),
            Field(
                "confidence",
                Schema(
                    .number(NumberRange(minimum: 0.5, maximum: 1, exclusiveMaximum: true)),
                    "For evidence-judged SLOs (`errors`, `histogram`, `distribution`): a verdict is taken only when the chance of it being wrong is at most 1 − `confidence`, however many times the canary is looked at, for all of a version's SLOs together (with k of them, each is judged at 1 − (1 − `confidence`)/k). See [analysis](analysis.md).",
                    default: 0.95)),
            Field(
                "minSuccessfulChecks",
                Schema(
                    .integer(minimum: 1, maximum: 100),
                    "Passing checks needed at each step before it may advance (at least 1: never advance without evidence).",
                    default: 2, reason: "a step advances only on a passing check")),
        ]), "How often and how strictly the SLOs are judged.", default: [:])

    static let rollback = Schema(
        .object([
            Field(
                "revertCommit",
                Schema(
                    .boolean,
                    "After a rollback, commit a change to git that sets the ModelDeployment's `version`, `image` and `uri` back to the stable version's, and push it, so git and the cluster agree again. The rest of the file is untouched. Needs push access with the source's credentials.",
                    default: false))
        ]), "What happens in git after a rollback.", default: [:])
}
