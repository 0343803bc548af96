public import Promotion

/// A model registry, as narrow as the promotion controller needs it (after Flagger's metric
/// providers): read versions by alias, tag or number; move an alias; tag a version.
public protocol ModelRegistry: Sendable {
    /// The version an alias points at; nil when the alias is not set.
    func version(alias: String) async throws(RegistryError) -> RegistryVersion?
    /// The newest version carrying the tag; nil when none does.
    func newestVersion(tagged tag: RegistryTag) async throws(RegistryError) -> RegistryVersion?
    /// One version by number; nil when there is no such version.
    func version(_ number: String) async throws(RegistryError) -> RegistryVersion?
    func setAlias(_ alias: String, version: String) async throws(RegistryError)
    func setTag(version: String, key: String, value: String) async throws(RegistryError)
}

/// A registry request that did not give an answer. Never carries the token.
public struct RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not reachable, timed out, or a 5xx: try again later.
        case unavailable
        /// The registry refused the credentials (401, 403).
        case unauthorized
        /// It answered something this client cannot read, or refused the request (4xx).
        case rejected
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
