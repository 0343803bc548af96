import ArgumentParser
import Foundation
import KubeEmulator

struct Emulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the built-in Kubernetes API emulator on 127.0.0.1.",
        discussion: """
            Serves enough of the Kubernetes API (discovery, CRUD, server-side apply, watch, defaulting, \
            simulated Deployment status) for Sluice and kubectl to work against it without a cluster. \
            Write a kubeconfig with --kubeconfig-out and point kubectl at it. Stop with Ctrl-C.
            """)

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 0

    @Flag(
        help:
            "Serve plain HTTP without authentication (kubectl, like a real client, sends no credentials over HTTP). The default is HTTPS with a certificate from a freshly generated CA and a bearer token, both written into the kubeconfig."
    )
    var plainHTTP = false

    @Flag(help: "Require a client certificate instead of a token (the kubeconfig carries one).")
    var clientCertificates = false

    @Option(help: "Bearer token clients must send (default: a random one; empty for none).")
    var token: String?

    @Option(help: ArgumentHelp("Write a kubeconfig for the emulator to this file.", valueName: "file"))
    var kubeconfigOut: String?

    @Option(help: "Namespace the kubeconfig's context uses.")
    var namespace = "default"

    @Option(help: ArgumentHelp("Image tag whose Deployments never become available (repeatable).", valueName: "tag"))
    var failImageTag: [String] = []

    @Option(help: "Seconds until a changed Deployment reports itself available.")
    var deploymentReadyDelay = 0.3

    @Option(help: "Multiplier for progressDeadlineSeconds (0.01 turns 600 s into 6 s).")
    var progressDeadlineScale = 1.0

    func run() async throws {
        var config = EmulatorConfiguration()
        config.port = port
        config.tls = !plainHTTP
        config.requireClientCertificate = clientCertificates && !plainHTTP
        if !clientCertificates && !plainHTTP {
            let chosen = token ?? UUID().uuidString.lowercased()
            config.token = chosen.isEmpty ? nil : chosen
        }
        config.failingImageTags = Set(failImageTag)
        config.deploymentReadyDelay = deploymentReadyDelay
        config.progressDeadlineScale = progressDeadlineScale
        let emulator = try KubeEmulator(config)
        try await emulator.start()
        Terminal.out("Kubernetes API emulator listening on \(emulator.url)\n")
        if let kubeconfigOut {
            try emulator.writeKubeconfig(to: kubeconfigOut, namespace: namespace)
            Terminal.out("kubeconfig written to \(kubeconfigOut)\n")
        }
        await emulator.wait()
    }
}
