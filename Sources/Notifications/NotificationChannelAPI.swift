public import Schema

/// The NotificationChannel kind (`sluice.dev/v1alpha1`): one destination and what goes there.
/// One object per destination, in the namespace whose objects it hears about (a channel hears
/// only about ModelDeployments, ModelPipelines and GitSources of its own namespace, so a team
/// cannot subscribe to another team's rollouts). The CRD and docs/notifications.md's table are
/// generated from this.
public enum NotificationChannelAPI {
    public static let spec = Schema(
        .object([
            Field(
                "type",
                Schema(
                    .string(minLength: 1, values: ["webhook", "slack", "slack-webhook", "teams"]),
                    "`webhook`: a signed JSON POST (docs/notifications.md#the-webhook-body). `slack`: Slack's Web API with a bot token (`chat.postMessage`), one thread per rollout. `slack-webhook`: a Slack incoming webhook. `teams`: a Microsoft Teams Workflows webhook (an Adaptive Card)."
                ), required: true),
            Field(
                "secretRef",
                Schema(
                    .object([Field("name", Schema(.string(minLength: 1, values: nil), "The Secret's name."), required: true)]),
                    "A Secret of this namespace: `url` (webhook, slack-webhook, teams), `token` (slack), `hmacKey` (webhook: signs each body; recommended). URLs and tokens are read only from here and never logged."
                ), required: true),
            Field("slackChannel", Schema(.string(minLength: 1, values: nil), "The channel ID (`C0123456`) a `slack` channel posts to.")),
            Field(
                "events",
                Schema(
                    .list(Schema(.string(minLength: 1, values: NotificationEvent.Kind.allCases.map(\.rawValue))), minItems: 1),
                    "What is sent: \(NotificationEvent.Kind.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")).",
                    defaultText: "all")),
            Field(
                "selector",
                Schema(
                    .object([Field("matchLabels", Schema(.map(Schema(.string(minLength: 0, values: nil))), "Labels the object must carry."))]),
                    "Only objects of this namespace with these labels.", defaultText: "every object of the namespace")),
            Field(
                "perMinute", Schema(.integer(minimum: 1, maximum: 600), "Messages per minute at most; the rest wait their turn.", default: 30)),
        ]), "Where Sluice's notifications go, and which.")
}
