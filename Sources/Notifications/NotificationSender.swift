/// Where a channel's notifications go: one HTTP call per notification. A sender's errors name
/// the channel's kind and the status, never its URL or token (a Slack or Teams webhook URL is
/// itself the credential).
public protocol NotificationSender: Sendable {
    func send(_ notification: NotificationEvent) async throws(DeliveryError)
}

public enum DeliveryError: Error, Equatable, CustomStringConvertible {
    /// Worth another try: a timeout, a refused connection, 408, 429 or a 5xx.
    case retryable(String)
    /// Another try would get the same answer (a 4xx, a bad token, an unknown channel).
    case permanent(String)

    public var description: String {
        switch self {
        case .retryable(let why): why
        case .permanent(let why): why
        }
    }

    /// The error for an HTTP answer that was not a success.
    static func status(_ code: Int, from what: String) -> DeliveryError {
        let why = "\(what) answered HTTP \(code)"
        return code == 408 || code == 429 || code >= 500 ? .retryable(why) : .permanent(why)
    }
}
