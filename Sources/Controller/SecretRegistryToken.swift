import Foundation
public import Kube
import Manifests
public import ModelRegistry
public import Promotion
import YAML

/// A registry token read from a Secret through the API at every request: the pipeline names the
/// Secret, its namespace is the pipeline's own, and nothing is read from the pod's filesystem.
public struct SecretRegistryToken: RegistryToken {
    let client: any KubeAPI
    let reference: SecretKeyReference

    public init(client: any KubeAPI, reference: SecretKeyReference) {
        self.client = client
        self.reference = reference
    }

    public func token() async throws(RegistryError) -> String {
        let ref = ObjectReference(apiVersion: "v1", kind: "Secret", namespace: reference.namespace, name: reference.name)
        let secret: Value?
        do {
            secret = try await client.getIfExists(ref)
        } catch {
            throw RegistryError(.unavailable, "\(reference) cannot be read: \(error)")
        }
        guard let secret else { throw RegistryError(.unauthorized, "\(reference): no such Secret") }
        guard let encoded = secret[path: ["data", reference.key]]?.stringValue, let data = Data(base64Encoded: encoded) else {
            throw RegistryError(.unauthorized, "\(reference): the Secret has no such key")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
