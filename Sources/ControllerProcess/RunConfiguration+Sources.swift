import Foundation
import Schema
import Sync
import Values

extension RunConfiguration {
    /// The file's `sources` list, or the one source of `--repo`; none: the controller runs what
    /// GitSource objects define.
    static func sources(_ l: SettingLayers) throws -> [Source] {
        let interval = try l.duration("interval", 60, min: 1)
        var sources: [Source] = []
        if !l.fileSources.isEmpty {
            if l.string("repo") != nil {
                throw Problem(description: "\(l.origin("repo")): give either one source (--repo) or a sources list in the file, not both")
            }
            for (i, s) in l.fileSources.enumerated() {
                sources.append(try fileSource(s, at: "sources[\(i)] in \(l.filePath ?? "")", interval: interval))
            }
        } else if let repo = l.string("repo") {
            sources.append(try flagSource(l, repo: repo, interval: interval))
        }
        var names = Set<String>()
        for s in sources where !names.insert(s.name).inserted { throw Problem(description: "two sources are named \(s.name): names must be unique") }
        for s in sources where s.username != nil && s.passwordFile == nil {
            throw Problem(description: "source \(s.name): a git username needs a password file")
        }
        return sources
    }

    /// One entry of the file's `sources`, its shape already checked by `SettingsFileAPI.source`.
    static func fileSource(_ s: Value, at: String, interval: Double) throws -> Source {
        let repo = s["repo"]?.stringValue ?? ""
        func path(_ k: String) throws -> String? { try readable(s[k], at: "\(at): \(k)") }
        func verify(_ k: String) throws -> String? { try readable(s["verify"]?[k], at: "\(at): verify.\(k)") }
        let name = s["name"]?.stringValue.map(SourceName.sanitize) ?? SourceName.derive(repo: repo, path: s["path"]?.stringValue ?? "")
        return Source(
            name: name, repo: repo, ref: s["ref"]?.stringValue, path: s["path"]?.stringValue ?? "",
            interval: s["interval"].flatMap(Schema.seconds) ?? interval, prune: s["prune"]?.boolValue ?? true, tokenFile: try path("gitTokenFile"),
            tokenEnv: s["gitTokenEnv"]?.stringValue, username: s["gitUsername"]?.stringValue, passwordFile: try path("gitPasswordFile"),
            sshKey: try path("sshKey"), sshKnownHosts: try path("sshKnownHosts"), caFile: try path("gitCaFile"),
            render: try render(s["render"], at: "\(at): render"), verifyAllowedSigners: try verify("sshAllowedSigners"),
            verifyGPGKeyring: try verify("gpgKeyring"), targetNamespaces: try namespaces(s["targetNamespaces"], at: "\(at): targetNamespaces"),
            allowClusterScoped: s["allowClusterScoped"]?.boolValue, adopt: s["adopt"]?.boolValue ?? false,
            serviceAccount: try serviceAccount(s["serviceAccount"]?.stringValue, at: "\(at): serviceAccount"))
    }

    /// The single source of `--repo` and the flags beside it.
    static func flagSource(_ l: SettingLayers, repo: String, interval: Double) throws -> Source {
        let path = l.string("path") ?? ""
        return Source(
            name: l.string("source-name").map(SourceName.sanitize) ?? SourceName.derive(repo: repo, path: path), repo: repo, ref: l.string("ref"),
            path: path, interval: interval, prune: try l.bool("prune", true), tokenFile: try l.existing("git-token-file"),
            tokenEnv: l.string("git-token-env"), username: l.string("git-username"), passwordFile: try l.existing("git-password-file"),
            sshKey: try l.existing("ssh-key"), sshKnownHosts: try l.existing("ssh-known-hosts"), caFile: try l.existing("git-ca-file"),
            render: try render(l.string("render").map(Value.string), at: l.origin("render")),
            verifyAllowedSigners: try l.existing("verify-ssh-allowed-signers"), verifyGPGKeyring: try l.existing("verify-gpg-keyring"),
            targetNamespaces: try l.namespaceList("target-namespaces"),
            allowClusterScoped: l.string("allow-cluster-scoped") == nil ? nil : try l.bool("allow-cluster-scoped", false),
            adopt: try l.bool("adopt", false), serviceAccount: try serviceAccount(l.string("service-account"), at: l.origin("service-account")))
    }

    static func readable(_ value: Value?, at: String) throws -> String? {
        guard let p = value?.stringValue else { return nil }
        guard FileManager.default.isReadableFile(atPath: p) else { throw Problem(description: "\(at): cannot read \(p)") }
        return p
    }

    static func namespaces(_ value: Value?, at: String) throws -> [String] {
        let list = value?.arrayValue?.compactMap(\.stringValue) ?? []
        for n in list where !isDNSLabel(n) { throw Problem(description: "\(at): '\(n)' is not a namespace name") }
        return list
    }

    static func serviceAccount(_ text: String?, at: String) throws -> String? {
        guard let text else { return nil }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts.allSatisfy(isDNSLabel) else { throw Problem(description: "\(at): '\(text)' is not namespace/name") }
        return text
    }
}
