import ArgumentParser
import ControllerProcess

@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "GitOps reconciliation and canary rollouts for ML model deployments on Kubernetes.",
        discussion: """
            Sluice reads Kubernetes manifests and ModelDeployments from git, shows what a sync would \
            change, applies it, and rolls new model versions out as canaries guarded by Prometheus SLOs.
            """,
        version: SluiceVersion.current,
        subcommands: [
            Demo.self, Run.self, Diff.self, SyncCommand.self, Status.self, Promote.self, Abort.self, Retry.self, Approve.self, History.self, Render.self,
            Validate.self, Emulator.self,
        ]
    )
}
