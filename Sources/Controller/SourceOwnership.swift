public import DesiredState
public import Kube
public import Manifests
import Sync
import YAML

/// Which git source an object came from, and which file of it, read from what only Sluice
/// writes: the sources' inventories (ConfigMaps in Sluice's namespace) and the sources' own
/// commits. Never from an object's `sluice.dev/source` annotations, which anyone who can patch
/// the object could point at another team's repository or file.
public struct SourceOwnership: Sendable {
    let client: any KubeAPI
    let inventoryNamespace: String
    let sources: SourceCatalog

    public init(client: any KubeAPI, inventoryNamespace: String, sources: SourceCatalog) {
        self.client = client
        self.inventoryNamespace = inventoryNamespace
        self.sources = sources
    }

    public init(client: any KubeAPI, inventoryNamespace: String, sources: [String: GitSource]) {
        self.init(client: client, inventoryNamespace: inventoryNamespace, sources: SourceCatalog(sources))
    }

    public struct Located: Sendable {
        public var source: String
        public var git: GitSource
        /// The file at the source's head (`ObjectSource.file`: repository-relative, or a
        /// rendered source's label).
        public var file: String
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The source whose inventory lists `ref`; nil when none does. An inventory that cannot be
    /// read throws: an owner is never guessed.
    public func owner(of ref: ObjectReference) async throws -> String? {
        for name in sources.names {
            let cm = ObjectReference(apiVersion: "v1", kind: "ConfigMap", namespace: inventoryNamespace, name: Inventory.configMapName(name))
            guard let object = try await client.getIfExists(cm) else { continue }
            let inventory = try Inventory(configMap: object)
            if inventory.objects.contains(where: { $0.key == ref.key }) { return name }
        }
        return nil
    }

    /// The source and file `ref` comes from, read from the source's head after a fetch.
    public func locate(_ ref: ObjectReference) async throws -> Located {
        guard let name = try await owner(of: ref), let git = sources.git(name) else {
            throw Failure(description: "\(ref) is in no inventory of this controller's sources: nothing of git to change")
        }
        let snapshot = try await git.snapshot()
        // A file may leave the namespace to the source's default: then it is the one that
        // matches by group, kind and name.
        let candidates = snapshot.manifests.manifests.filter {
            let key = $0.reference.key
            return key.group == ref.key.group && key.kind == ref.kind && key.name == ref.name && ($0.namespace == nil || key.namespace == ref.key.namespace)
        }
        guard let manifest = candidates.first(where: { $0.namespace != nil }) ?? (candidates.count == 1 ? candidates.first : nil) else {
            throw Failure(description: "\(ref) is not in source \(name) at its head (\(snapshot.commit.id.short)): it left git, or is about to")
        }
        return Located(source: name, git: git, file: manifest.source.file)
    }
}
