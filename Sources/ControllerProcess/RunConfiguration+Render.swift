import Rendering
import Schema
import Values

extension RunConfiguration {
    /// A source's `render`: a mode (`auto`, `plain`, `kustomize`, `helm`), or a mapping checked
    /// against `SettingsFileAPI.render` (mode, helm, kustomize, timeout, allowedHosts).
    static func render(_ value: Value?, at: String) throws -> RenderOptions {
        guard let value else { return RenderOptions() }
        if let text = value.stringValue {
            guard let mode = RenderOptions.Mode(rawValue: text) else {
                throw Problem(description: "\(at): '\(Printable.escaped(text, limit: 80))' is not one of auto, plain, kustomize, helm")
            }
            return RenderOptions(mode: mode)
        }
        guard value.objectValue != nil else { throw Problem(description: "\(at): must be a mode or a map") }
        if let first = SettingsFileAPI.render.check(value, at: []).first { throw Problem(description: "\(at).\(first.field): \(first.message)") }
        var o = RenderOptions(mode: value["mode"]?.stringValue.flatMap(RenderOptions.Mode.init) ?? .auto)
        let strings = { (v: Value?) in v?.arrayValue?.compactMap(\.stringValue) ?? [] }
        if let h = value["helm"] {
            o.helm.releaseName = h["releaseName"]?.stringValue
            o.helm.namespace = h["namespace"]?.stringValue
            o.helm.valuesFiles = strings(h["valuesFiles"])
            o.helm.set = strings(h["set"])
            o.helm.includeCRDs = h["includeCRDs"]?.boolValue ?? true
            o.helm.kubeVersion = h["kubeVersion"]?.stringValue
            o.helm.apiVersions = strings(h["apiVersions"])
        }
        if let k = value["kustomize"] {
            o.kustomize.enableHelm = k["enableHelm"]?.boolValue ?? false
            o.kustomize.loadRestrictor = k["loadRestrictor"]?.stringValue
        }
        if let t = value["timeout"] { o.timeout = Schema.seconds(t) ?? o.timeout }
        o.allowedHosts = strings(value["allowedHosts"])
        return o
    }
}
