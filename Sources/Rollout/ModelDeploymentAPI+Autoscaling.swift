public import Schema

extension ModelDeploymentAPI {
    static let autoscaling = Schema(
        .object([
            Field(
                "minReplicas",
                Schema(
                    .integer(minimum: 1, maximum: 1000),
                    "The fewest pods of the stable version. After a promotion the new stable version's minimum is the old one's size for one scale-down stabilisation window (the hand-over).",
                    default: 1)),
            Field(
                "maxReplicas",
                Schema(.integer(minimum: 1, maximum: 1000), "The most pods of the stable version.", defaultText: "**required** (but with `external`)")),
            Field(
                "metrics",
                Schema(
                    .list(Schema(.mapping, "An `autoscaling/v2` MetricSpec."), minItems: 1),
                    "`autoscaling/v2` MetricSpecs (`Resource`, `ContainerResource`, `Pods`, `Object`, `External`), passed to each version's HorizontalPodAutoscaler as written; the API server checks them in full.",
                    defaultText: "the HPA's: CPU at 80% of requests")),
            Field(
                "behavior",
                Schema(
                    .mapping,
                    "An `autoscaling/v2` HorizontalPodAutoscalerBehavior for the stable version's HPA; its `scaleDown.stabilizationWindowSeconds` (default 300) is also how long the hand-over holds the minimum up."
                )),
            Field(
                "external",
                Schema(
                    .boolean,
                    "Another scaler (KEDA, a HorizontalPodAutoscaler of your own) sets the stable version's replicas: Sluice renders no HPA, never writes its `replicas` after creating it, and sizes the canary from it.",
                    default: false)),
        ]),
        "Each version scaled by its own HorizontalPodAutoscaler (`autoscaling/v2`, named like its Deployment) instead of a fixed `replicas`. During a canary, the canary's HPA is pinned to the stable version's current replicas × the step's weight (rounded up, at least 1), recomputed at every look while the stable version scales."
    )
}
