public import ChildProcess
import Foundation
import HTTP
import YAML

/// A real Prometheus (Debian's `prometheus` package) on 127.0.0.1, with its own configuration
/// and a throwaway data directory: what `sluice demo`, the tests and the benchmarks scrape with.
public final class LocalPrometheus: Sendable {
    public let port: Int
    public let directory: String
    public let process: ChildProcess
    public var url: String { "http://127.0.0.1:\(port)" }

    public struct NotInstalled: Error, CustomStringConvertible {
        public var description: String {
            "Prometheus is not installed: run scripts/setup (or apt-get install prometheus); Sluice starts its own instance on 127.0.0.1"
        }
    }

    /// Starts Prometheus scraping `targets` (host:port) every `scrapeInterval` seconds.
    public init(targets: [String], directory: String, scrapeInterval: Double = 1, port: Int? = nil, binary: String = "prometheus") throws {
        guard
            let path = ChildProcess.find(binary)
                ?? ["/usr/bin/prometheus", "/usr/local/bin/prometheus"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw NotInstalled()
        }
        self.directory = directory
        try FileManager.default.createDirectory(atPath: "\(directory)/data", withIntermediateDirectories: true)
        let interval = "\(Int(max(1, scrapeInterval)))s"
        let config: Value = [
            "global": ["scrape_interval": .string(interval), "evaluation_interval": .string(interval)],
            "scrape_configs": [["job_name": "models", "static_configs": [["targets": .array(targets.map { .string($0) })]]]],
        ]
        try (try YAML.emit(config)).write(toFile: "\(directory)/prometheus.yml", atomically: true, encoding: .utf8)
        var chosen = port ?? 0
        var started: ChildProcess?
        for _ in 0..<5 {
            if port == nil { chosen = Self.freePort() }
            let p = try ChildProcess(
                path,
                [
                    "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data", "--web.listen-address=127.0.0.1:\(chosen)",
                    "--storage.tsdb.retention.time=2h", "--log.level=warn", "--web.enable-lifecycle",
                ],
                stdin: .null, stdout: .file("\(directory)/prometheus.log"), stderr: .stdout, newProcessGroup: true)
            usleep(150_000)
            if p.isRunning {
                started = p
                break
            }
        }
        guard let started else {
            let log = (try? String(contentsOfFile: "\(directory)/prometheus.log", encoding: .utf8)) ?? ""
            throw StartError(message: "Prometheus did not start: \(log.suffix(500))")
        }
        self.port = chosen
        process = started
    }

    public struct StartError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Waits until Prometheus answers `/-/ready` and has scraped every target once (the first
    /// sample arrives about 6 s after start: Prometheus throttles target discovery).
    public func waitUntilScraping(timeout: Double = 60) async throws {
        let http = HTTPClient()
        defer { http.shutdown() }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let r = try? await http.send(HTTPRequest(url: "\(url)/api/v1/query?query=up", timeout: 2)), r.status == 200,
                let v = try? JSON.parse(r.body), let result = v[path: ["data", "result"]]?.arrayValue, !result.isEmpty
            {
                return
            }
            if !process.isRunning { throw StartError(message: "Prometheus exited: \(log.suffix(500))") }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw StartError(message: "Prometheus did not scrape its targets within \(Int(timeout)) s")
    }

    public var log: String { (try? String(contentsOfFile: "\(directory)/prometheus.log", encoding: .utf8)) ?? "" }

    public func stop() { process.terminate(grace: 5, group: true) }

    deinit { process.terminate(grace: 2, group: true) }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
