import HTTP
import Testing
import YAML

@testable import Kube

/// A response that is not JSON is an error naming the request; a caller's own error passes through.
@Suite struct ResponseDecodingTests {
    struct Stop: Error {}

    func response(_ text: String) -> HTTPResponse { HTTPResponse(status: 200, headers: [:], body: Array(text.utf8)) }

    @Test func aBodyThatIsNotJSONNamesTheOperation() throws {
        let error = try #require(throws: KubeError.self) { try response("<html>proxy error</html>").json("GET /api/v1/pods") }
        #expect(error.description.contains("GET /api/v1/pods: response is not JSON"), "\(error)")
        let listError = try #require(throws: KubeError.self) {
            try ListPage(response: response(#"{"items":[{"a":1},"#), operation: "LIST v1 Pod").decode { _ in }
        }
        #expect(listError.description.contains("LIST v1 Pod: response is not JSON"), "\(listError)")
    }

    @Test func aListPageHandsOverItemsAndStopsOnTheCallersError() throws {
        let page = ListPage(response: response(#"{"metadata":{"resourceVersion":"7","continue":"next"},"items":[{"n":1},{"n":2},{"n":3}]}"#), operation: "LIST")
        var seen: [Value] = []
        let (version, token) = try page.decode { seen.append($0) }
        #expect(seen == [["n": 1], ["n": 2], ["n": 3]] && version == "7" && token == "next")
        var count = 0
        #expect(throws: Stop.self) {
            _ = try page.decode { _ in
                count += 1
                if count == 2 { throw Stop() }
            }
        }
        #expect(count == 2)
    }
}
