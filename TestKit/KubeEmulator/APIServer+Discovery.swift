import YAML

extension APIServer {
    var versionInfo: Value {
        let parts = configuration.gitVersion.dropFirst().split(separator: ".")
        return [
            "major": .string(String(parts.first ?? "1")), "minor": .string(parts.count > 1 ? String(parts[1]) : "32"),
            "gitVersion": .string(configuration.gitVersion), "gitCommit": "sluice-emulator", "gitTreeState": "clean",
            "buildDate": "2025-11-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc", "platform": "linux/amd64",
        ]
    }

    var apiVersions: Value {
        ["kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"]]]
    }

    func groupValue(_ group: String, _ versions: [String]) -> Value {
        let gvs: [Value] = versions.map { ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)] }
        return ["name": .string(group), "versions": .array(gvs), "preferredVersion": gvs[0]]
    }

    var apiGroupList: Value {
        ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(registry.groups.map { groupValue($0.group, $0.versions) })]
    }

    func apiGroup(_ group: String) throws -> Value {
        guard let g = registry.groups.first(where: { $0.group == group }) else { throw APIError.pathNotFound("/apis/\(group)") }
        var v = groupValue(g.group, g.versions)
        v["kind"] = "APIGroup"
        v["apiVersion"] = "v1"
        return v
    }

    func resourceList(group: String, version: String) -> Value {
        var resources: [Value] = []
        for t in registry.all where t.group == group && t.version == version {
            var r: Value = [
                "name": .string(t.plural), "singularName": .string(t.singular), "namespaced": .bool(t.namespaced),
                "kind": .string(t.kind), "verbs": .array(t.verbs.map { .string($0) }),
            ]
            if !t.shortNames.isEmpty { r["shortNames"] = .array(t.shortNames.map { .string($0) }) }
            if !t.categories.isEmpty { r["categories"] = .array(t.categories.map { .string($0) }) }
            resources.append(r)
            for sub in t.subresources {
                let d = BuiltinResources.subresource(sub, of: t)
                var entry: Value = [
                    "name": .string("\(t.plural)/\(sub)"), "singularName": "", "namespaced": .bool(t.namespaced), "kind": .string(d.kind),
                    "verbs": .array(d.verbs.map { .string($0) }),
                ]
                if let g = d.group { entry["group"] = .string(g) }
                if let v = d.version { entry["version"] = .string(v) }
                resources.append(entry)
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"),
            "resources": .array(resources),
        ]
    }
}
