import PrometheusQuery
import Rollout
import Testing

/// Every shape of answer Prometheus' `/api/v1/query` gives, read as an SLO needs it: one
/// number, no data (nothing to judge by, never a pass or a failure), or an error that says why.
@Suite struct PrometheusDecodeTests {
    static func vector(_ values: [String]) -> String {
        let series = values.enumerated().map { #"{"metric":{"version":"v\#($0.offset)"},"value":[1700000000.1,"\#($0.element)"]}"# }
        return #"{"status":"success","data":{"resultType":"vector","result":[\#(series.joined(separator: ","))]}}"#
    }

    @Test(arguments: [
        (200, vector(["0.25"]), QueryOutcome.value(0.25)),
        (200, vector(["1e-3"]), .value(0.001)),
        (200, vector([]), .noData),
        (200, vector(["NaN"]), .noData),
        (200, vector(["+Inf"]), .value(.infinity)),
        (200, vector(["-Inf"]), .value(-.infinity)),
        (200, #"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"7"]}}"#, .value(7)),
        (200, vector(["1", "2"]), .error("query returned 2 series; aggregate it to one (for example with sum() or max())")),
        (200, vector(["abc"]), .error("malformed value 'abc'")),
        (200, #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#, .error("query returned a matrix; an SLO needs an instant vector or scalar")),
        (200, #"{"status":"success","data":{}}"#, .error("malformed answer")),
        (200, #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{}}]}}"#, .error("malformed sample")),
        (400, #"{"status":"error","errorType":"bad_data","error":"parse error at char 5"}"#, .error("bad_data: parse error at char 5")),
        (503, #"{"status":"error"}"#, .error("error: HTTP 503")),
        (502, "<html>Bad Gateway</html>", .error("Prometheus answered HTTP 502 with a body that is not JSON")),
    ])
    func aValueAnswer(status: Int, body: String, expected: QueryOutcome) {
        #expect(PrometheusClient.decode(status: status, body: Array(body.utf8)) == expected)
    }

    @Test func aVectorAnswerKeepsEverySeriesByItsLabelsAndDropsNaN() {
        let body = #"""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"__name__":"b","le":"0.1"},"value":[1,"3"]},
              {"metric":{"le":"+Inf"},"value":[1,"10"]},
              {"metric":{"le":"0.5"},"value":[1,"NaN"]}]}}
            """#
        #expect(PrometheusClient.decodeVector(status: 200, body: Array(body.utf8)) == .series([["le": "0.1"]: 3, ["le": "+Inf"]: 10]))
    }

    @Test(arguments: [
        (#"{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}"#, "query returned a scalar; this SLO needs an instant vector by label"),
        (#"{"status":"error","errorType":"timeout","error":"query timed out"}"#, "timeout: query timed out"),
        ("not json", "Prometheus answered HTTP 200 with a body that is not JSON"),
        (#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"x"]}]}}"#, "malformed value 'x'"),
    ])
    func aVectorAnswerThatIsNotOne(body: String, message: String) {
        #expect(PrometheusClient.decodeVector(status: 200, body: Array(body.utf8)) == .error(message))
    }
}
