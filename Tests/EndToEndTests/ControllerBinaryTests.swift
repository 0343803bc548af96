import Foundation
import TestSupport
import Testing

/// `sluice-controller`, the image's binary: the same `run`, and none of the emulator, demo or
/// traffic simulator the `sluice` CLI carries.
@Suite(.offThePool) struct ControllerBinaryTests {
    @Test func itRunsTheSameRunAsTheCLI() async throws {
        let cli = try await run(SluiceBinary.path, ["run", "--help"], check: true).stdout
        let controller = try await run(SluiceBinary.controllerPath, ["run", "--help"], check: true).stdout
        #expect(controller.replacingOccurrences(of: "sluice-controller run", with: "sluice run") == cli)

        let bad = try await run(SluiceBinary.controllerPath, ["run", "--repo", "/nonexistent", "--lease-duration", "soon"])
        #expect(bad.status == 2 && bad.stderr.contains("--lease-duration"), "\(bad.stderr)")
    }

    @Test func itOffersRunAlone() async throws {
        let help = try await run(SluiceBinary.controllerPath, ["--help"], check: true).stdout
        #expect(help.contains("run"))
        for cli in ["demo", "emulator", "diff", "status"] {
            #expect(!help.contains("  \(cli) "), "\(cli) is the CLI's, not the controller's:\n\(help)")
        }
    }

    /// Swift mangles a module's symbols with its name's length and name (`12KubeEmulator`).
    static func symbols(of binary: String, module: String) async throws -> Int {
        let table = try await run("nm", ["--defined-only", binary], check: true).stdout
        return table.split(separator: "\n").filter { $0.contains("\(module.count)\(module)") }.count
    }

    @Test(arguments: ["KubeEmulator", "TrafficSimulator", "LocalPrometheus"])
    func itLinksNoneOf(module: String) async throws {
        #expect(try await Self.symbols(of: SluiceBinary.path, module: module) > 0, "the CLI has \(module)")
        #expect(try await Self.symbols(of: SluiceBinary.controllerPath, module: module) == 0, "the controller has no \(module)")
    }
}
