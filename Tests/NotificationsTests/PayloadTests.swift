import Foundation
import Notifications
import Testing
import YAML

let rollback = NotificationEvent(
    id: "ml/churn/2025-11-17/RolledBack", kind: .rolledBack, objectKind: "ModelDeployment", namespace: "ml", name: "churn", version: "2025-11-17",
    message: "SLO error-rate breached: 0.21 is above 0.05 with 95% confidence; traffic is back on 2025-11-10",
    time: Date(timeIntervalSince1970: 1_800_000_000),
    evidence: .init(slo: "error-rate", estimate: 0.21, lower: 0.17, upper: 0.25, threshold: 0.05, samples: 412))

/// What each channel is sent, within its service's limits.
@Suite struct PayloadTests {
    @Test func theWebhookBodyIsVersionedAndCarriesTheEvidence() throws {
        let body = try JSON.parse(WebhookPayload.body(rollback))
        #expect(body["apiVersion"] == "notifications.sluice.dev/v1" && body["event"] == "RolledBack" && body["severity"] == "warning")
        #expect(body[path: ["object", "name"]] == "churn" && body["version"] == "2025-11-17")
        #expect(body[path: ["evidence", "upper"]] == 0.25 && body[path: ["evidence", "samples"]]?.doubleValue == 412)
        #expect(body["id"] == "ml/churn/2025-11-17/RolledBack")
    }

    @Test func theSignatureIsHMACSHA256OfTheBodyAsGitHubSignsIt() {
        // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?").
        #expect(
            WebhookPayload.signature(Array("what do ya want for nothing?".utf8), secret: Array("Jefe".utf8))
                == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func slackBlocksStayWithinBlockKitLimitsWhateverTheText() throws {
        var long = rollback
        long.name = String(repeating: "n", count: 300)
        long.message = String(repeating: "m", count: 5000)
        let payload = SlackMessage.payload(long, channel: "C123", threadTS: "1700000000.000100")
        let blocks = try #require(payload["blocks"]?.arrayValue)
        #expect(blocks.count <= 50)
        #expect((blocks[0][path: ["text", "text"]]?.stringValue?.count ?? 0) <= SlackMessage.headerLimit)
        #expect((blocks[1][path: ["text", "text"]]?.stringValue?.count ?? 0) <= SlackMessage.sectionLimit)
        let fields = blocks[2]["fields"]?.arrayValue ?? []
        #expect(fields.count <= SlackMessage.maxFields && fields.allSatisfy { ($0["text"]?.stringValue?.count ?? 0) <= SlackMessage.fieldLimit })
        #expect((payload["text"]?.stringValue?.count ?? 0) <= SlackMessage.textLimit)
        #expect(payload["channel"] == "C123" && payload["thread_ts"] == "1700000000.000100")
    }

    @Test func textFromGitCannotMentionEveryoneOrForgeALinkInSlack() throws {
        var hostile = rollback
        hostile.message = "<!channel> see <https://evil.example|the logs> & more"
        let text = try #require(SlackMessage.payload(hostile)["blocks"]?.arrayValue?[1][path: ["text", "text"]]?.stringValue)
        #expect(!text.contains("<!channel>") && !text.contains("<https://"), "\(text)")
        #expect(text.contains("&lt;!channel&gt;") && text.contains("&amp; more"))
    }

    @Test func teamsGetsOneAdaptiveCardOfVersion1_4() throws {
        let payload = TeamsCard.payload(rollback)
        #expect(payload["type"] == "message")
        let attachment = try #require(payload["attachments"]?.arrayValue?.first)
        #expect(attachment["contentType"] == "application/vnd.microsoft.card.adaptive")
        let card = try #require(attachment["content"])
        #expect(card["type"] == "AdaptiveCard" && card["version"] == "1.4" && card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json")
        let facts = card["body"]?.arrayValue?.first { $0["type"] == "FactSet" }?["facts"]?.arrayValue ?? []
        #expect(facts.contains { $0["title"] == "Evidence" && ($0["value"]?.stringValue?.contains("interval 0.17–0.25") ?? false) })
        // Every element is one of the types version 1.4 defines.
        #expect(card["body"]?.arrayValue?.allSatisfy { ["TextBlock", "FactSet"].contains($0["type"]?.stringValue ?? "") } == true)
    }
}
