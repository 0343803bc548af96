import Kube
import Manifests
import Sync
import Synchronization
import YAML

/// What the last sync applied, per managed object: a fingerprint (to tell drift from the echo of
/// our own writes) and the file that defines it at the synced commit (to heal drift by
/// re-reading that file, rather than keeping a copy of every manifest in memory). Shared between
/// a source controller and its drift informers, which check each event here as it arrives: the
/// first list of thousands of objects, or the echo of a large sync, is then dropped at once
/// instead of waiting, whole, in a buffer for the controller.
final class AppliedObjects: Sendable {
    struct Entry {
        var fingerprint: Fingerprint?
        /// Index into `Table.files`, -1 when the synced commit does not define the object.
        var file: Int32 = -1
        /// A Service whose manifest sets `spec.clusterIP`: only then is the live cluster IP
        /// compared (otherwise the server allocates it, and it differs from the dry run's).
        var setsClusterIP = false
    }

    /// Sorted keys with their entries, not a dictionary: 8,000 entries would take a hash table
    /// of 16,384 slots, twice the memory, and lookups happen per watch event, not in loops.
    struct Table {
        var keys: [ObjectReference.Key] = []
        var entries: [Entry] = []
        var files: [String] = []

        func entry(_ key: ObjectReference.Key) -> Entry? {
            var low = 0
            var high = keys.count
            while low < high {
                let mid = (low + high) / 2
                if keys[mid] < key { low = mid + 1 } else { high = mid }
            }
            return low < keys.count && keys[low] == key ? entries[low] : nil
        }

        /// Applies `change` to the entries of `keys` (nil: a new entry); an entry left with
        /// neither fingerprint nor file is dropped.
        mutating func update(_ changed: [ObjectReference.Key], _ change: (ObjectReference.Key, inout Entry) -> Void) {
            var all = Dictionary(uniqueKeysWithValues: zip(keys, entries))
            for key in changed { change(key, &all[key, default: Entry()]) }
            let kept = all.filter { $0.value.fingerprint != nil || $0.value.file >= 0 }.sorted { $0.key < $1.key }
            keys = kept.map(\.key)
            entries = kept.map(\.value)
        }
    }

    private let table = Mutex(Table())

    /// The objects of one core kind the synced commit defines.
    func keys(group: String, kind: String) -> [ObjectReference.Key] {
        table.withLock { t in zip(t.keys, t.entries).filter { $0.0.group == group && $0.0.kind == kind && $0.1.file >= 0 }.map(\.0) }
    }

    /// Where each object of a synced commit is defined, replacing the previous commit's.
    func replaceManifests(_ manifests: [Manifest]) {
        var files: [String: Int32] = [:]
        var defined: [ObjectReference.Key: (Int32, Bool)] = [:]
        for m in manifests {
            let file = files[m.source.file] ?? Int32(files.count)
            files[m.source.file] = file
            defined[m.reference.key.detached()] = (file, m.kind == "Service" && m.object[path: ["spec", "clusterIP"]] != nil)
        }
        let names = files.sorted { $0.value < $1.value }.map { $0.key.detached() }
        table.withLock { table in
            table.files = names
            table.update(table.keys + defined.keys) { key, entry in
                entry.file = defined[key]?.0 ?? -1
                entry.setsClusterIP = defined[key]?.1 ?? false
            }
        }
    }

    /// The files to re-read to heal `keys` (objects no longer defined are left out).
    func files(of keys: Set<ObjectReference.Key>) -> Set<String> {
        table.withLock { table in Set(keys.compactMap { table.entry($0).flatMap { $0.file >= 0 ? table.files[Int($0.file)] : nil } }) }
    }

    /// Records how each object of an applied plan looks now; pruned objects are forgotten.
    func remember(_ plan: Plan) {
        var changes: [ObjectReference.Key: Fingerprint?] = [:]
        for item in plan.items {
            switch item.action {
            case .create, .update, .unchanged: if let f = item.fingerprint { changes[item.ref.key.detached()] = .some(f) }
            case .prune: changes[item.ref.key] = .some(nil)
            case .error: break
            }
        }
        guard !changes.isEmpty else { return }
        table.withLock { table in
            table.update(Array(changes.keys)) { key, entry in entry.fingerprint = changes[key] ?? nil }
        }
    }

    /// The event, reduced to the object's reference, when it shows drift: an applied object
    /// deleted, or changed from how it looked after the apply. Nil for anything else, including
    /// objects this source did not apply.
    @Sendable func drift(_ event: InformerEvent) -> InformerEvent? {
        let object = event.object
        guard let ref = try? KubeClient.reference(of: object), let entry = table.withLock({ $0.entry(ref.key) }), let expected = entry.fingerprint else {
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
