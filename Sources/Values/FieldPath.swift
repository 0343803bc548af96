/// How a field's place in an object is written in messages: names joined by dots, list indexes
/// in brackets (`spec.canary.slos[2].max`), as kubectl and the API server write them.
public enum FieldPath {
    public static func text(_ path: [String]) -> String {
        var out = ""
        for part in path {
            if !part.isEmpty, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                out += "[\(part)]"
            } else {
                out += out.isEmpty ? part : ".\(part)"
            }
        }
        return out
    }
}
