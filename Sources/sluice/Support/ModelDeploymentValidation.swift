import Manifests
import Rollout

/// `sluice validate` reads every ModelDeployment as the controller will, so a bad step list, SLO
/// or duration fails before the commit rather than when the rollout starts.
enum ModelDeploymentValidation {
    static func errors(in manifests: [Manifest]) -> [ManifestError] {
        manifests.filter { $0.apiVersion == "sluice.dev/v1alpha1" && $0.kind == "ModelDeployment" }.flatMap { m -> [ManifestError] in
            guard case .failure(let problems) = ModelDeploymentSpec.parse(m.object) else { return [] }
            return problems.errors.map { ManifestError(m, at: $0.path, $0.message) }
        }
    }
}
