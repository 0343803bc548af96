import CommitSigning
public import Controller
import Foundation
import Git
public import Kube
import Manifests
public import Sync
public import YAML

/// GitSource objects into running sources: the object parsed under the tenancy rules, its
/// Secrets read through the API (from its own namespace), and credentials that libgit2 or
/// the verifiers need as files written into a directory of the cache only the controller reads
/// (renders cannot reach the cache directory).
public struct GitSourceFactory: SourceFactory {
    public struct Definition: Equatable, Sendable {
        var object: GitSourceObject
        var credentials: [String: Data]
        var verify: [String: Data]
    }

    let builder: SourceBuilder
    let client: any KubeAPI
    /// Where only the operator creates GitSources.
    let controllerNamespace: String

    public init(builder: SourceBuilder, client: any KubeAPI, controllerNamespace: String) {
        self.builder = builder
        self.client = client
        self.controllerNamespace = controllerNamespace
    }

    public func definition(of object: Value) async throws -> Definition {
        let parsed = try GitSourceObject.parse(object, controllerNamespace: controllerNamespace)
        return Definition(
            object: parsed, credentials: try await secret(parsed.secretName, in: parsed.namespace, field: "secretRef"),
            verify: try await secret(parsed.verifySecretName, in: parsed.namespace, field: "verify.secretRef"))
    }

    func secret(_ name: String?, in namespace: String, field: String) async throws -> [String: Data] {
        guard let name else { return [:] }
        let ref = ObjectReference(apiVersion: "v1", kind: "Secret", namespace: namespace, name: name)
        guard let secret = try await client.getIfExists(ref) else {
            throw GitSourceObject.Problem(description: "spec.\(field): Secret \(namespace)/\(name) does not exist")
        }
        var out: [String: Data] = [:]
        let data = secret["data"]?.objectValue
        for key in data?.keys ?? [] {
            let value = data?[key] ?? .null
            guard let text = value.stringValue, let bytes = Data(base64Encoded: text) else {
                throw GitSourceObject.Problem(description: "spec.\(field): Secret \(namespace)/\(name): data.\(key) is not base64")
            }
            out[key] = bytes
        }
        return out
    }

    public func make(_ definition: Definition, name: String, onStatus: @escaping @Sendable (String, SourceStatus) -> Void) async throws -> SourceCatalog.Entry {
        let directory = URL(fileURLWithPath: builder.settings.cacheDirectory).appendingPathComponent(".credentials").appendingPathComponent(name)
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        func file(_ key: String, _ data: Data) throws -> String {
            let url = directory.appendingPathComponent(key)
            guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw GitSourceObject.Problem(description: "cannot write \(url.path)")
            }
            return url.path
        }
        let c = definition.credentials
        func text(_ key: String) -> String? { c[key].flatMap { String(data: $0, encoding: .utf8) }?.trimmingCharacters(in: .whitespacesAndNewlines) }
        var transport = GitTransportOptions()
        if let token = text("token") {
            transport.credentials = .token(token)
        } else if let user = text("username"), let password = text("password") {
            transport.credentials = .basic(username: user, password: password)
        } else if let identity = c["identity"] {
            transport.credentials = .sshKey(username: "git", privateKeyPath: try file("identity", identity))
        } else if !c.isEmpty {
            throw GitSourceObject.Problem(
                description:
                    "spec.secretRef: the Secret holds none of token, username with password, or identity (keys: \(c.keys.sorted().joined(separator: ", ")))")
        }
        if let hosts = c["known_hosts"] { transport.knownHostsFile = try file("known_hosts", hosts) }
        let v = definition.verify
        var verifier: SignatureVerifier?
        if definition.object.verifySecretName != nil {
            guard v["allowed_signers"] != nil || v["keyring"] != nil else {
                throw GitSourceObject.Problem(description: "spec.verify.secretRef: the Secret holds neither allowed_signers nor keyring")
            }
            verifier = SignatureVerifier(
                allowedSigners: try v["allowed_signers"].map { try file("allowed_signers", $0) },
                gpgKeyring: try v["keyring"].map { try file("keyring.gpg", $0) })
        }
        return try await builder.make(definition.object.source, transport: transport, verifier: verifier, onStatus: onStatus)
    }
}
