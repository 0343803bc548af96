public import Foundation
public import HTTP
public import Rollout
import YAML

/// Instant queries against Prometheus' HTTP API (`/api/v1/query`) over libcurl. A value query's
/// answer is one number, no data (an empty vector or NaN), or an error; one that returns more
/// than one series is an error, because such an SLO must aggregate to a single value. A vector
/// query keeps every series with its labels.
public struct PrometheusClient: MetricsSource {
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

    public func query(_ promql: String) async -> QueryOutcome {
        switch await fetch(promql) {
        case .success(let (status, body)): Self.decode(status: status, body: body)
        case .failure(let message): .error(message.description)
        }
    }

    public func queryVector(_ promql: String) async -> VectorOutcome {
        switch await fetch(promql) {
        case .success(let (status, body)): Self.decodeVector(status: status, body: body)
        case .failure(let message): .error(message.description)
        }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    func fetch(_ promql: String) async -> Result<(Int, [UInt8]), Failure> {
        let url = "\(baseURL)/api/v1/query?query=\(URLQuery.escape(promql))"
        do {
            let response = try await http.send(HTTPRequest(url: url, headers: headers + [("Accept", "application/json")], timeout: timeout))
            return .success((response.status, response.body))
        } catch let e as HTTPError {
            return .failure(Failure(description: "Prometheus unreachable at \(baseURL): \(e.message)"))
        } catch {
            return .failure(Failure(description: "Prometheus query cancelled"))
        }
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

    /// Reads a vector answer: every series's labels and value (NaN samples are left out: a
    /// ratio over nothing says nothing about that series).
    public static func decodeVector(status: Int, body: [UInt8]) -> VectorOutcome {
        guard let v = try? JSON.parse(body) else { return .error("Prometheus answered HTTP \(status) with a body that is not JSON") }
        guard v["status"] == "success" else {
            return .error("\(v["errorType"]?.stringValue ?? "error"): \(v["error"]?.stringValue ?? "HTTP \(status)")")
        }
        guard v[path: ["data", "resultType"]] == "vector" else {
            return .error("query returned a \(v[path: ["data", "resultType"]]?.stringValue ?? "malformed answer"); this SLO needs an instant vector by label")
        }
        var series: [[String: String]: Double] = [:]
        for item in v[path: ["data", "result"]]?.arrayValue ?? [] {
            var labels: [String: String] = [:]
            for (k, l) in item["metric"]?.objectValue ?? [:] where k != "__name__" { labels[k] = l.stringValue }
            guard let text = item["value"]?.arrayValue?.last?.stringValue else { return .error("malformed sample") }
            if text == "NaN" { continue }
            guard let number = text == "+Inf" ? Double.infinity : Double(text) else { return .error("malformed value '\(text)'") }
            series[labels] = number
        }
        return .series(series)
    }
}
