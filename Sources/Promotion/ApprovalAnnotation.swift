public import Foundation
import YAML

/// Where `sluice approve` records an approval: an annotation on the ModelPipeline per
/// environment, so RBAC on patching ModelPipelines decides who may approve, and git (which
/// applies the spec) and the approver never write the same field.
public enum ApprovalAnnotation {
    public static let prefix = "sluice.dev/approve-"

    public static func key(environment: String) -> String { prefix + environment }

    public static func value(_ approval: Approval) -> String {
        let at = approval.at.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
        let object: Value = ["version": .string(approval.version), "by": .string(approval.by), "at": .string(at)]
        return (try? JSON.serialize(object)) ?? "{}"
    }

    /// Every approval the annotations hold, and what could not be read (such an annotation
    /// approves nothing: the gate holds, and the status says why).
    public static func approvals(_ annotations: [String: String]) -> (approvals: [Approval], problems: [String]) {
        var approvals: [Approval] = []
        var problems: [String] = []
        for (key, text) in annotations.sorted(by: { $0.key < $1.key }) where key.hasPrefix(prefix) {
            let environment = String(key.dropFirst(prefix.count))
            guard let value = try? JSON.parse(text), let version = value["version"]?.stringValue, let by = value["by"]?.stringValue,
                let atText = value["at"]?.stringValue, let at = try? Date.ISO8601FormatStyle().parse(atText)
            else {
                problems.append("annotation \(key) is not an approval sluice approve wrote ({\"version\", \"by\", \"at\"}): ignored")
                continue
            }
            approvals.append(Approval(environment: environment, version: version, by: by, at: at))
        }
        return (approvals, problems)
    }
}
