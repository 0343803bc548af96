import Foundation
import TestSupport
import Testing

/// Interrupting the demo (the whole run is an acceptance scenario: see AcceptanceTests).
@Suite(.offThePool, .tags(.endToEnd), .serialized) struct DemoTests {
    @Test func ctrlCStopsEverythingAndLeavesNoFiles() async throws {
        let demo = try SluiceBinary.start(["demo"])
        try demo.waitForOutput("1. Sync", timeout: 60)
        let dir = try #require(DemoOutput.directory(in: demo.log))
        demo.signal(SIGINT)
        let status = demo.child.wait()
        #expect(status == 130, "\(demo.log)")
        #expect(demo.log.contains("interrupted"))
        #expect(!FileManager.default.fileExists(atPath: dir))
        let left = try await run("pgrep", ["-f", dir])
        #expect(left.stdout.isEmpty, "processes left behind: \(left.stdout)")
    }
}

/// What a user reads off the demo's output.
enum DemoOutput {
    static func directory(in output: String) -> String? { word(after: "everything is in ", in: output) }

    /// The word following `marker` on the first line containing it.
    static func word(after marker: String, in output: String) -> String? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains(marker) }),
            let range = line.range(of: marker)
        else { return nil }
        return line[range.upperBound...].split(separator: " ").first.map(String.init)
    }
}
