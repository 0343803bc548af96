internal import CGit2

/// A libgit2 failure: which call failed, its return code, and libgit2's own message. Every
/// libgit2 return code in this module goes through `GitError.check`.
public struct GitError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case notFound
        case authentication
        case certificate
        case network
        case other(Int32)
    }

    /// The libgit2 function that failed (or the operation, for errors raised by Sluice itself).
    public var call: String
    public var code: Code
    public var message: String

    public init(call: String, code: Code, message: String) {
        self.call = call
        self.code = code
        self.message = message
    }

    public var description: String { "\(call): \(message)" }

    @discardableResult
    static func check(_ rc: Int32, _ call: String) throws -> Int32 {
        guard rc < 0 else { return rc }
        throw GitError(rc: rc, call: call)
    }

    init(rc: Int32, call: String) {
        let last = git_error_last()
        let message = last.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "error \(rc)"
        let klass = last.map { $0.pointee.klass } ?? 0
        let code: Code
        switch rc {
        case GIT_ENOTFOUND.rawValue: code = .notFound
        case GIT_EAUTH.rawValue: code = .authentication
        case GIT_ECERTIFICATE.rawValue: code = .certificate
        default:
            if klass == Int32(GIT_ERROR_NET.rawValue) || klass == Int32(GIT_ERROR_HTTP.rawValue) || klass == Int32(GIT_ERROR_SSH.rawValue) {
                code = .network
            } else {
                code = .other(rc)
            }
        }
        self.init(call: call, code: code, message: Redaction.scrubURLCredentials(message))
    }
}
