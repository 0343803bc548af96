import Foundation

/// A manifest set shaped like the large public ones platform teams sync (a monitoring stack,
/// a network agent, a certificate issuer): hundreds of objects across RBAC, workloads,
/// webhooks, an APIService and CustomResourceDefinitions with deep schemas of several hundred
/// KB. Generated, not copied: the structure is what matters to an API server (map-lists,
/// int-or-string, defaults, numbers written as `1000` and `1.5e3`, printer columns,
/// subresources), and it is the same for the same arguments, so a benchmark can be repeated.
public struct Corpus: Sendable {
    /// One stack: its namespace, its CRD group and how deep its largest schemas go.
    public struct Stack: Sendable {
        public var name: String
        public var group: String
        public var crdDepths: [Int]
    }

    public var stacks: [Stack]

    public init(stacks: [Stack] = Corpus.standardStacks) { self.stacks = stacks }

    /// Three stacks, ten CRDs (the largest about 800 KB), about 130 objects in all.
    public static let standardStacks = [
        Stack(name: "monitoring", group: "monitoring.corpus.example", crdDepths: [5, 4, 4, 3]),
        Stack(name: "netagent", group: "network.corpus.example", crdDepths: [5, 4, 3]),
        Stack(name: "certs", group: "certs.corpus.example", crdDepths: [4, 4, 2]),
    ]

    /// The files of the corpus, by path relative to the root.
    public func files() -> [(path: String, text: String)] {
        var out: [(String, String)] = [("cluster/priority.yaml", Workloads.clusterWide())]
        for stack in stacks {
            let crds = stack.crdDepths.enumerated().map { CRDs.definition(stack: stack, index: $0.offset, depth: $0.element) }
            out.append(("\(stack.name)/crds.yaml", crds.joined(separator: "---\n")))
            out.append(("\(stack.name)/rbac.yaml", Workloads.rbac(stack).joined(separator: "---\n")))
            out.append(("\(stack.name)/workloads.yaml", Workloads.workloads(stack).joined(separator: "---\n")))
            out.append(("\(stack.name)/network.yaml", Workloads.network(stack).joined(separator: "---\n")))
            out.append(("\(stack.name)/instances.yaml", CRDs.instances(stack).joined(separator: "---\n")))
        }
        return out
    }

    /// Writes the files under `root`; returns how many objects they hold.
    @discardableResult
    public func write(to root: String) throws -> Int {
        var count = 0
        for (path, text) in files() {
            let url = URL(fileURLWithPath: root).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            count += text.components(separatedBy: "\n---\n").count
        }
        return count
    }
}
