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
        /// With a secret: whether `X-Sluice-Signature-256` is the HMAC-SHA256 of the body, as
        /// the receiver computed it (Python's hmac, not Sluice's code).
        public var verified: Bool?
        /// The status it was answered with.
        public var status: Int?
    }

    static let script = """
        import http.server, json, sys, time, hmac, hashlib, threading
        log = open(sys.argv[2], "a", buffering=1)
        answer = open(sys.argv[3], "rb").read()
        fail_first, delay, secret = int(sys.argv[4]), float(sys.argv[5]), sys.argv[6].encode()
        count = [0]
        lock = threading.Lock()
        class H(http.server.BaseHTTPRequestHandler):
            def handle_one(self):
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n) if n else b""
                body = raw.decode("utf-8", "replace")
                with lock:
                    count[0] += 1
                    status = 503 if count[0] <= fail_first else 200
                entry = {"method": self.command, "path": self.path,
                    "headers": {k: v for k, v in self.headers.items()}, "body": body, "status": status}
                if secret:
                    mac = "sha256=" + hmac.new(secret, raw, hashlib.sha256).hexdigest()
                    entry["verified"] = hmac.compare_digest(mac, self.headers.get("X-Sluice-Signature-256") or "")
                time.sleep(delay)
                log.write(json.dumps(entry) + "\\n")
                self.send_response(status)
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

    /// `failFirst`: the first requests are answered 503; `delay`: seconds before each answer;
    /// `secret`: each request's signature is checked with it.
    public init(answer: String = "{}", failFirst: Int = 0, delay: Double = 0, secret: String = "") throws {
        port = freePort()
        let script = try directory.write("receiver.py", Self.script)
        let answerFile = try directory.write("answer.json", answer)
        process = try BackgroundProcess(
            "/usr/bin/python3", [script, "\(port)", directory.file("requests.jsonl"), answerFile, "\(failFirst)", "\(delay)", secret])
        _ = try process.waitForOutput("listening", timeout: 30)
    }

    /// Every request received so far, oldest first.
    public var requests: [Request] {
        guard let text = try? String(contentsOfFile: directory.file("requests.jsonl"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    public func stop() { _ = process.stop() }
}
