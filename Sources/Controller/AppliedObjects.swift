import Kube
import Manifests
import Synchronization
import Sync
import YAML

/// What the last sync applied: each managed object's manifest (to heal drift without reading
/// git again) and fingerprint (to tell drift from the echo of our own writes). Shared between a
/// source controller and its drift informers, which check each event here as it arrives: the
/// first list of thousands of objects, or the echo of a large sync, is then dropped at once
/// instead of waiting, whole, in a buffer for the controller.
final class AppliedObjects: Sendable {
    private struct State {
        var manifests: [ObjectReference.Key: CompactManifest] = [:]
        var fingerprints: [ObjectReference.Key: Fingerprint] = [:]
    }
    private let state = Mutex(State())

    /// The manifests of a synced commit, replacing the previous commit's.
    func replaceManifests(_ manifests: [Manifest]) {
        let compact = Dictionary(manifests.map { ($0.reference.key.detached(), CompactManifest($0)) }, uniquingKeysWith: { a, _ in a })
        state.withLock { $0.manifests = compact }
    }

    func manifest(_ key: ObjectReference.Key) -> Manifest? {
        state.withLock { $0.manifests[key] }?.manifest
    }

    /// Records how each object of an applied plan looks now; pruned objects are forgotten.
    func remember(_ plan: Plan) {
        var changes: [(ObjectReference.Key, Fingerprint?)] = []
        for item in plan.items {
            switch item.action {
            case .create, .update, .unchanged: if let m = item.merged { changes.append((item.ref.key.detached(), Fingerprint(m))) }
            case .prune: changes.append((item.ref.key, nil))
            case .error: break
            }
        }
        state.withLock { s in
            for (key, fingerprint) in changes { s.fingerprints[key] = fingerprint }
        }
    }

    /// The event, reduced to the object's reference, when it shows drift: an applied object
    /// deleted, or changed from how it looked after the apply. Nil for anything else, including
    /// objects this source did not apply.
    @Sendable func drift(_ event: InformerEvent) -> InformerEvent? {
        let object = event.object
        guard let ref = try? KubeClient.reference(of: object) else { return nil }
        let (expected, desired) = state.withLock { ($0.fingerprints[ref.key], $0.manifests[ref.key]) }
        guard let expected else { return nil }
        switch event {
        case .deleted:
            return event.map(InformerTransform.referenceOnly)
        case .added, .updated:
            let live = Normalize.stripAllocated(Normalize.forDiff(object), desired: desired?.object) ?? object
            return Fingerprint(live) != expected ? event.map(InformerTransform.referenceOnly) : nil
        }
    }
}
