import Foundation
import HTTP
import YAML

/// A real MLflow tracking server (`pip install mlflow` into `.build/python` by scripts/setup) on
/// 127.0.0.1 with a SQLite store in a temporary directory, and the REST calls a training job
/// makes to it: register a model, log a run's metrics, create versions, set aliases.
public final class MLflowServer: Sendable {
    public let port: Int
    public let url: String
    let process: BackgroundProcess
    let directory: TemporaryDirectory
    let http = HTTPClient()

    public static var executable: String { "\(SluiceBinary.repositoryRoot)/.build/python/bin/mlflow" }

    public init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw RunError.notFound("\(Self.executable) (run scripts/setup: it installs mlflow into .build/python)")
        }
        directory = TemporaryDirectory(prefix: "sluice-mlflow")
        // A free port can be taken by another test's server between being chosen and being
        // bound (uvicorn then still says "startup complete", and exits): try another.
        var attempt = 0
        while true {
            attempt += 1
            let port = freePort()
            let process = try BackgroundProcess(
                Self.executable,
                [
                    "server", "--backend-store-uri", "sqlite:///\(directory.file("mlflow.db"))", "--default-artifact-root", directory.file("artifacts"),
                    "--host", "127.0.0.1", "--port", "\(port)", "--workers", "1",
                ],
                // The registry is all Sluice uses; the job runner (GenAI evaluation) is five more
                // Python processes.
                environment: ["MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"])
            // Database migrations run first; on a loaded 2-core machine that takes a while.
            // uvicorn says it is running only once it is bound; a bind failure ends the process.
            do {
                _ = try process.waitForOutput("Uvicorn running on", timeout: 120)
            } catch  where attempt < 4 && (process.log.contains("error while attempting to bind") || process.log.contains("already in use")) {
                _ = process.stop()
                continue
            }
            self.port = port
            url = "http://127.0.0.1:\(port)"
            self.process = process
            break
        }
    }

    public var log: String { process.log }

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    /// Stops the server: the registry is down from then on.
    public func stop() { process.stop() }

    deinit { http.shutdown() }

    // MARK: what a training pipeline does

    @discardableResult
    public func post(_ endpoint: String, _ body: Value) async throws -> Value {
        let response = try await http.send(
            HTTPRequest(
                method: "POST", url: "\(url)/api/2.0/mlflow/\(endpoint)", headers: [("Content-Type", "application/json")],
                body: Array(try JSON.serialize(body).utf8)))
        guard response.status == 200 else { throw Failure(description: "MLflow \(endpoint): HTTP \(response.status) \(response.bodyText)") }
        return try JSON.parse(response.body)
    }

    public func createModel(_ name: String) async throws { try await post("registered-models/create", ["name": .string(name)]) }

    /// A run with these metrics, and a version of `model` from it. Returns the version number.
    public func registerVersion(of model: String, metrics: [String: Double] = [:], source: String? = nil) async throws -> String {
        let run = try await post("runs/create", ["experiment_id": "0"])
        guard let runID = run[path: ["run", "info", "run_id"]]?.stringValue else { throw Failure(description: "no run id in \(run)") }
        for (key, value) in metrics {
            try await post("runs/log-metric", ["run_id": .string(runID), "key": .string(key), "value": .double(value), "timestamp": 1])
        }
        let created = try await post(
            "model-versions/create", ["name": .string(model), "source": .string(source ?? "s3://models/\(model)/\(runID)"), "run_id": .string(runID)])
        guard let version = created[path: ["model_version", "version"]]?.stringValue else { throw Failure(description: "no version in \(created)") }
        return version
    }

    public func setAlias(_ alias: String, of model: String, to version: String) async throws {
        try await post("registered-models/alias", ["name": .string(model), "alias": .string(alias), "version": .string(version)])
    }

    /// The version an alias points at, read straight from the server (nil: not set).
    public func alias(_ alias: String, of model: String) async throws -> String? {
        let response = try await http.send(HTTPRequest(url: "\(url)/api/2.0/mlflow/registered-models/alias?name=\(model)&alias=\(alias)"))
        guard response.status == 200 else { return nil }
        return try JSON.parse(response.body)[path: ["model_version", "version"]]?.stringValue
    }

    /// A version's tags, read straight from the server.
    public func tags(of model: String, version: String) async throws -> [String: String] {
        let response = try await http.send(HTTPRequest(url: "\(url)/api/2.0/mlflow/model-versions/get?name=\(model)&version=\(version)"))
        var out: [String: String] = [:]
        for t in try JSON.parse(response.body)[path: ["model_version", "tags"]]?.arrayValue ?? [] {
            if let k = t["key"]?.stringValue { out[k] = t["value"]?.stringValue }
        }
        return out
    }
}
