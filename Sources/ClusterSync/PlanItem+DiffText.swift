public import Sync
public import Values
import YAML

extension PlanItem {
    /// The YAML diff between what is live and what will be, both normalised and key-sorted.
    /// YAML is written here, in the shell: the planner itself links no YAML library.
    public static func render(live: Value?, merged: Value?) -> String {
        let (l, m) = Normalize.redactSecrets(live: live, desired: merged)
        func text(_ v: Value?) -> [String] {
            guard let v else { return [] }
            // Emitting fails only for a number YAML cannot hold (NaN, infinity), which no
            // object read from the API or parsed from a manifest contains.
            return UnifiedDiff.lines((try? YAML.emit(Normalize.sortedKeys(v))) ?? "")
        }
        return UnifiedDiff.hunks(text(l), text(m))
    }
}
