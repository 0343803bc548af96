public import YAML

/// How Sluice marks what it manages, so a restarted controller knows what it may prune and a
/// person can see who owns an object.
public enum Ownership {
    public static let fieldManager = "sluice"
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

    public static func pruneDisabled(_ live: Value) -> Bool {
        live[path: ["metadata", "annotations", pruneAnnotation]]?.stringValue == "disabled"
    }
}
