#!/usr/bin/env python3
"""HTTP/1.1 keep-alive server for transport tests. GET /count returns how many TCP connections
it has accepted; GET /slow?s=N answers after N seconds; GET /stream sends one line per 0.1 s;
GET /seen?path=P says how many requests for P (with its query) have arrived, so a test can wait
for one to be in flight."""
import http.server
import socketserver
import sys
import threading
import time
import urllib.parse

connections = 0
seen = {}
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        global connections
        with lock:
            connections += 1
        super().setup()

    def log_message(self, *a):
        pass

    def reply(self, body, code=200):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(url.query)
        with lock:
            seen[self.path] = seen.get(self.path, 0) + 1
        if url.path == "/seen":
            with lock:
                self.reply(str(seen.get(q.get("path", [""])[0], 0)).encode())
        elif url.path == "/count":
            self.reply(str(connections).encode())
        elif url.path == "/slow":
            time.sleep(float(q.get("s", ["1"])[0]))
            self.reply(b"slow")
        elif url.path == "/stream":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(int(q.get("n", ["5"])[0])):
                line = b'{"i":%d}\n' % i
                self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
                self.wfile.flush()
                time.sleep(0.1)
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.reply(b"hello " + url.path.encode())

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n)
        self.reply(b"got " + str(len(body)).encode() + b" " + self.command.encode())

    do_PUT = do_POST
    do_PATCH = do_POST


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


server = Server(("127.0.0.1", 0), Handler)
print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
