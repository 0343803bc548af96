import ChildProcess
import Foundation

/// Runs the real Kustomize or Helm over a directory that holds one commit's files, and returns
/// the YAML stream they print. The tools run sandboxed: a clean environment (no credentials of
/// ours, a throwaway HOME), no network unless hosts are allowed, a time and an output limit.
public struct Renderer: Sendable {
    public var options: RenderOptions
    public var tools: Tools

    public init(options: RenderOptions, tools: Tools = .find()) {
        self.options = options
        self.tools = tools
    }

    /// What a render printed, and how it was isolated.
    public struct Output: Sendable {
        public var stream: [UInt8]
        public var isolation: RenderIsolation
    }

    /// Renders `path` (relative to `root`) with `mode` (already resolved, not `.auto`/`.plain`).
    public func render(root: String, path: String, mode: RenderOptions.Mode, releaseName: String) throws -> Output {
        let dir = path.isEmpty ? root : "\(root)/\(path)"
        let command: [String]
        switch mode {
        case .kustomize:
            guard let k = tools.kustomize else {
                throw RenderError(tool: "kustomize", message: "neither kustomize nor kubectl is on PATH (or set SLUICE_KUSTOMIZE)")
            }
            command = k + [dir] + kustomizeFlags
        case .helm:
            guard let h = tools.helm else { throw RenderError(tool: "helm", message: "helm is not on PATH (or set SLUICE_HELM)") }
            command = h + ["template", options.helm.releaseName ?? releaseName, dir] + helmFlags(chart: dir)
        case .auto, .plain:
            throw RenderError(tool: mode.rawValue, message: "nothing to render")
        }
        let tool = mode.rawValue
        // Without a mount namespace, loading from outside the kustomization's root would read the
        // pod's files (its service-account token) into objects a writer of the repository sees.
        if mode == .kustomize, options.kustomize.loadRestrictor == "LoadRestrictionsNone", Sandbox.bubblewrap == nil {
            throw RenderError(
                tool: tool,
                message:
                    "loadRestrictor LoadRestrictionsNone needs the render sandbox, and \(Sandbox.bubblewrapMissing): refused (drop the setting, or install bubblewrap)"
            )
        }
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-render-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let started = monotonicSeconds()
        if mode == .helm, let h = tools.helm, Self.needsDependencies(chart: dir) {
            // Dependencies not vendored in charts/ are fetched as `helm dependency build` does,
            // which needs their repository among the allowed hosts: with none, not even tried.
            guard !options.allowedHosts.isEmpty else {
                throw RenderError(
                    tool: tool,
                    message:
                        "helm dependency build: the chart's dependencies are not in charts/ and no host is allowed (add the chart repository's host to allowedHosts / --render-allow-host, or vendor the dependency in charts/)"
                )
            }
            let r = try sandboxed(
                h + ["dependency", "build", dir], in: dir, root: root, rootWritable: true, home: home, isolateNetwork: false, timeout: options.timeout
            ).0
            if r.timedOut { throw RenderError(tool: tool, message: "fetching chart dependencies did not finish within \(Int(options.timeout)) s") }
            guard r.status == 0 else { throw RenderError(tool: tool, message: "helm dependency build: \(Self.said(r.stderrText + r.stdoutText, root: root))") }
        }
        let (r, isolation) = try sandboxed(
            command, in: dir, root: root, rootWritable: false, home: home, isolateNetwork: options.allowedHosts.isEmpty,
            timeout: max(1, options.timeout - (monotonicSeconds() - started)))
        if r.timedOut { throw RenderError(tool: tool, message: "did not finish within \(Int(options.timeout)) s (the render time limit)") }
        if r.outputLimitExceeded { throw RenderError(tool: tool, message: "printed more than \(options.maxOutputBytes) bytes (the render output limit)") }
        guard r.status == 0 else {
            let said = Self.said(r.stderrText, root: root)
            throw RenderError(tool: tool, message: said.isEmpty ? "exited with status \(r.status)" : said)
        }
        return Output(stream: r.stdout, isolation: isolation)
    }

    /// One tool run in the sandbox (`Sandbox`), with the output limit. It sees the checkout
    /// (`root`, written to only by `helm dependency build`), its HOME, the values files the
    /// operator named by absolute path, and nothing else of this machine but the system.
    func sandboxed(
        _ command: [String], in dir: String, root: String, rootWritable: Bool, home: String, isolateNetwork: Bool, timeout: Double
    ) throws -> (CompletedProcess, RenderIsolation) {
        let operatorFiles = options.helm.valuesFiles.filter { $0.hasPrefix("/") }
        let view = Sandbox.View(
            readOnly: (rootWritable ? [] : [root]) + operatorFiles, writable: [home] + (rootWritable ? [root] : []), isolateNetwork: isolateNetwork)
        let (executable, arguments, isolation) = Sandbox.wrap(command, view: view)
        let r = try ChildProcess.run(
            executable, arguments, environment: Sandbox.environment(home: home, allowedHosts: options.allowedHosts), directory: dir, timeout: timeout,
            outputLimit: options.maxOutputBytes)
        return (r, isolation)
    }

    /// What a tool said, with the temporary checkout's path taken out of it.
    static func said(_ text: String, root: String) -> String {
        text.replacingOccurrences(of: root + "/", with: "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A chart that declares dependencies and has no `charts/` to hold them.
    static func needsDependencies(chart: String) -> Bool {
        // A Chart.yaml that cannot be read is not guessed at here: helm reads it next, and fails.
        guard let text = try? String(contentsOfFile: "\(chart)/Chart.yaml", encoding: .utf8),
            text.split(separator: "\n").contains(where: { $0.hasPrefix("dependencies:") && !$0.contains("[]") })
        else { return false }
        // No charts/ directory (or none readable): the dependencies are not vendored.
        let vendored = (try? FileManager.default.contentsOfDirectory(atPath: "\(chart)/charts")) ?? []
        return vendored.isEmpty
    }

    var kustomizeFlags: [String] {
        var flags: [String] = []
        if options.kustomize.enableHelm { flags.append("--enable-helm") }
        if let r = options.kustomize.loadRestrictor { flags += ["--load-restrictor", r] }
        return flags
    }

    func helmFlags(chart: String) -> [String] {
        let h = options.helm
        var flags: [String] = []
        if let ns = h.namespace { flags += ["--namespace", ns] }
        for file in h.valuesFiles { flags += ["--values", file.hasPrefix("/") ? file : "\(chart)/\(file)"] }
        for s in h.set { flags += ["--set", s] }
        if h.includeCRDs { flags.append("--include-crds") }
        if let v = h.kubeVersion { flags += ["--kube-version", v] }
        for a in h.apiVersions { flags += ["--api-versions", a] }
        return flags
    }
}
