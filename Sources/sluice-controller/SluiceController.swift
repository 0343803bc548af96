import ArgumentParser
import ControllerProcess

/// The controller image's binary: `sluice run` and nothing else. The emulator, the demo and its
/// traffic simulator (and the TLS and HTTP/2 server code they bring) stay in the `sluice` CLI.
@main
struct SluiceController: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-controller",
        abstract: "The Sluice controller: keep git sources applied and roll ModelDeployments out as canaries.",
        discussion: "The same `run` as `sluice run`; the image's entrypoint (see docs/operations.md).",
        version: SluiceVersion.current,
        subcommands: [Run.self])
}
