public import Values

/// A Microsoft Teams message for a Workflows webhook ("Post to a channel when a webhook
/// request is received"): one Adaptive Card, schema version 1.4 (what Teams renders in full).
public enum TeamsCard {
    public static let version = "1.4"

    public static func payload(_ n: NotificationEvent) -> Value {
        var facts: [Value] = [["title": .string(n.objectKind), "value": .string("\(n.namespace)/\(n.name)")]]
        if let version = n.version { facts.append(["title": "Version", "value": .string(version)]) }
        if let line = n.evidenceLine { facts.append(["title": "Evidence", "value": .string(line)]) }
        facts.append(["title": "Time", "value": .string(n.time.formatted(.iso8601))])
        let card: Value = [
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": .string(version),
            "body": [
                [
                    "type": "TextBlock", "text": .string(n.title), "weight": "Bolder", "size": "Medium", "wrap": true,
                    "color": n.kind.isWarning ? "Attention" : "Good",
                ],
                ["type": "TextBlock", "text": .string(n.message), "wrap": true],
                ["type": "FactSet", "facts": .array(facts)],
            ],
        ]
        return ["type": "message", "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": .null, "content": card]]]
    }
}
