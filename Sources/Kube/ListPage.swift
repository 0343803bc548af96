import HTTP
public import YAML

/// A list response as it came from the server. A page of 500 Deployments is a few MB of JSON
/// but several times that as values; decoding it one object at a time keeps the peak to the
/// JSON plus whatever the caller keeps of each object.
public struct ListPage: Sendable {
    let response: HTTPResponse
    let operation: String

    /// Calls `item` with each object in order; returns the list's resourceVersion and the token
    /// for the next page, if any.
    public func decode(_ item: (Value) throws -> Void) throws -> (resourceVersion: String, continueToken: String?) {
        let list = try response.decoding(operation) {
            try response.body.withUnsafeBufferPointer { try JSON.parseObject(utf8: $0, streaming: "items", element: item) }
        }
        let token = list[path: ["metadata", "continue"]]?.stringValue
        return (list[path: ["metadata", "resourceVersion"]]?.stringValue ?? "", token?.isEmpty == false ? token : nil)
    }
}
