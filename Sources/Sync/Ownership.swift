public import Values

/// How Sluice marks what it manages, so a restarted controller knows what it may prune and a
/// person can see who owns an object.
public enum Ownership {
    /// The controller's own writes (inventories), and, before each source had its own, every
    /// source's applies.
    public static let fieldManager = "sluice"

    /// The field manager a source applies its objects as: in `managedFields` each field names
    /// the source that set it, and two sources' applies never merge into one owner.
    public static func fieldManager(source: String) -> String { "sluice/\(source)" }

    /// True when the live object still has fields applied by the shared manager `sluice` that
    /// every source used before: until they are released, a field git no longer sets would
    /// stay, owned by a manager nobody applies as any more.
    public static func hasSharedManagerFields(_ live: Value) -> Bool {
        (live[path: ["metadata", "managedFields"]]?.arrayValue ?? []).contains {
            $0["manager"]?.stringValue == fieldManager && $0["operation"]?.stringValue == "Apply" && ($0["subresource"]?.stringValue ?? "").isEmpty
        }
    }

    /// The apply that releases every field the shared manager holds (what server-side apply
    /// does with fields a manager stops sending), once the source's own manager has applied
    /// the same object and so holds every field git sets.
    public static func releaseConfiguration(of object: Value) -> Value {
        var metadata: Value = ["name": object[path: ["metadata", "name"]] ?? .null]
        if let ns = object[path: ["metadata", "namespace"]] { metadata["namespace"] = ns }
        return ["apiVersion": object["apiVersion"] ?? .null, "kind": object["kind"] ?? .null, "metadata": metadata]
    }
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    public static let managedByValue = "sluice"
    /// Names the sync source an object came from.
    public static let sourceAnnotation = "sluice.dev/source"
    /// On ModelDeployments: the commit they were applied from, and the file they live in.
    public static let revisionAnnotation = "sluice.dev/revision"
    public static let sourcePathAnnotation = "sluice.dev/source-path"
    /// `disabled` keeps an object from ever being pruned.
    public static let pruneAnnotation = "sluice.dev/prune"

    /// The desired object with Sluice's marks added.
    public static func mark(_ object: Value, source: String) -> Value {
        var o = object
        var labels = o[path: ["metadata", "labels"]] ?? .emptyObject
        if labels.objectValue == nil { labels = .emptyObject }
        labels[managedByLabel] = .string(managedByValue)
        o.set(labels, at: ["metadata", "labels"])
        var annotations = o[path: ["metadata", "annotations"]] ?? .emptyObject
        if annotations.objectValue == nil { annotations = .emptyObject }
        annotations[sourceAnnotation] = .string(source)
        o.set(annotations, at: ["metadata", "annotations"])
        return o
    }

    /// True when the live object carries Sluice's marks for this source.
    public static func isOwned(_ live: Value, by source: String) -> Bool {
        live[path: ["metadata", "labels", managedByLabel]]?.stringValue == managedByValue
            && live[path: ["metadata", "annotations", sourceAnnotation]]?.stringValue == source
    }

    /// On a live object: the source that may take it over (set by whoever may change that
    /// object, never read from git).
    public static let adoptAnnotation = "sluice.dev/adopt"

    /// Why `source` may not apply over `live`, or nil when it may: it is in the source's
    /// inventory, or marked as the source's, or handed over with `sluice.dev/adopt=<source>`, or
    /// (`adoptUnowned`) no Sluice source marks it. Another source's object is never taken.
    public static func conflict(_ live: Value, ref: String, source: String, inInventory: Bool, adoptUnowned: Bool) -> String? {
        if inInventory || isOwned(live, by: source) { return nil }
        if live[path: ["metadata", "annotations", adoptAnnotation]]?.stringValue == source { return nil }
        let marked = live[path: ["metadata", "labels", managedByLabel]]?.stringValue == managedByValue
        if marked, let other = live[path: ["metadata", "annotations", sourceAnnotation]]?.stringValue, other != source {
            return
                "\(ref) belongs to source \(other): a source does not take over another's objects (whoever may change it can hand it over with the annotation \(adoptAnnotation)=\(source))"
        }
        if adoptUnowned { return nil }
        return
            "\(ref) exists and Sluice did not create it for source \(source): not taken over (adopt it with the annotation \(adoptAnnotation)=\(source) on the live object, or adopt: true on the source)"
    }

    public static func pruneDisabled(_ live: Value) -> Bool {
        live[path: ["metadata", "annotations", pruneAnnotation]]?.stringValue == "disabled"
    }
}
