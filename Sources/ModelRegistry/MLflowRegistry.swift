import Foundation
public import HTTP
public import Promotion
import Rollout
import YAML

/// MLflow's model registry over its REST API (`/api/2.0/mlflow/...`) through libcurl.
///
/// Nothing is sent to a URL the operator has not allowed: not the token, not a request.
public struct MLflowRegistry: ModelRegistry {
    public let baseURL: String
    public let model: String
    let http: any HTTPExchange
    let allowed: AllowedURLs
    let token: (any RegistryToken)?
    let timeout: Double

    public init(baseURL: String, model: String, http: any HTTPExchange, allowed: AllowedURLs, token: (any RegistryToken)? = nil, timeout: Double = 10) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.model = model
        self.http = http
        self.allowed = allowed
        self.token = token
        self.timeout = timeout
    }

    public func version(alias: String) async throws(RegistryError) -> RegistryVersion? {
        // MLflow answers an unset alias with 400 INVALID_PARAMETER_VALUE "alias ... not found" (and an
        // unknown model with 404, which is a mistake in the pipeline, not "no candidate").
        let unset: Absent = { status, code, message in
            status == 400 && code == "INVALID_PARAMETER_VALUE" && message.contains("alias") && message.contains("not found")
        }
        guard let answer = try await call("GET", "registered-models/alias", query: ["name": model, "alias": alias], absent: unset) else { return nil }
        return try await withMetrics(try Self.version(from: answer["model_version"], what: "alias \(alias)"))
    }

    public func version(_ number: String) async throws(RegistryError) -> RegistryVersion? {
        let noSuchVersion: Absent = { status, code, message in status == 404 && code == "RESOURCE_DOES_NOT_EXIST" && message.hasPrefix("Model Version") }
        guard let answer = try await call("GET", "model-versions/get", query: ["name": model, "version": number], absent: noSuchVersion) else { return nil }
        return try await withMetrics(try Self.version(from: answer["model_version"], what: "version \(number)"))
    }

    public func newestVersion(tagged tag: RegistryTag) async throws(RegistryError) -> RegistryVersion? {
        let filter = "name='\(Self.quoted(model))' and tags.`\(tag.key)`='\(Self.quoted(tag.value))'"
        let answer = try await call("GET", "model-versions/search", query: ["filter": filter, "max_results": "200", "order_by": "version_number DESC"])
        let versions = try (answer?["model_versions"]?.arrayValue ?? []).map { v throws(RegistryError) in try Self.version(from: v, what: "a search result") }
        guard let newest = versions.max(by: { (Int($0.version) ?? 0) < (Int($1.version) ?? 0) }) else { return nil }
        return try await withMetrics(newest)
    }

    public func setAlias(_ alias: String, version: String) async throws(RegistryError) {
        _ = try await call("POST", "registered-models/alias", body: ["name": .string(model), "alias": .string(alias), "version": .string(version)])
    }

    public func setTag(version: String, key: String, value: String) async throws(RegistryError) {
        _ = try await call(
            "POST", "model-versions/set-tag", body: ["name": .string(model), "version": .string(version), "key": .string(key), "value": .string(value)])
    }

    /// The version with the metrics of the run that produced it (a version without a run has none).
    func withMetrics(_ version: RegistryVersion) async throws(RegistryError) -> RegistryVersion {
        guard let run = version.runId, !run.isEmpty else { return version }
        let deleted: Absent = { status, code, _ in status == 404 && code == "RESOURCE_DOES_NOT_EXIST" }
        guard let answer = try await call("GET", "runs/get", query: ["run_id": run], absent: deleted) else { return version }
        var out = version
        for m in answer[path: ["run", "data", "metrics"]]?.arrayValue ?? [] {
            guard let key = m["key"]?.stringValue else { continue }
            switch m["value"] {
            case .double(let d)?: out.metrics[key] = d
            case .int(let i)?: out.metrics[key] = Double(i)
            default: continue
            }
        }
        return out
    }

    static func version(from value: Value?, what: String) throws(RegistryError) -> RegistryVersion {
        guard let value, let number = value["version"]?.stringValue ?? value["version"]?.intValue.map(String.init) else {
            throw RegistryError(.rejected, "MLflow's answer for \(what) has no model version")
        }
        // The registry's strings go into labels, file edits, branch names and commit messages:
        // a version or run id with a line break would write a trailer of its own.
        guard ModelDeploymentSpec.isLabelValue(number) else {
            throw RegistryError(
                .rejected,
                "MLflow's answer for \(what): version \(Self.quotedForError(number)) is not a valid label value (letters, digits, '-', '_', '.'; 63 at most)")
        }
        let runId = value["run_id"]?.stringValue
        if let runId, !runId.isEmpty, !ModelDeploymentSpec.isLabelValue(runId) {
            throw RegistryError(.rejected, "MLflow's answer for \(what): run id \(Self.quotedForError(runId)) is not a plain identifier")
        }
        let source = value["source"]?.stringValue
        if let source, source.unicodeScalars.contains(where: { Printable.isControl($0) || $0 == " " }) || source.utf8.count > 2048 {
            throw RegistryError(.rejected, "MLflow's answer for \(what): the version's source holds spaces or control characters, or is over 2048 bytes")
        }
        var tags: [String: String] = [:]
        for t in value["tags"]?.arrayValue ?? [] {
            if let k = t["key"]?.stringValue { tags[k] = t["value"]?.stringValue ?? "" }
        }
        return RegistryVersion(
            version: number, source: source, runId: runId, tags: tags,
            aliases: (value["aliases"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    /// A registry string as an error may show it: escaped, and short.
    static func quotedForError(_ s: String) -> String {
        "'" + Printable.escaped(String(s.prefix(80))) + (s.count > 80 ? "…" : "") + "'"
    }

    static func quoted(_ s: String) -> String { s.replacingOccurrences(of: "'", with: "\\'") }

    /// Which error answers mean "there is none" (status, MLflow error code, message).
    typealias Absent = @Sendable (Int, String, String) -> Bool

    /// One REST call; nil when `absent` says the error answer means "none".
    func call(_ method: String, _ endpoint: String, query: [String: String] = [:], body: Value? = nil, absent: Absent = { _, _, _ in false })
        async throws(RegistryError) -> Value?
    {
        let pairs = query.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let url = "\(baseURL)/api/2.0/mlflow/\(endpoint)" + (pairs.isEmpty ? "" : "?" + URLQuery.encode(pairs))
        let where_ = "MLflow at \(baseURL) (\(method) \(endpoint))"
        if let refusal = allowed.refusal(url) { throw RegistryError(.rejected, "MLflow at \(baseURL): \(refusal)") }
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let token {
            let value = try await token.token()
            guard !value.isEmpty, !value.contains(where: { $0.isNewline || $0 == "\0" }) else {
                throw RegistryError(.unauthorized, "\(where_): the registry token is empty or holds a line break")
            }
            headers.append(("Authorization", "Bearer \(value)"))
        }
        var payload: [UInt8]?
        if let body {
            headers.append(("Content-Type", "application/json"))
            // Bodies are built here from strings and integers: always JSON.
            payload = Array(((try? JSON.serialize(body)) ?? "{}").utf8)
        }
        let response: HTTPResponse
        do {
            response = try await http.send(HTTPRequest(method: method, url: url, headers: headers, body: payload, timeout: timeout))
        } catch let e as HTTPError {
            throw RegistryError(.unavailable, "\(where_): \(e.message)")
        } catch {
            throw RegistryError(.unavailable, "\(where_): cancelled")
        }
        // Not JSON is an error for a success (below) and only loses the detail of a failure.
        let answer = try? JSON.parse(response.body)
        switch response.status {
        case 200..<300:
            guard let answer else { throw RegistryError(.rejected, "\(where_): the answer is not JSON") }
            return answer
        case 400..<500 where absent(response.status, answer?["error_code"]?.stringValue ?? "", answer?["message"]?.stringValue ?? ""):
            return nil
        case 401, 403:
            throw RegistryError(.unauthorized, "\(where_): HTTP \(response.status): the registry refused the credentials")
        case 500...:
            throw RegistryError(.unavailable, "\(where_): HTTP \(response.status)")
        default:
            let reason = answer?["message"]?.stringValue ?? String(response.bodyText.prefix(200))
            throw RegistryError(.rejected, "\(where_): HTTP \(response.status): \(reason)")
        }
    }
}
