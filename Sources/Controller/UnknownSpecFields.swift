public import ManifestLoading
public import Manifests
import Promotion
public import Rollout

/// Sluice's own kinds with a key their reader does not know. The API server drops such a field
/// from a custom resource without a word (`spec.rollbak` would apply as no rollback setting at
/// all), so a sync holds these objects back as load errors, naming the file, line and the field
/// meant: the live object keeps its last applied spec and, as with any load error, nothing is
/// pruned.
public enum UnknownSpecFields {
    static func holdBack(_ loaded: LoadResult) -> LoadResult {
        var result = loaded
        var held: [ManifestError] = []
        result.manifests = loaded.manifests.filter { m in
            let found = errors(m)
            held += found
            return found.isEmpty
        }
        result.errors += held
        return result
    }

    static func errors(_ m: Manifest) -> [ManifestError] {
        specErrors(m).filter(\.unknownField).map { ManifestError(m, at: $0.path, $0.message + " (not applied)") }
    }

    /// A ModelDeployment's or ModelPipeline's problems, read as the controller reads them (none
    /// for other kinds): what `sluice validate` reports and a sync holds back on.
    public static func specErrors(_ m: Manifest) -> [SpecError] {
        guard m.apiVersion == "sluice.dev/v1alpha1" else { return [] }
        let problems: Result<Void, SpecErrors>
        switch m.kind {
        case "ModelDeployment": problems = ModelDeploymentSpec.parse(m.object, policy: .unrestricted).map { _ in }
        case PipelineSpec.kind: problems = PipelineSpec.parse(m.object).map { _ in }
        default: return []
        }
        if case .failure(let e) = problems { return e.errors }
        return []
    }
}
