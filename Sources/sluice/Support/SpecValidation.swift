import Manifests
import Promotion
import Rollout

/// The specs the controller reads — ModelDeployments and ModelPipelines — checked as it will
/// read them, each problem with its file, line and field.
enum SpecValidation {
    static func errors(in manifests: [Manifest]) -> [ManifestError] {
        manifests.filter { $0.apiVersion == "sluice.dev/v1alpha1" }.flatMap { m -> [ManifestError] in
            let problems: SpecErrors?
            switch m.kind {
            case "ModelDeployment": problems = ModelDeploymentSpec.parse(m.object, policy: .unrestricted).failure
            case PipelineSpec.kind: problems = PipelineSpec.parse(m.object).failure
            default: problems = nil
            }
            return problems?.errors.map { ManifestError(m, at: $0.path, $0.message) } ?? []
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
