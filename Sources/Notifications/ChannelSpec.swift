public import Schema
public import Values

/// A NotificationChannel read through its schema: where to send, what, for which objects.
public struct ChannelSpec: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case webhook, slack
        case slackWebhook = "slack-webhook"
        case teams
    }

    public var kind: Kind
    public var secretName: String
    public var slackChannel: String?
    /// Nil: every kind of event.
    public var events: Set<NotificationEvent.Kind>?
    public var matchLabels: [String: String]
    public var perMinute: Int

    /// The spec of a NotificationChannel object, or every problem with it by field.
    public static func parse(_ object: Value) -> Result<ChannelSpec, Problems> {
        let raw = object["spec"] ?? .null
        var errors = NotificationChannelAPI.spec.check(raw, at: ["spec"])
        let s = NotificationChannelAPI.spec.defaulted(raw) ?? raw
        let kind = s["type"]?.stringValue.flatMap(Kind.init) ?? .webhook
        if kind == .slack && s["slackChannel"]?.stringValue == nil && !errors.contains(where: { $0.path == ["spec", "slackChannel"] }) {
            errors.append(FieldError(path: ["spec", "slackChannel"], message: "required with type slack (the channel ID to post to)"))
        }
        guard errors.isEmpty else { return .failure(Problems(errors: errors)) }
        var labels: [String: String] = [:]
        for (k, v) in s[path: ["selector", "matchLabels"]]?.objectValue ?? [:] { labels[k] = v.stringValue ?? "" }
        let events = s["events"]?.arrayValue.map { Set($0.compactMap { $0.stringValue.flatMap(NotificationEvent.Kind.init) }) }
        return .success(
            ChannelSpec(
                kind: kind, secretName: s[path: ["secretRef", "name"]]?.stringValue ?? "", slackChannel: s["slackChannel"]?.stringValue, events: events,
                matchLabels: labels, perMinute: Int(s["perMinute"]?.intValue ?? 30)))
    }

    public struct Problems: Error, CustomStringConvertible {
        public var errors: [FieldError]
        public var description: String { errors.map(\.description).joined(separator: "; ") }
    }

    /// Whether an event about an object with `labels` goes to this channel (the namespace is
    /// checked by whoever holds the channel: only its own).
    public func wants(_ event: NotificationEvent, labels: [String: String]) -> Bool {
        guard events?.contains(event.kind) ?? true else { return false }
        return matchLabels.allSatisfy { labels[$0.key] == $0.value }
    }
}
