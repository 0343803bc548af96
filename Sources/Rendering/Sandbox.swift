import ChildProcess
import Foundation

/// The environment a rendering tool runs in.
enum Sandbox {
    /// Nothing of ours (tokens, kubeconfig, cloud credentials) is passed on; HOME and the tools'
    /// config and cache directories are a throwaway directory. Without allowed hosts every
    /// proxy points at a closed port, so remote bases and chart repositories cannot be fetched
    /// even where a network namespace cannot be made; with them, only those hosts go direct.
    static func environment(home: String, allowedHosts: [String]) -> [String: String] {
        var env: [String: String] = [
            "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "XDG_CONFIG_HOME": "\(home)/config", "XDG_CACHE_HOME": "\(home)/cache",
            "XDG_DATA_HOME": "\(home)/data", "KUBECONFIG": "/dev/null", "HELM_NO_PLUGINS": "1", "GIT_TERMINAL_PROMPT": "0",
            "GIT_CONFIG_NOSYSTEM": "1", "LANG": "C.UTF-8",
        ]
        let closed = "http://127.0.0.1:9"
        for k in ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"] { env[k] = closed }
        let direct = allowedHosts.joined(separator: ",")
        env["NO_PROXY"] = direct
        env["no_proxy"] = direct
        return env
    }

    /// What one run may see and change besides the system's programs and libraries (read-only).
    struct View {
        var readOnly: [String]
        var writable: [String]
        var isolateNetwork: Bool
    }

    /// The command as it is run: in a mount namespace of its own (bubblewrap) that holds the
    /// system's `/usr`, a few files of `/etc` for TLS and name lookups, the tool, and `view`'s
    /// paths, nothing else of the pod (no service-account token, no git cache, no other
    /// checkout); with `isolateNetwork`, in a network namespace too. Where bubblewrap cannot run,
    /// `unshare -rn` isolates the network only, and `isolation` says so.
    static func wrap(_ command: [String], view: View) -> (executable: String, arguments: [String], isolation: RenderIsolation) {
        if let bwrap = bubblewrap {
            return (bwrap, bubblewrapArguments(command, view: view) + ["--"] + command, RenderIsolation(mounts: true, network: view.isolateNetwork))
        }
        if view.isolateNetwork, let unshare = canUnshare {
            return (unshare, ["-rn", "--"] + command, RenderIsolation(mounts: false, network: true, reason: bubblewrapMissing))
        }
        return (command[0], Array(command.dropFirst()), RenderIsolation(mounts: false, network: false, reason: bubblewrapMissing))
    }

    static func bubblewrapArguments(_ command: [String], view: View) -> [String] {
        var args = ["--unshare-all", "--die-with-parent", "--new-session"]
        if !view.isolateNetwork { args.append("--share-net") }
        args += ["--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        // Merged-/usr systems link /bin, /lib... into /usr; others have them as directories.
        for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: top) {
                args += ["--symlink", target, top]
            } else if FileManager.default.fileExists(atPath: top) {
                args += ["--ro-bind", top, top]
            }
        }
        for file in ["/etc/ssl", "/etc/ca-certificates", "/etc/pki", "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/passwd", "/etc/group"] {
            args += ["--ro-bind-try", file, file]
        }
        var tools: [String] = []
        if let tool = command.first, tool.hasPrefix("/") {
            tools.append(URL(fileURLWithPath: tool).deletingLastPathComponent().path)
            let real = URL(fileURLWithPath: tool).resolvingSymlinksInPath().deletingLastPathComponent().path
            if real != tools[0] { tools.append(real) }
        }
        for path in tools + view.readOnly where !path.hasPrefix("/usr/") { args += ["--ro-bind", path, path] }
        for path in view.writable { args += ["--bind", path, path] }
        return args
    }

    static let bubblewrapMissing = "bubblewrap (bwrap) is not installed or cannot make namespaces here (user namespaces off?)"

    /// bubblewrap, when it is installed and this machine lets it make the namespaces it needs.
    static let bubblewrap: String? = {
        guard let path = ChildProcess.find("bwrap"), let t = ChildProcess.find("true") else { return nil }
        let args = bubblewrapArguments([t], view: View(readOnly: [], writable: [], isolateNetwork: true)) + ["--", t]
        let r = try? ChildProcess.run(path, args, timeout: 10)
        return r?.status == 0 ? path : nil
    }()

    static let canUnshare: String? = {
        guard let path = ChildProcess.find("unshare") else { return nil }
        // A probe: unshare that cannot run here is the same as none (the status says which).
        let r = try? ChildProcess.run(path, ["-rn", "--", "true"], timeout: 5)
        return r?.status == 0 ? path : nil
    }()
}
