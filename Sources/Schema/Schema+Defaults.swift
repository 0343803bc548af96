public import Values

extension Schema {
    /// `value` with every absent field that has a default set to it, as the API server defaults
    /// a custom resource from its CRD's schema. Values of the wrong type are left as they are
    /// (`check` reports them).
    public func defaulted(_ value: Value?) -> Value? {
        guard let value, !value.isNull else { return defaultValue.map(defaulted) ?? value }
        switch kind {
        case .object(let fields):
            guard var mapping = value.objectValue else { return value }
            for field in fields {
                if let v = field.schema.defaulted(mapping[field.name]) { mapping[field.name] = v }
            }
            return .object(mapping)
        case .list(let item, _):
            guard let items = value.arrayValue else { return value }
            return .array(items.map { item.defaulted($0) ?? $0 })
        default:
            return value
        }
    }
}
