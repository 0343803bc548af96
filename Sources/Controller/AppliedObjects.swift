import Kube
import Manifests
import Synchronization
import Sync
import YAML

/// What the last sync applied, per managed object: a fingerprint (to tell drift from the echo of
/// our own writes) and the file that defines it at the synced commit (to heal drift by
/// re-reading that file, rather than keeping a copy of every manifest in memory). Shared between
/// a source controller and its drift informers, which check each event here as it arrives: the
/// first list of thousands of objects, or the echo of a large sync, is then dropped at once
/// instead of waiting, whole, in a buffer for the controller.
final class AppliedObjects: Sendable {
    private struct Entry {
        var fingerprint: Fingerprint?
        var file: String?
        /// A Service whose manifest sets `spec.clusterIP`: only then is the live cluster IP
        /// compared (otherwise the server allocates it, and it differs from the dry run's).
        var setsClusterIP = false
    }
    private let entries = Mutex([ObjectReference.Key: Entry]())

    /// Where each object of a synced commit is defined, replacing the previous commit's.
    func replaceManifests(_ manifests: [Manifest]) {
        let defined = manifests.map { m in
            (m.reference.key.detached(), m.source.file, m.kind == "Service" && m.object[path: ["spec", "clusterIP"]] != nil)
        }
        entries.withLock { entries in
            for key in Array(entries.keys) {
                entries[key]?.file = nil
                if entries[key]?.fingerprint == nil { entries[key] = nil }
            }
            for (key, file, setsClusterIP) in defined {
                entries[key, default: Entry()].file = file
                entries[key]?.setsClusterIP = setsClusterIP
            }
        }
    }

    /// The files to re-read to heal `keys` (objects no longer defined are left out).
    func files(of keys: Set<ObjectReference.Key>) -> Set<String> {
        entries.withLock { entries in Set(keys.compactMap { entries[$0]?.file }) }
    }

    /// Records how each object of an applied plan looks now; pruned objects are forgotten.
    func remember(_ plan: Plan) {
        var changes: [(ObjectReference.Key, Fingerprint?)] = []
        for item in plan.items {
            switch item.action {
            case .create, .update, .unchanged: if let f = item.fingerprint { changes.append((item.ref.key.detached(), f)) }
            case .prune: changes.append((item.ref.key, nil))
            case .error: break
            }
        }
        entries.withLock { entries in
            for (key, fingerprint) in changes {
                entries[key, default: Entry()].fingerprint = fingerprint
                if fingerprint == nil, entries[key]?.file == nil { entries[key] = nil }
            }
        }
    }

    /// The event, reduced to the object's reference, when it shows drift: an applied object
    /// deleted, or changed from how it looked after the apply. Nil for anything else, including
    /// objects this source did not apply.
    @Sendable func drift(_ event: InformerEvent) -> InformerEvent? {
        let object = event.object
        guard let ref = try? KubeClient.reference(of: object), let entry = entries.withLock({ $0[ref.key] }), let expected = entry.fingerprint else {
            return nil
        }
        switch event {
        case .deleted:
            return event.map(InformerTransform.referenceOnly)
        case .added, .updated:
            let desired: Value? = entry.setsClusterIP ? ["spec": ["clusterIP": "set"]] : nil
            let live = Normalize.stripAllocated(Normalize.forDiff(object), desired: desired) ?? object
            return Fingerprint(live) != expected ? event.map(InformerTransform.referenceOnly) : nil
        }
    }
}
