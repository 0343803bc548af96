public import Rollout

/// How a ModelDeployment's version relates to the registry's version numbers: the `uri` names
/// it (`models:/churn/7`), else a version that is a number is taken as one.
public enum RegistryMapping {
    public static func registryVersion(of fields: ModelVersionFields, model: String?) -> String? {
        if let uri = fields.uri, let model, uri.hasPrefix("models:/\(model)/") {
            let rest = uri.dropFirst("models:/\(model)/".count)
            if !rest.isEmpty, rest.allSatisfy(\.isNumber) { return String(rest) }
        }
        return !fields.version.isEmpty && fields.version.allSatisfy(\.isNumber) ? fields.version : nil
    }
}
