import HTTP
import YAML

extension HTTPResponse {
    /// The body as JSON.
    func json(_ operation: String) throws -> Value {
        try decoding(operation) { try JSON.parse(body) }
    }

    /// Runs a JSON parse of the body; a syntax error becomes a `KubeError` naming the operation.
    /// Other errors (thrown by a caller's per-item closure) pass through unchanged.
    func decoding<T>(_ operation: String, _ parse: () throws -> T) throws -> T {
        do {
            return try parse()
        } catch let error as YAMLError {
            throw KubeError(reason: .other, code: status, message: "\(operation): response is not JSON: \(error)")
        }
    }
}
