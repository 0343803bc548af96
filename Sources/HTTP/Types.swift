/// A request to send. Header names are case-insensitive; bodies are bytes.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// Whole-request deadline in seconds; nil for none (watches).
    public var timeout: Double?

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil, timeout: Double? = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A complete response.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Lowercased header names; the last value wins for repeated headers.
    public var headers: [String: String]
    public var body: [UInt8]
    /// "1.1" or "2".
    public var httpVersion: String

    public init(status: Int, headers: [String: String], body: [UInt8], httpVersion: String = "1.1") {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// The head of a streamed response and its body as it arrives (watches).
public struct HTTPStreamingResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: AsyncThrowingStream<[UInt8], any Error>

    public init(status: Int, headers: [String: String], body: AsyncThrowingStream<[UInt8], any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Why a request got no response. Messages never include request headers (they carry tokens).
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case connect
        case timeout
        case tls
        case cancelled
        /// The connection broke mid-response (e.g. a watch cut by the server).
        case interrupted
        case other(Int32)
    }

    public var kind: Kind
    public var message: String
    public var url: String

    public init(kind: Kind, message: String, url: String) {
        self.kind = kind
        self.message = message
        self.url = url
    }

    public var description: String { "\(url): \(message)" }
}

/// TLS settings for one API server: whom to trust and who we are.
public struct TLSOptions: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case file(String)
        case data([UInt8])
    }

    /// CA certificates (PEM) for the server; the system store when nil.
    public var ca: Source?
    public var clientCertificate: Source?
    public var clientKey: Source?
    public var insecureSkipVerify: Bool

    public init(ca: Source? = nil, clientCertificate: Source? = nil, clientKey: Source? = nil, insecureSkipVerify: Bool = false) {
        self.ca = ca
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.insecureSkipVerify = insecureSkipVerify
    }
}
