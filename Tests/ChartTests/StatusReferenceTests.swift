import Controller
import Rollout
import Schema
import Sync
import Testing
import YAML

/// The docs' status tables are generated from lists kept beside the types that write the status;
/// these hold each list to its type, so a key added to a status without a line in the docs fails.
@Suite struct StatusReferenceTests {
    static func check(_ reference: StatusReference, written: Set<String>, of type: String) {
        let listed = reference.documentedKeys.union(reference.internalKeys)
        #expect(written.subtracting(listed).isEmpty, "\(type) writes keys the docs do not explain: \(written.subtracting(listed).sorted())")
        #expect(listed.subtracting(written).isEmpty, "\(type)'s reference names keys it does not write: \(listed.subtracting(written).sorted())")
        #expect(reference.documentedKeys.isDisjoint(with: reference.internalKeys))
    }

    @Test func everyKeyOfAModelDeploymentsStatusIsDocumentedOrInternal() {
        // Every stored property is written and read back (the coding keys are listed by hand,
        // for the per-key defaults), and every key written is documented.
        let stored = Mirror(reflecting: RolloutStatus()).children.compactMap(\.label)
        #expect(Set(stored) == Set(RolloutStatus.codingKeys), "stored but not in CodingKeys: \(Set(stored).subtracting(RolloutStatus.codingKeys).sorted())")
        Self.check(RolloutStatus.reference, written: Set(RolloutStatus.codingKeys + RolloutStatus.derivedKeys), of: "RolloutStatus")
    }

    @Test func everyKeyOfAGitSourcesStatusIsDocumented() {
        let sync = SourceStatus(
            sync: .synced, health: .healthy, commit: "abc", commitMessage: "m", time: "2026-01-01T00:00:00Z", errors: ["e"], objects: 3)
        let status = GitSourceStatus.from(sync, generation: 2, previous: nil).value
        Self.check(GitSourceStatus.reference, written: Set(status.objectValue?.keys.map { $0 } ?? []), of: "GitSourceStatus")
    }
}
