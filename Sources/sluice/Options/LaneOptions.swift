import ArgumentParser
import ClusterSync

/// Where a source may write and what it may take over: the same rules as the controller's
/// (`targetNamespaces`, `allowClusterScoped`, `adopt`; docs/security.md).
struct LaneOptions: ParsableArguments {
    @Flag(help: "Take over live objects no Sluice source marks (objects made before Sluice, e.g. with kubectl). Another source's objects never are.")
    var adopt = false

    @Option(help: ArgumentHelp("Comma-separated namespaces the source may write in; cluster-scoped kinds are then refused.", valueName: "namespaces"))
    var targetNamespaces: String?

    @Flag(help: "With --target-namespaces, allow cluster-scoped kinds anyway.")
    var allowClusterScoped = false

    func apply(to options: inout SyncOptions) {
        options.adopt = adopt
        options.targetNamespaces = (targetNamespaces ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if allowClusterScoped { options.allowClusterScoped = true }
    }
}
