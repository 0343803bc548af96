import Foundation
import TestSupport
import Testing

@Suite(.tags(.endToEnd), .serialized) struct DemoTests {
    func directory(in output: String) -> String? {
        output.split(separator: "\n").first { $0.contains("everything is in ") }.map { String($0.split(separator: " ").last!) }
    }

    @Test func theDemoRunsTheWholeMission() async throws {
        let started = Date()
        let r = try await SluiceBinary.run(["demo"], timeout: 180)
        let elapsed = Date().timeIntervalSince(started)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        for expected in [
            "✓ synced: ConfigMap churn-features applied, churn 2025-11-03 serving on 4 pods",
            "canary 2025-11-10 at step 5%", "canary 2025-11-10 at step 100%", "✓ promoted 2025-11-10",
            "✗ rolled back 2025-11-17: SLO error-rate was", "\"Revert churn to model version 2025-11-10\"",
            "✓ git names 2025-11-10 again and churn runs 2025-11-10",
        ] {
            #expect(r.stdout.contains(expected), "missing: \(expected)\n\(r.stdout)")
        }
        #expect(elapsed < 180, "the demo took \(elapsed) s")
        let dir = try #require(directory(in: r.stdout))
        #expect(!FileManager.default.fileExists(atPath: dir), "the demo removes its directory")
        #expect(!r.stdout.contains("\u{1B}["), "no colour when piped")
    }

    @Test func ctrlCStopsEverythingAndLeavesNoFiles() async throws {
        let demo = try SluiceBinary.start(["demo"])
        _ = try await offloaded { try demo.waitForOutput("1. Sync", timeout: 60) }
        let dir = try #require(directory(in: demo.log))
        demo.signal(SIGINT)
        let status = try await offloaded { demo.child.wait() }
        #expect(status == 130, "\(demo.log)")
        #expect(demo.log.contains("interrupted"))
        #expect(!FileManager.default.fileExists(atPath: dir))
        let left = try await run("pgrep", ["-f", dir])
        #expect(left.stdout.isEmpty, "processes left behind: \(left.stdout)")
    }
}
