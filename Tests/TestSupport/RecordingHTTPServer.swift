import Foundation

/// A real HTTP server on 127.0.0.1 that answers every request `200` with one JSON body (`{}`
/// unless told) and writes down what it
/// was sent (method, path, headers, body), one JSON line per request: the receiver a hostile
/// object would point Sluice at, or a notification endpoint.
public final class RecordingHTTPServer: Sendable {
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }
    let process: BackgroundProcess
    let directory = TemporaryDirectory(prefix: "sluice-receiver")

    public struct Request: Sendable, Decodable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: String
    }

    static let script = """
        import http.server, json, sys
        log = open(sys.argv[2], "a", buffering=1)
        answer = open(sys.argv[3], "rb").read()
        class H(http.server.BaseHTTPRequestHandler):
            def handle_one(self):
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n).decode("utf-8", "replace") if n else ""
                log.write(json.dumps({"method": self.command, "path": self.path,
                    "headers": {k: v for k, v in self.headers.items()}, "body": body}) + "\\n")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_one
            def log_message(self, *a): pass
        s = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H)
        print("listening", flush=True)
        s.serve_forever()
        """

    public init(answer: String = "{}") throws {
        port = freePort()
        let script = try directory.write("receiver.py", Self.script)
        let answerFile = try directory.write("answer.json", answer)
        process = try BackgroundProcess("/usr/bin/python3", [script, "\(port)", directory.file("requests.jsonl"), answerFile])
        _ = try process.waitForOutput("listening", timeout: 30)
    }

    /// Every request received so far, oldest first.
    public var requests: [Request] {
        guard let text = try? String(contentsOfFile: directory.file("requests.jsonl"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    public func stop() { _ = process.stop() }
}
