import Foundation

/// State Sluice persisted in the cluster (a rollout's status, a source's inventory) that could
/// not be read back. It names the field, so a person can fix it, and it is never taken to mean
/// "nothing was stored": whatever depends on the state stops instead.
public struct StoredStateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being read (`status of ModelDeployment ml/churn`).
    public var what: String
    /// Dotted path of the offending field, empty for the whole value.
    public var field: String
    public var problem: String

    public init(what: String, field: String, problem: String) {
        self.what = what
        self.field = field
        self.problem = problem
    }

    public var description: String {
        field.isEmpty ? "\(what) cannot be read: \(problem)" : "\(what) cannot be read: \(field): \(problem)"
    }
}

/// Decoding persisted state. Types read this way decode every key with a default
/// (`KeyedDecodingContainer.value(_:default:)`), so a key an older release did not write takes its
/// default and a key a newer release added is ignored; only a value of the wrong type fails.
public enum StoredState {
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    public static func decode<T: Decodable>(_ type: T.Type, from value: Value, what: String) throws(StoredStateError) -> T {
        let bytes: [UInt8]
        do {
            bytes = try JSON.bytes(value)
        } catch {
            throw StoredStateError(what: what, field: "", problem: "\(error)")
        }
        return try decode(type, from: bytes, what: what)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], what: String) throws(StoredStateError) -> T {
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw describe(error, what: what)
        } catch {
            throw StoredStateError(what: what, field: "", problem: "\(error)")
        }
    }

    static func describe(_ error: DecodingError, what: String) -> StoredStateError {
        func path(_ keys: [any CodingKey]) -> String {
            FieldPath.text(keys.map { $0.intValue.map(String.init) ?? $0.stringValue })
        }
        switch error {
        case .typeMismatch(let type, let context):
            return StoredStateError(what: what, field: path(context.codingPath), problem: "expected \(typeName(type)): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return StoredStateError(what: what, field: path(context.codingPath), problem: "expected \(typeName(type)), found null")
        case .keyNotFound(let key, let context):
            return StoredStateError(what: what, field: path(context.codingPath + [key]), problem: "required")
        case .dataCorrupted(let context):
            return StoredStateError(what: what, field: path(context.codingPath), problem: context.debugDescription)
        @unknown default:
            return StoredStateError(what: what, field: "", problem: "\(error)")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default: String(describing: type).hasPrefix("Array") ? "a list" : "a mapping (\(type))"
        }
    }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or `defaultValue` when the key is missing or null. A value of another
    /// type still fails: a field that is there but cannot be understood is not a missing one.
    public func value<T: Decodable>(_ key: Key, default defaultValue: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? defaultValue()
    }
}
