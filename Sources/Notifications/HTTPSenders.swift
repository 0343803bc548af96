public import Foundation
public import HTTP
import Values

/// POSTs a JSON body and reads the answer's status; what all three webhook kinds share.
struct JSONPoster: Sendable {
    let http: any HTTPExchange
    let url: String
    /// What the channel is called in errors and logs (never the URL).
    let what: String
    let timeout: Double

    func post(_ body: [UInt8], headers: [(name: String, value: String)] = [("Content-Type", "application/json")]) async throws(DeliveryError) -> HTTPResponse {
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(method: "POST", url: url, headers: headers, body: body, timeout: timeout))
        } catch {
            throw .retryable("\(what) could not be reached (\(type(of: error)))")
        }
        guard (200..<300).contains(response.status) else { throw DeliveryError.status(response.status, from: what) }
        return response
    }
}

/// The generic webhook, signed with the channel's secret.
public struct WebhookSender: NotificationSender {
    let poster: JSONPoster
    let secret: [UInt8]?

    public init(url: String, secret: [UInt8]?, http: any HTTPExchange, timeout: Double = 10) {
        poster = JSONPoster(http: http, url: url, what: "the webhook", timeout: timeout)
        self.secret = secret
    }

    public func send(_ n: NotificationEvent) async throws(DeliveryError) {
        let body = WebhookPayload.body(n)
        _ = try await poster.post(body, headers: WebhookPayload.headers(n, body: body, secret: secret))
    }
}

/// A webhook that takes a JSON message and nothing else: a Slack incoming webhook (one
/// channel, chosen when the webhook was made; no threads) or a Microsoft Teams Workflows
/// webhook (one Adaptive Card per notification).
public struct JSONWebhookSender: NotificationSender {
    let poster: JSONPoster
    let payload: @Sendable (NotificationEvent) -> Value

    public static func slack(url: String, http: any HTTPExchange, timeout: Double = 10) -> JSONWebhookSender {
        JSONWebhookSender(poster: JSONPoster(http: http, url: url, what: "the Slack webhook", timeout: timeout)) { SlackMessage.payload($0) }
    }

    public static func teams(url: String, http: any HTTPExchange, timeout: Double = 10) -> JSONWebhookSender {
        JSONWebhookSender(poster: JSONPoster(http: http, url: url, what: "the Teams webhook", timeout: timeout), payload: TeamsCard.payload)
    }

    public func send(_ n: NotificationEvent) async throws(DeliveryError) {
        // Values built from strings and finite numbers only: serialising cannot fail.
        _ = try await poster.post((try? JSON.bytes(payload(n))) ?? [])
    }
}
