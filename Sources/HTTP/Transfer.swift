internal import CCurl

/// One request in flight: its curl easy handle, what has arrived so far, and whom to tell.
/// Created by the caller, then touched only on the curl loop's thread (configuration, callbacks,
/// completion), which is why the unchecked Sendable is safe.
final class Transfer: @unchecked Sendable {
    enum Delivery {
        /// Collect the body and resume once, at the end.
        case whole(CheckedContinuation<HTTPResponse, any Error>)
        /// Resume `head` once the headers are in, then feed body chunks to `body`.
        case stream(head: CheckedContinuation<(Int, [String: String]), any Error>?, body: AsyncThrowingStream<[UInt8], any Error>.Continuation)
    }

    let request: HTTPRequest
    var delivery: Delivery
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var status = 0
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    var headComplete = false
    /// Where curl writes its error message (CURLOPT_ERRORBUFFER). curl keeps the pointer and
    /// writes through it whenever the transfer fails, long after the setopt call returns, so it
    /// must be memory with the transfer's lifetime: a Swift array's storage passed with `&` is
    /// only guaranteed for the duration of that one call. Freed in deinit, after the loop has
    /// reset the easy handle (which drops curl's pointer).
    let errorBuffer: UnsafeMutablePointer<CChar>
    var finished = false

    init(request: HTTPRequest, delivery: Delivery) {
        self.request = request
        self.delivery = delivery
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit { errorBuffer.deallocate() }

    /// curl's message for the last failure, if it wrote one.
    var errorMessage: String { String(cString: errorBuffer) }

    var isStreaming: Bool {
        if case .stream = delivery { return true }
        return false
    }

    /// A header line from curl. A status line starts a new response (after redirects or
    /// `100 Continue`); the empty line ends the head.
    func header(_ line: String) {
        let trimmed = line.trimmingSuffix { $0.isNewline }
        if trimmed.hasPrefix("HTTP/") {
            headers = [:]
            let parts = trimmed.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headComplete = false
            return
        }
        if trimmed.isEmpty {
            // A 1xx interim response is followed by the real one.
            if status >= 200 {
                headComplete = true
                deliverHead()
            }
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = trimmed[..<colon].lowercased()
        let value = trimmed[trimmed.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
        headers[name] = String(value)
    }

    func data(_ chunk: UnsafeRawBufferPointer) {
        switch delivery {
        case .whole:
            body.append(contentsOf: chunk)
        case .stream(_, let continuation):
            if !headComplete {
                headComplete = true
                deliverHead()
            }
            // Error responses to a watch are small JSON Status bodies: keep them whole.
            if status >= 300 { body.append(contentsOf: chunk) } else { continuation.yield(Array(chunk)) }
        }
    }

    private func deliverHead() {
        guard case .stream(let head?, let body) = delivery else { return }
        delivery = .stream(head: nil, body: body)
        head.resume(returning: (status, headers))
    }

    func finish(error: HTTPError?, httpVersion: String) {
        guard !finished else { return }
        finished = true
        switch delivery {
        case .whole(let c):
            if let error {
                c.resume(throwing: error)
            } else {
                c.resume(returning: HTTPResponse(status: status, headers: headers, body: body, httpVersion: httpVersion))
            }
        case .stream(let head, let stream):
            if let head {
                if let error { head.resume(throwing: error) } else { head.resume(returning: (status, headers)) }
                if status >= 300 { stream.yield(body) }
            } else if status >= 300, !body.isEmpty {
                stream.yield(body)
            }
            if let error { stream.finish(throwing: error) } else { stream.finish() }
        }
    }
}

extension String {
    func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var s = self[...]
        while let last = s.last, predicate(last) { s = s.dropLast() }
        return s
    }
}
