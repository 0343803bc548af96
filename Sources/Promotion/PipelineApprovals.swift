public import Values

/// Approvals as the controller recorded them, in `status.approvals` of the ModelPipeline: only
/// the controller writes a pipeline's status, and it writes an approval only for an identity the
/// API server vouched for (TokenReview) holding the `approve` verb on the pipeline
/// (SubjectAccessReview). Nothing applied from git, and no annotation, approves.
public enum PipelineApprovals {
    public static let field = "approvals"

    /// The approvals of a status. None is none; a list that is there but cannot be read throws:
    /// the gate then holds rather than forget an approval or invent one.
    public static func read(_ status: Value?, of object: String) throws(StoredStateError) -> [Approval] {
        guard let list = status?[field], !list.isNull else { return [] }
        return try StoredState.decode([Approval].self, from: list, what: "the approvals of ModelPipeline \(object)")
    }

    public static func value(_ approvals: [Approval]) throws -> Value {
        try JSON.parse(Array(PipelineStatus.encoder.encode(approvals)))
    }

    /// The annotations that look like approvals (what `sluice approve` wrote before, or what a
    /// commit or a `kubectl annotate` claims): never read, only reported.
    public static let ignoredAnnotationPrefix = "sluice.dev/approve-"
}
