internal import CCurl
import Foundation
import Synchronization

/// One curl multi handle driven by one dedicated thread.
///
/// Why a thread and not Swift concurrency: libcurl's multi interface is a blocking event loop
/// (`curl_multi_poll`). Running it on the cooperative pool would pin one of its few threads
/// forever; a dedicated thread keeps the pool free and lets one multi handle share connections
/// (keep-alive, HTTP/2 multiplexing) across every request the process makes. Callers hand
/// transfers over through a locked queue and `curl_multi_wakeup`; results come back through
/// continuations.
final class CurlLoop: @unchecked Sendable {
    // Safe: `multi`, `active` and `idleHandles` are used only on the loop thread; what other
    // threads hand over is in `queue`.
    private let multi: UnsafeMutableRawPointer
    private struct Queue {
        var adds: [Transfer] = []
        var cancels: [ObjectIdentifier] = []
        var stopping = false
    }
    private let queue = Mutex(Queue())
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]
    /// Finished easy handles kept for reuse, as libcurl recommends; fresh handles per request
    /// also make curl send frames on a shared HTTP/2 connection that servers' rapid-reset
    /// defences count against it.
    private var idleHandles: [UnsafeMutableRawPointer] = []
    private let options: Options
    private let stopped = DispatchSemaphore(value: 0)

    struct Options {
        var tls: TLSOptions
        var maxConnectionsPerHost: Int
        var connectTimeout: Double
        var userAgent: String
        var verbose: Bool
    }

    static let globalInit: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        return true
    }()

    init(options: Options) {
        _ = Self.globalInit
        self.options = options
        multi = curl_multi_init()!
        sluice_curl_multi_setopt_long(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX)
        sluice_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.maxConnectionsPerHost)
        // Idle connections kept for reuse across bursts of requests.
        sluice_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(16, options.maxConnectionsPerHost * 2))
        let thread = Thread { [self] in self.run() }
        thread.name = "sluice-curl"
        thread.start()
    }

    func submit(_ transfer: Transfer) {
        let refused = queue.withLock { q in
            if !q.stopping { q.adds.append(transfer) }
            return q.stopping
        }
        if refused {
            transfer.finish(error: HTTPError(kind: .cancelled, message: "HTTP client is shut down", url: transfer.request.url), httpVersion: "")
            return
        }
        curl_multi_wakeup(multi)
    }

    func cancel(_ transfer: Transfer) {
        queue.withLock { $0.cancels.append(ObjectIdentifier(transfer)) }
        curl_multi_wakeup(multi)
    }

    func shutdown() {
        let first = queue.withLock { q in
            defer { q.stopping = true }
            return !q.stopping
        }
        guard first else { return }
        curl_multi_wakeup(multi)
        stopped.wait()
    }

    private func run() {
        var running: Int32 = 0
        while true {
            let (adds, cancels, stop) = queue.withLock { q in
                defer {
                    q.adds.removeAll()
                    q.cancels.removeAll()
                }
                return (q.adds, q.cancels, q.stopping)
            }
            for t in adds { start(t) }
            if !cancels.isEmpty {
                let ids = Set(cancels)
                for (easy, t) in active where ids.contains(ObjectIdentifier(t)) {
                    complete(easy, t, error: HTTPError(kind: .cancelled, message: "cancelled", url: t.request.url))
                }
            }
            if stop {
                for (easy, t) in active {
                    complete(easy, t, error: HTTPError(kind: .cancelled, message: "HTTP client is shut down", url: t.request.url))
                }
                idleHandles.forEach { curl_easy_cleanup($0) }
                curl_multi_cleanup(multi)
                stopped.signal()
                return
            }
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle, let t = active[easy] else { continue }
                let code = sluice_curl_msg_result(message)
                complete(easy, t, error: code == CURLE_OK ? nil : error(code, t))
            }
            // Sleep until a socket is ready, a caller wakes us, or curl's own next timer is due
            // (a new stream on a reused HTTP/2 connection waits for one).
            var timeout = -1
            curl_multi_timeout(multi, &timeout)
            if timeout < 0 || timeout > 1000 { timeout = 1000 }
            if timeout > 0 { curl_multi_poll(multi, nil, 0, Int32(timeout), nil) }
        }
    }

    private func error(_ code: CURLcode, _ t: Transfer) -> HTTPError {
        let detail = t.errorMessage
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind: HTTPError.Kind
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .connect
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER:
            kind = .tls
        case CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            kind = .interrupted
        default: kind = .other(Int32(code.rawValue))
        }
        return HTTPError(kind: kind, message: message, url: t.request.url)
    }

    private func complete(_ easy: UnsafeMutableRawPointer, _ t: Transfer, error: HTTPError?) {
        var version: Int = 0
        sluice_curl_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
        curl_multi_remove_handle(multi, easy)
        active[easy] = nil
        if idleHandles.count < 64 {
            curl_easy_reset(easy)
            idleHandles.append(easy)
        } else {
            curl_easy_cleanup(easy)
        }
        if let list = t.headerList { curl_slist_free_all(list) }
        t.headerList = nil
        t.easy = nil
        t.finish(error: error, httpVersion: version == CURL_HTTP_VERSION_2_0 ? "2" : "1.1")
    }

    private func start(_ t: Transfer) {
        guard let easy = idleHandles.popLast() ?? curl_easy_init() else {
            t.finish(error: HTTPError(kind: .other(-1), message: "curl_easy_init failed", url: t.request.url), httpVersion: "")
            return
        }
        t.easy = easy
        let r = t.request
        sluice_curl_easy_setopt_string(easy, CURLOPT_URL, r.url)
        sluice_curl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        sluice_curl_easy_setopt_long(easy, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS)
        sluice_curl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        if let timeout = r.timeout { sluice_curl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(timeout * 1000)) }
        sluice_curl_easy_setopt_string(easy, CURLOPT_USERAGENT, options.userAgent)
        t.errorBuffer[0] = 0
        sluice_curl_easy_setopt_ptr(easy, CURLOPT_ERRORBUFFER, t.errorBuffer)
        sluice_curl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        if options.verbose { sluice_curl_easy_setopt_long(easy, CURLOPT_VERBOSE, 1) }

        setRequest(easy, t)
        configureTLS(easy)
        setCallbacks(easy, t)
        active[easy] = t
        curl_multi_add_handle(multi, easy)
    }

    /// The method, the body and the headers of the transfer's request.
    private func setRequest(_ easy: UnsafeMutableRawPointer, _ t: Transfer) {
        let r = t.request
        switch r.method {
        case "GET": sluice_curl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        case "HEAD": sluice_curl_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
        default: sluice_curl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, r.method)
        }
        if let body = r.body {
            sluice_curl_easy_setopt_long(easy, CURLOPT_POST, 1)
            sluice_curl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            // COPYPOSTFIELDS copies the bytes, so the array need not outlive this call.
            if body.isEmpty {
                sluice_curl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { raw in
                    _ = sluice_curl_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress!))
                }
            }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        // curl adds "Expect: 100-continue" to large bodies, costing a round trip per request.
        list = curl_slist_append(list, "Expect:")
        for (name, value) in r.headers { list = curl_slist_append(list, "\(name): \(value)") }
        t.headerList = list
        sluice_curl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
    }

    /// Body chunks and header lines reach the transfer through curl's data pointers; the loop
    /// keeps the transfer alive until it ends.
    private func setCallbacks(_ easy: UnsafeMutableRawPointer, _ t: Transfer) {
        let me = Unmanaged.passUnretained(t).toOpaque()
        sluice_curl_easy_setopt_ptr(easy, CURLOPT_WRITEDATA, me)
        sluice_curl_easy_setopt_write(easy, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            guard let user else { return 0 }
            let t = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
            let n = size * count
            if let data { t.data(UnsafeRawBufferPointer(start: data, count: n)) }
            return n
        }
        sluice_curl_easy_setopt_ptr(easy, CURLOPT_HEADERDATA, me)
        sluice_curl_easy_setopt_write(easy, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            guard let user, let data else { return 0 }
            let t = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
            let n = size * count
            t.header(String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self))
            return n
        }
    }

    private func configureTLS(_ easy: UnsafeMutableRawPointer) {
        let tls = options.tls
        if tls.insecureSkipVerify {
            sluice_curl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0)
            sluice_curl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0)
        }
        func set(_ source: TLSOptions.Source?, file: CURLoption, blob: CURLoption) {
            switch source {
            case .file(let path)?:
                sluice_curl_easy_setopt_string(easy, file, path)
            case .data(var bytes)?:
                bytes.withUnsafeMutableBytes { raw in
                    var b = curl_blob(data: raw.baseAddress, len: raw.count, flags: UInt32(CURL_BLOB_COPY))
                    _ = sluice_curl_easy_setopt_blob(easy, blob, &b)
                }
            case nil:
                break
            }
        }
        set(tls.ca, file: CURLOPT_CAINFO, blob: CURLOPT_CAINFO_BLOB)
        set(tls.clientCertificate, file: CURLOPT_SSLCERT, blob: CURLOPT_SSLCERT_BLOB)
        set(tls.clientKey, file: CURLOPT_SSLKEY, blob: CURLOPT_SSLKEY_BLOB)
    }
}
