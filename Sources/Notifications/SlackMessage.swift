public import Values

/// A Slack message in Block Kit, within Slack's limits (a header's text at most 150
/// characters, a section's 3,000, at most 10 fields of 2,000 each, 50 blocks; the
/// notification text fallback at most 4,000): for `chat.postMessage` (with a channel and,
/// after a rollout's first message, its `thread_ts`) and for incoming webhooks.
public enum SlackMessage {
    public static let headerLimit = 150
    public static let sectionLimit = 3000
    public static let fieldLimit = 2000
    public static let maxFields = 10
    public static let textLimit = 4000

    static func cut(_ s: String, _ limit: Int) -> String { s.count <= limit ? s : String(s.prefix(limit - 1)) + "…" }

    /// Slack's mrkdwn treats `&`, `<` and `>` as markup: escaped so text from git or the API
    /// cannot mention `@channel` or forge a link.
    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    public static func payload(_ n: NotificationEvent, channel: String? = nil, threadTS: String? = nil) -> Value {
        let icon = n.kind.isWarning ? ":rotating_light:" : ":white_check_mark:"
        var fields: [Value] = [
            ["type": "mrkdwn", "text": .string(cut("*\(n.objectKind)*\n\(escaped("\(n.namespace)/\(n.name)"))", fieldLimit))]
        ]
        if let version = n.version { fields.append(["type": "mrkdwn", "text": .string(cut("*Version*\n\(escaped(version))", fieldLimit))]) }
        if let line = n.evidenceLine { fields.append(["type": "mrkdwn", "text": .string(cut("*Evidence*\n\(escaped(line))", fieldLimit))]) }
        let blocks: [Value] = [
            ["type": "header", "text": ["type": "plain_text", "text": .string(cut(n.title, headerLimit)), "emoji": true]],
            ["type": "section", "text": ["type": "mrkdwn", "text": .string(cut("\(icon) \(escaped(n.message))", sectionLimit))]],
            ["type": "section", "fields": .array(Array(fields.prefix(maxFields)))],
            ["type": "context", "elements": [["type": "mrkdwn", "text": .string("Sluice · \(n.time.formatted(.iso8601))")]]],
        ]
        var v: Value = ["text": .string(cut("\(n.title): \(n.message)", textLimit)), "blocks": .array(blocks)]
        if let channel { v["channel"] = .string(channel) }
        if let threadTS { v["thread_ts"] = .string(threadTS) }
        return v
    }
}
