import ChildProcess
import Foundation

/// Where the rendering tools are: `SLUICE_HELM` / `SLUICE_KUSTOMIZE` when set, else `helm`
/// and `kustomize` on PATH, else `kubectl kustomize` (kubectl carries Kustomize).
public struct Tools: Sendable, Hashable {
    public var helm: [String]?
    public var kustomize: [String]?

    public init(helm: [String]?, kustomize: [String]?) {
        self.helm = helm
        self.kustomize = kustomize
    }

    public static func find() -> Tools { find(environment: ChildProcess.currentEnvironment()) }

    public static func find(environment: [String: String]) -> Tools {
        let helm = environment["SLUICE_HELM"].flatMap { $0.isEmpty ? nil : [$0] } ?? ChildProcess.find("helm", environment: environment).map { [$0] }
        var kustomize = environment["SLUICE_KUSTOMIZE"].flatMap { $0.isEmpty ? nil : $0.split(separator: " ").map(String.init) }
        if kustomize == nil {
            if let k = ChildProcess.find("kustomize", environment: environment) {
                kustomize = [k, "build"]
            } else if let k = ChildProcess.find("kubectl", environment: environment) {
                kustomize = [k, "kustomize"]
            }
        }
        if let k = kustomize, k.count == 1 { kustomize = k + (k[0].hasSuffix("kubectl") ? ["kustomize"] : ["build"]) }
        // The tools run in the directory they render: a relative path must not depend on it.
        let absolute = { (c: [String]) in [URL(fileURLWithPath: c[0]).standardizedFileURL.path] + c.dropFirst() }
        return Tools(helm: helm.map(absolute), kustomize: kustomize.map(absolute))
    }
}
