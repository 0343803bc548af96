/// What signs the commits Sluice makes, so a reader can tell them from commits anyone with push
/// access could write with the same trailers. Given the commit object's bytes, returns the
/// armored signature git stores in its `gpgsig` header.
public protocol CommitSigner: Sendable {
    func sign(_ commit: [UInt8]) throws -> String
}
