import ArgumentParser

/// Benchmarks whose results go into docs/benchmarks.md. Run in release mode:
/// `swift run -c release sluice-bench <benchmark>`.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-bench",
        abstract: "Sluice benchmarks (run with -c release).",
        subcommands: [
            YAMLBench.self, GitLoadBench.self, APIBench.self, DiffBench.self, SyncBench.self, CorpusBench.self, RenderBench.self, ControllerBench.self,
            JudgeBench.self,
        ])
}
