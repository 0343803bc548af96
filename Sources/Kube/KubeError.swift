public import YAML

/// An error from the Kubernetes API, typed from its `Status` body, or a failure to reach it.
public struct KubeError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case notFound, alreadyExists, conflict, invalid, badRequest, unauthorized, forbidden, gone, tooManyRequests
        case serverError, unsupportedMediaType, methodNotAllowed, timeout
        /// The server could not be reached, or the connection broke.
        case transport
        /// The kind is not served by the cluster (not in discovery).
        case unknownKind
        /// Credentials could not be obtained (kubeconfig, exec plugin, token file).
        case credentials
        case other
    }

    public var reason: Reason
    /// HTTP status code (0 when none was received).
    public var code: Int
    /// The Status `reason` string (`NotFound`, `Conflict`, `Invalid`...).
    public var statusReason: String
    public var message: String
    /// The Status `details` (name, kind, causes), when the server sent them.
    public var details: Value?
    /// What was being done: `PATCH apps/v1 Deployment ml/churn`.
    public var operation: String
    public var retryAfter: Double?

    public init(
        reason: Reason, code: Int = 0, statusReason: String = "", message: String, details: Value? = nil, operation: String = "", retryAfter: Double? = nil
    ) {
        self.reason = reason
        self.code = code
        self.statusReason = statusReason
        self.message = message
        self.details = details
        self.operation = operation
        self.retryAfter = retryAfter
    }

    /// Builds the error from a non-2xx response.
    init(status code: Int, body: [UInt8], operation: String, retryAfter: Double?) {
        let status = try? JSON.parse(body)
        let statusReason = status?["reason"]?.stringValue ?? ""
        var message = status?["message"]?.stringValue ?? String(decoding: body.prefix(500), as: UTF8.self)
        if message.isEmpty { message = "HTTP \(code)" }
        let reason: Reason
        switch (code, statusReason) {
        case (404, _): reason = .notFound
        case (409, "AlreadyExists"): reason = .alreadyExists
        case (409, _): reason = .conflict
        case (422, _): reason = .invalid
        case (400, _): reason = .badRequest
        case (401, _): reason = .unauthorized
        case (403, _): reason = .forbidden
        case (410, _): reason = .gone
        case (429, _): reason = .tooManyRequests
        case (415, _): reason = .unsupportedMediaType
        case (405, _): reason = .methodNotAllowed
        case (504, _), (_, "Timeout"): reason = .timeout
        case (500...599, _): reason = .serverError
        default: reason = .other
        }
        self.init(
            reason: reason, code: code, statusReason: statusReason, message: message, details: status?["details"], operation: operation, retryAfter: retryAfter)
    }

    public var isNotFound: Bool { reason == .notFound }
    public var isConflict: Bool { reason == .conflict }
    public var isAlreadyExists: Bool { reason == .alreadyExists }
    public var isGone: Bool { reason == .gone }
    public var isInvalid: Bool { reason == .invalid }

    /// Field-level causes of an Invalid or Conflict error: (field, message).
    public var causes: [(field: String, message: String)] {
        (details?["causes"]?.arrayValue ?? []).map { ($0["field"]?.stringValue ?? "", $0["message"]?.stringValue ?? "") }
    }

    /// Worth retrying: throttling, a server error, or a broken connection.
    public var isTransient: Bool {
        switch reason {
        case .tooManyRequests, .serverError, .timeout, .transport: true
        default: false
        }
    }

    public var description: String {
        let prefix = operation.isEmpty ? "" : "\(operation): "
        return code > 0 ? "\(prefix)\(message) (\(code)\(statusReason.isEmpty ? "" : " \(statusReason)"))" : "\(prefix)\(message)"
    }
}
