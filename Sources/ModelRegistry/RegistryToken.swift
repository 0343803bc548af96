public import Promotion

/// Where a registry's bearer token comes from, asked at every request so a rotated Secret needs
/// no restart. The token appears in no error or log line.
public protocol RegistryToken: Sendable {
    func token() async throws(RegistryError) -> String
}
