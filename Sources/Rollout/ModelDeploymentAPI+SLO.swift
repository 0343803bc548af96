public import Schema
import Values

extension ModelDeploymentAPI {
    static func promQL(_ description: String) -> Schema { Schema(.string(minLength: 1, values: nil), description) }

    static func number(_ description: String) -> Schema { number(NumberRange(), description) }

    static func number(_ range: NumberRange, _ description: String, default value: Value? = nil) -> Schema {
        Schema(.number(range), description, default: value)
    }

    /// Every field any form of SLO takes; which of them go together is `SLOParser`'s to say. No
    /// field here has a default the API server would fill in: `minSamples` on a `query` SLO is
    /// an error, so `SLOParser` applies them by form.
    static let slo = Schema(
        .object([
            Field("name", text("Unique within the ModelDeployment; shown in status and events."), required: true),
            Field("errors", promQL("Rates: PromQL counting failed requests since the canary started: use `increase(...[{{window}}])`.")),
            Field("total", promQL("Rates: PromQL counting all requests since the canary started, the same way.")),
            Field("histogram", promQL("Latency: PromQL returning bucket counts by `le`: `sum by (le) (increase(..._bucket{...}[{{window}}]))`.")),
            Field(
                "quantile", number(NumberRange(minimum: 0, maximum: 1, exclusiveMinimum: true, exclusiveMaximum: true), "Latency: the quantile (0.95 for p95).")
            ),
            Field("distribution", promQL("Distributions: PromQL returning counts by a label: `sum by (class) (increase(...[{{window}}]))`.")),
            Field("query", promQL("Values: PromQL returning a single value.")),
            Field("max", number("Rates: the bound (0.01 is 1%). Latency: the time the quantile must stay under. Values: the upper bound.")),
            Field("min", number("Values: the lower bound.")),
            Field(
                "relativeToStable",
                number(
                    NumberRange(minimum: 0, exclusiveMinimum: true),
                    "Rates and values: also fail when the canary's is credibly above this multiple of the stable version's, on traffic served at the same time. Latency: any value turns on the rank test against the stable version. When the stable version has no data, only `max`/`min` apply."
                )),
            Field(
                "minSamples",
                Schema(
                    .integer(minimum: 1, maximum: nil),
                    "Below this many requests (per version when comparing) the SLO gives no verdict. The rate test is valid at any sample size; the floor keeps the normal approximations of the rank and chi-squared tests honest and avoids verdicts on a handful of requests.",
                    defaultText: String(SLO.defaultMinSamples))),
            Field(
                "maxDivergence",
                number(
                    NumberRange(minimum: 0, maximum: 1, exclusiveMinimum: true),
                    "Distributions: the largest Jensen-Shannon divergence from the stable version's, in bits. 0.01 catches a shift of about 8 points in one class of three; see [analysis](analysis.md)."
                )),
            Field(
                "minEffect",
                Schema(
                    .number(NumberRange(minimum: 0, maximum: 0.5, exclusiveMaximum: true)),
                    "Latency with `relativeToStable`: how far above ½ the chance that a canary request is slower than a stable one must credibly be to fail (0.05: slower 55% of the time).",
                    defaultText: String(SLO.defaultMinEffect))),
        ]), "One check a canary must pass at every step: a rate (`errors`, `total`), a latency (`histogram`, `quantile`), a distribution, or a value (`query`)."
    )
}
