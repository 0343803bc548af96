public import HTTP
import Synchronization
import Values

/// Slack's Web API with a bot token (`chat.postMessage`, scope `chat:write`): a rollout's first
/// message starts a thread and its later steps go under it. Slack answers 200 with `ok: false`
/// for most failures; `ratelimited` is retried, the rest (`channel_not_found`, `invalid_auth`,
/// `not_in_channel`...) are not.
public final class SlackBotSender: NotificationSender {
    let poster: JSONPoster
    let token: String
    let channel: String
    /// Rollout → the `ts` of its first message. Kept in memory: after a restart a rollout's
    /// next message starts a new thread rather than guessing one.
    let threads = Mutex([String: String]())

    public init(token: String, channel: String, http: any HTTPExchange, apiURL: String = "https://slack.com/api", timeout: Double = 10) {
        poster = JSONPoster(http: http, url: "\(apiURL)/chat.postMessage", what: "Slack chat.postMessage", timeout: timeout)
        self.token = token
        self.channel = channel
    }

    public func send(_ n: NotificationEvent) async throws(DeliveryError) {
        let thread = threads.withLock { $0[n.thread] }
        // Strings only: serialising cannot fail.
        let body = (try? JSON.bytes(SlackMessage.payload(n, channel: channel, threadTS: thread))) ?? []
        let headers = [("Content-Type", "application/json; charset=utf-8"), ("Authorization", "Bearer \(token)")].map { (name: $0.0, value: $0.1) }
        let response = try await poster.post(body, headers: headers)
        guard let answer = try? JSON.parse(response.body) else { throw .retryable("Slack chat.postMessage answered something that is not JSON") }
        guard answer["ok"]?.boolValue == true else {
            let error = answer["error"]?.stringValue ?? "unknown_error"
            throw error == "ratelimited"
                ? .retryable("Slack is rate limiting") : .permanent("Slack refused the message: \(Printable.escaped(error, limit: 60))")
        }
        if thread == nil, let ts = answer["ts"]?.stringValue { threads.withLock { $0[n.thread] = ts } }
    }
}
