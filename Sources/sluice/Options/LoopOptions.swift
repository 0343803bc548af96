public import ArgumentParser
public import Controller
public import ControllerProcess
public import Logging

/// Settings of the continuous sync loop (`sluice sync` without --once, `sluice run`).
struct LoopOptions: ParsableArguments {
    @Option(help: "How often to poll git (e.g. 60s, 2m). Fetches are incremental: an unchanged remote costs one round trip.")
    var interval: DurationArgument = DurationArgument(seconds: 60)

    @Option(help: ArgumentHelp("Address for webhooks and health endpoints (host:port).", valueName: "host:port"))
    var listen: String = "127.0.0.1:8080"

    @Option(
        help: ArgumentHelp(
            "File holding the shared secret for git webhooks (GitHub X-Hub-Signature-256 or GitLab X-Gitlab-Token). Without it, POST /hooks/git is refused.",
            valueName: "file"))
    var webhookSecretFile: String?

    @Option(help: "Log format: logfmt or json.")
    var logFormat: StructuredLogHandler.Format = .logfmt

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    var hostAndPort: (String, Int)? {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else { return nil }
        return (String(listen[..<colon]), port)
    }

    func validate() throws {
        if hostAndPort == nil { throw ValidationError("--listen: '\(listen)' is not host:port") }
        if interval.seconds < 1 { throw ValidationError("--interval: must be at least 1s") }
    }
}

extension StructuredLogHandler.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
