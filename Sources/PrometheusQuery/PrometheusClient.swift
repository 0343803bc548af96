public import Foundation
public import HTTP
public import Rollout
import YAML

/// Instant queries against Prometheus' HTTP API (`/api/v1/query`) over libcurl. The answer is
/// one number, no data (an empty vector or NaN), or an error; a query that returns more than one
/// series is an error, because an SLO must aggregate to a single value.
public struct PrometheusClient: Sendable {
    public let baseURL: String
    let http: HTTPClient
    let timeout: Double
    let headers: [(name: String, value: String)]

    /// `bearerToken` is sent with every query (for Prometheus behind an authenticating proxy).
    public init(baseURL: String, http: HTTPClient, timeout: Double = 10, bearerToken: String? = nil) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = http
        self.timeout = timeout
        headers = bearerToken.map { [("Authorization", "Bearer \($0)")] } ?? []
    }

    public func query(_ promql: String, at time: Date? = nil) async -> QueryOutcome {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        var url = "\(baseURL)/api/v1/query?query=\(promql.addingPercentEncoding(withAllowedCharacters: allowed) ?? promql)"
        if let time { url += "&time=\(String(format: "%.3f", time.timeIntervalSince1970))" }
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(url: url, headers: headers + [("Accept", "application/json")], timeout: timeout))
        } catch let e as HTTPError {
            return .error("Prometheus unreachable at \(baseURL): \(e.message)")
        } catch {
            return .error("Prometheus query cancelled")
        }
        return Self.decode(status: response.status, body: response.body)
    }

    /// Reads an API answer (separate from the transport so every shape can be tested).
    public static func decode(status: Int, body: [UInt8]) -> QueryOutcome {
        guard let v = try? JSON.parse(body) else {
            return .error("Prometheus answered HTTP \(status) with a body that is not JSON")
        }
        guard v["status"] == "success" else {
            let type = v["errorType"]?.stringValue ?? "error"
            return .error("\(type): \(v["error"]?.stringValue ?? "HTTP \(status)")")
        }
        let data = v["data"] ?? .null
        func number(_ pair: Value?) -> QueryOutcome {
            guard let text = pair?.arrayValue?.last?.stringValue else { return .error("malformed sample") }
            switch text {
            case "NaN": return .noData
            case "+Inf": return .value(.infinity)
            case "-Inf": return .value(-.infinity)
            default: return Double(text).map { .value($0) } ?? .error("malformed value '\(text)'")
            }
        }
        switch data["resultType"]?.stringValue {
        case "scalar":
            return number(data["result"])
        case "vector":
            let result = data["result"]?.arrayValue ?? []
            if result.isEmpty { return .noData }
            if result.count > 1 {
                return .error("query returned \(result.count) series; aggregate it to one (for example with sum() or max())")
            }
            return number(result[0]["value"])
        case let other?:
            return .error("query returned a \(other); an SLO needs an instant vector or scalar")
        case nil:
            return .error("malformed answer")
        }
    }

    /// Whether Prometheus answers at all (`/-/ready`).
    public func isReady() async -> Bool {
        (try? await http.send(HTTPRequest(url: "\(baseURL)/-/ready", timeout: 2)).status) == 200
    }
}
