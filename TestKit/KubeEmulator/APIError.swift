import YAML

/// An error the emulator answers with: a `Status` object, as a real API server sends.
struct APIError: Error, Sendable {
    var code: Int
    var reason: String
    var message: String
    var details: Value?
    var retryAfter: Int?

    var status: Value {
        var s: Value = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": .string(message),
            "reason": .string(reason), "code": .int(Int64(code)),
        ]
        if let details { s["details"] = details }
        return s
    }

    static func details(_ type: ResourceType?, _ name: String?, causes: [Value]? = nil) -> Value {
        var d: Value = [:]
        if let name { d["name"] = .string(name) }
        if let type {
            if !type.group.isEmpty { d["group"] = .string(type.group) }
            d["kind"] = .string(type.plural)
        }
        if let causes { d["causes"] = .array(causes) }
        return d
    }

    static func notFound(_ type: ResourceType, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(type.resourceKey) \"\(name)\" not found", details: details(type, name))
    }

    static func namespaceNotFound(_ ns: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "namespaces \"\(ns)\" not found", details: ["name": .string(ns), "kind": "namespaces"])
    }

    static func pathNotFound(_ path: String) -> APIError {
        APIError(
            code: 404, reason: "NotFound", message: "the server could not find the requested resource",
            details: ["causes": [["reason": "UnexpectedServerResponse", "message": .string("404 page not found: \(path)")]]])
    }

    static func alreadyExists(_ type: ResourceType, _ name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(type.resourceKey) \"\(name)\" already exists", details: details(type, name))
    }

    static func conflict(_ type: ResourceType, _ name: String) -> APIError {
        APIError(
            code: 409, reason: "Conflict",
            message:
                "Operation cannot be fulfilled on \(type.resourceKey) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
            details: details(type, name))
    }

    /// A field owned by another manager holds another value (server-side apply without force).
    static func applyConflict(_ type: ResourceType, _ name: String, conflicts: [(manager: String, field: String)]) -> APIError {
        let causes: [Value] = conflicts.map {
            ["reason": "FieldManagerConflict", "message": .string("conflict with \"\($0.manager)\""), "field": .string($0.field)]
        }
        let list = conflicts.map { "- \($0.field) (owned by \"\($0.manager)\")" }.joined(separator: "\n")
        return APIError(
            code: 409, reason: "Conflict", message: "Apply failed with \(conflicts.count) conflict\(conflicts.count == 1 ? "" : "s"):\n\(list)",
            details: details(type, name, causes: causes))
    }

    struct Cause {
        var field: String
        var message: String
        var reason = "FieldValueInvalid"
    }

    static func invalid(_ type: ResourceType, _ name: String, _ causes: [Cause]) -> APIError {
        let text = causes.map { "\($0.field): \($0.message)" }.joined(separator: ", ")
        return APIError(
            code: 422, reason: "Invalid", message: "\(type.kind) \"\(name)\" is invalid: \(text)",
            details: details(
                type, name, causes: causes.map { ["reason": .string($0.reason), "message": .string("\($0.field): \($0.message)"), "field": .string($0.field)] })
        )
    }

    static func badRequest(_ message: String) -> APIError { APIError(code: 400, reason: "BadRequest", message: message) }
    static func methodNotAllowed(_ message: String) -> APIError { APIError(code: 405, reason: "MethodNotAllowed", message: message) }
    static func unsupportedMediaType(_ type: String) -> APIError {
        APIError(
            code: 415, reason: "UnsupportedMediaType",
            message:
                "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml, application/merge-patch+json, application/strategic-merge-patch+json, application/json-patch+json (got \(type))"
        )
    }
    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")
    static func gone(_ message: String) -> APIError { APIError(code: 410, reason: "Expired", message: message) }
    static func tooManyRequests(retryAfter: Int) -> APIError {
        APIError(
            code: 429, reason: "TooManyRequests", message: "injected fault: too many requests, please try again later",
            details: ["retryAfterSeconds": .int(Int64(retryAfter))], retryAfter: retryAfter)
    }
    static func injected(_ code: Int) -> APIError {
        APIError(code: code, reason: code == 503 ? "ServiceUnavailable" : "InternalError", message: "injected fault: \(code)")
    }
}
