public import Rollout

/// The checks a version must pass before it is committed to an environment. Pure.
public enum Policy {
    /// Every rule the candidate (or the environment's ModelDeployment) breaks, as sentences.
    public static func violations(_ candidate: ModelVersionFields, environment: EnvironmentObservation, policy: PolicySpec) -> [String] {
        var out: [String] = []
        if policy.pinnedImage, let problem = ImageReference.pinningProblem(candidate.image) {
            out.append("image \(candidate.image) \(problem)")
        }
        if policy.resources, !environment.hasResourceRequests {
            out.append("the ModelDeployment in \(environment.name) sets no resource requests (spec.template.resources.requests)")
        }
        if policy.slos, environment.sloCount == 0 {
            out.append("the ModelDeployment in \(environment.name) has no SLO (spec.canary.slos): its canary would pass on time alone")
        }
        return out
    }
}

/// An OCI image reference, as far as pinning goes: `registry/repo:tag`, `repo@sha256:...`.
public enum ImageReference {
    /// Why the reference does not pin one image (nil when it does).
    public static func pinningProblem(_ image: String) -> String? {
        if image.contains("@") {
            let digest = image.split(separator: "@", maxSplits: 1).last.map(String.init) ?? ""
            return digest.hasPrefix("sha256:") && digest.count == 71 ? nil : "has a malformed digest"
        }
        // The tag follows the last ':' after the last '/' (a ':' before it is a registry port).
        let last = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = last.lastIndex(of: ":") else { return "has no tag: it means :latest, which moves" }
        let tag = last[last.index(after: colon)...]
        if tag.isEmpty { return "has an empty tag" }
        if tag == "latest" { return "is :latest, which moves: pin a tag or a digest" }
        return nil
    }
}
