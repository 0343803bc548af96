import Controller
import ControllerProcess
import Manifests
import Promotion
import Rollout

/// The specs the controller reads — ModelDeployments, ModelPipelines and GitSources — checked as it will
/// read them, each problem with its file, line and field.
enum SpecValidation {
    static func errors(in manifests: [Manifest]) -> [ManifestError] {
        manifests.filter { $0.apiVersion == "sluice.dev/v1alpha1" }.flatMap { m -> [ManifestError] in
            switch m.kind {
            case "GitSource":
                // Read as the chart installs the controller: in sluice-system, every other
                // namespace a tenant's.
                do {
                    _ = try GitSourceObject.parse(m.object, controllerNamespace: "sluice-system")
                    return []
                } catch let p as GitSourceObject.Problem {
                    return [ManifestError(m, at: (p.field ?? "spec").split(separator: ".").map(String.init), p.message ?? p.description)]
                } catch {
                    return [ManifestError(m, at: ["spec"], "\(error)")]
                }
            default: return UnknownSpecFields.specErrors(m).map { ManifestError(m, at: $0.path, $0.message) }
            }
        }
    }
}
