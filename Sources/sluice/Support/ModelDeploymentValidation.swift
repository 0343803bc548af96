import Manifests
import Rollout
import YAML

/// `sluice validate` reads every ModelDeployment as the controller will, so a bad step list, SLO
/// or duration fails before the commit rather than when the rollout starts.
enum ModelDeploymentValidation {
    static func errors(in manifests: [Manifest]) -> [ManifestError] {
        manifests.filter { $0.apiVersion == "sluice.dev/v1alpha1" && $0.kind == "ModelDeployment" }.flatMap { m -> [ManifestError] in
            guard case .failure(let problems) = ModelDeploymentSpec.parse(m.object) else { return [] }
            return problems.errors.map { e in
                let mark = m.node?.mark(at: e.path) ?? .unknown
                return ManifestError(
                    file: m.source.file, document: m.source.document, line: mark.line > 0 ? mark.line : m.source.line, column: mark.column,
                    object: "ModelDeployment/\(m.name)", field: e.field, message: e.message)
            }
        }
    }
}
