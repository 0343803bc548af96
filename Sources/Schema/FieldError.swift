public import Values

/// A problem with one field of an object, naming it.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Field names and list indexes from the object's root (`spec`, `canary`, `steps`, `2`).
    public var path: [String]
    public var message: String
    /// A key the reader does not know: the API server drops such a field from a custom
    /// resource without a word, so a sync must stop it before it is applied.
    public var unknownField: Bool

    /// `spec.canary.steps[2]`: names joined by dots, list indexes in brackets.
    public var field: String { FieldPath.text(path) }
    public var description: String { "\(field): \(message)" }

    public init(path: [String], message: String, unknownField: Bool = false) {
        self.path = path
        self.message = message
        self.unknownField = unknownField
    }

}
