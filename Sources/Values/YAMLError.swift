/// Why a YAML or JSON source could not be read, and where.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case syntax
        case duplicateKey
        case unknownTag
        case invalidTaggedValue
        case unsupportedKey
        case invalidMerge
        case unknownAnchor
        case tooDeep
        case aliasExpansion
        case tooLarge
        /// The budget of the files read together (one commit, one render) is spent.
        case overBudget
        case nonFiniteNumber
        case invalidJSON
        case encoding
    }

    public var kind: Kind
    public var message: String
    public var file: String?
    public var mark: Mark

    public init(_ kind: Kind, _ message: String, file: String? = nil, mark: Mark = .unknown) {
        self.kind = kind
        self.message = message
        self.file = file
        self.mark = mark
    }

    public var description: String {
        var location = file ?? "<input>"
        if mark.line > 0 { location += ":\(mark.line):\(mark.column)" }
        return "\(location): \(message)"
    }
}
