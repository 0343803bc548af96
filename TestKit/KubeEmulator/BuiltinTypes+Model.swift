/// `BuiltinTypes.table`, read once.
extension BuiltinTypes {
    struct Field: Sendable {
        var number: Int
        var json: String
        var type: String
        var pointer: Bool
        var omitEmpty: Bool
        var repeated: Bool
        var inline: Bool
        var list: ListSchema.Kind?

        /// The message a `m:` field (or a map of them) holds.
        var message: String? {
            if type.hasPrefix("m:") { return String(type.dropFirst(2)) }
            if type.hasPrefix("map:"), let r = type.range(of: ":m:") { return String(type[r.upperBound...]) }
            return nil
        }
    }

    static let messages: [String: [Field]] = {
        var out: [String: [Field]] = [:]
        var current: String?
        for raw in table.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix(":"), !line.contains(" ") {
                current = String(line.dropLast())
                out[current!] = []
                continue
            }
            let f = line.split(separator: " ").map(String.init)
            guard let current, f.count >= 4, let n = Int(f[0]) else { continue }
            var list: ListSchema.Kind?
            if f.count > 4 {
                if f[4] == "set" {
                    list = .set
                } else if f[4] == "atomic" {
                    list = .atomic
                } else if f[4].hasPrefix("map=") {
                    list = .map(f[4].dropFirst(4).split(separator: ",").map(String.init))
                }
            }
            let flags = f[3]
            out[current]?.append(
                Field(
                    number: n, json: f[1] == "-" ? "" : f[1], type: f[2], pointer: flags.contains("p"), omitEmpty: flags.contains("o"),
                    repeated: flags.contains("r"), inline: flags.contains("i"), list: list))
        }
        return out
    }()

    /// The package prefix of each group-version in the table.
    static let packages: [String: String] = [
        "v1": "core", "apps/v1": "apps", "batch/v1": "batch", "rbac.authorization.k8s.io/v1": "rbac", "scheduling.k8s.io/v1": "scheduling",
        "networking.k8s.io/v1": "networking", "policy/v1": "policy", "storage.k8s.io/v1": "storage", "autoscaling/v2": "autoscalingv2",
        "autoscaling/v1": "autoscalingv1", "coordination.k8s.io/v1": "coordination", "discovery.k8s.io/v1": "discovery", "events.k8s.io/v1": "events",
        "admissionregistration.k8s.io/v1": "admissionregistration", "flowcontrol.apiserver.k8s.io/v1": "flowcontrol", "node.k8s.io/v1": "node",
        "certificates.k8s.io/v1": "certificates", "authentication.k8s.io/v1": "authentication", "authorization.k8s.io/v1": "authorization",
    ]

    /// The message of a kind (`apps/v1` `Deployment` → `apps.Deployment`), if the table has it.
    static func message(apiVersion: String, kind: String) -> String? {
        guard let p = packages[apiVersion], messages["\(p).\(kind)"] != nil else { return nil }
        return "\(p).\(kind)"
    }

    /// The field at a JSON path from a message (inline fields looked through).
    static func field(_ name: String, in message: String) -> Field? {
        for f in messages[message] ?? [] {
            if f.inline, let m = f.message, let inner = field(name, in: m) { return inner }
            if f.json == name { return f }
        }
        return nil
    }
}
