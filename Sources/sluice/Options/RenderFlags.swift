public import ArgumentParser
import Rendering

extension RenderOptions.Mode: ExpressibleByArgument {}

/// How the path is turned into objects: plain YAML, or rendered by Kustomize or Helm.
struct RenderFlags: ParsableArguments {
    @Option(
        name: .long,
        help: "auto (Kustomize when the path holds a kustomization, Helm when it holds Chart.yaml, else plain YAML), plain, kustomize or helm.")
    var render: RenderOptions.Mode = .auto

    @Option(name: .long, help: "Helm release name (default: the last component of --path).")
    var helmRelease: String?

    @Option(name: .long, help: "Namespace Helm renders the release for.")
    var helmNamespace: String?

    @Option(name: .long, help: ArgumentHelp("A values file in the repository, relative to the chart (repeatable, in order).", valueName: "file"))
    var helmValues: [String] = []

    @Option(name: .long, help: ArgumentHelp("An inline value, as for helm --set (repeatable).", valueName: "key=value"))
    var helmSet: [String] = []

    @Flag(name: .long, help: "Leave the chart's crds/ out.")
    var helmSkipCrds = false

    @Option(name: .long, help: "Time limit for one render.")
    var renderTimeout: DurationArgument = DurationArgument(seconds: 60)

    @Option(
        name: .long,
        help: ArgumentHelp("A host remote Kustomize bases or chart repositories may come from (repeatable; none by default: no network).", valueName: "host"))
    var renderAllowHost: [String] = []

    var options: RenderOptions {
        var o = RenderOptions(mode: render)
        o.helm.releaseName = helmRelease
        o.helm.namespace = helmNamespace
        o.helm.valuesFiles = helmValues
        o.helm.set = helmSet
        o.helm.includeCRDs = !helmSkipCrds
        o.timeout = renderTimeout.seconds
        o.allowedHosts = renderAllowHost
        return o
    }
}
