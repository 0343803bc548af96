import YAML

extension BuiltinTypes {
    /// The fields of a built-in object that its type does not have, as the API server's strict
    /// decoding names them (`spec.template.spec.containers[0].imagePullPolicyy`). Only messages
    /// are walked into; every other encoding (quantities, times, raw JSON) is a leaf.
    static func unknownFields(of object: Value, message: String) -> [String] {
        var out: [String] = []
        for (key, value) in object.objectValue ?? [:] where key != "apiVersion" && key != "kind" {
            walk(key, value, in: message, path: key, into: &out)
        }
        return out
    }

    private static func walk(_ key: String, _ value: Value, in message: String, path: String, into out: inout [String]) {
        guard let f = field(key, in: message) else {
            out.append(path)
            return
        }
        guard let inner = f.message, messages[inner] != nil else { return }
        if f.type.hasPrefix("map:") {
            for (k, item) in value.objectValue ?? [:] { fields(of: item, in: inner, path: "\(path)[\(k)]", into: &out) }
        } else if f.repeated {
            for (i, item) in (value.arrayValue ?? []).enumerated() { fields(of: item, in: inner, path: "\(path)[\(i)]", into: &out) }
        } else {
            fields(of: value, in: inner, path: path, into: &out)
        }
    }

    private static func fields(of value: Value, in message: String, path: String, into out: inout [String]) {
        for (key, item) in value.objectValue ?? [:] { walk(key, item, in: message, path: "\(path).\(key)", into: &out) }
    }
}
