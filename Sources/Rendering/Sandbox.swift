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

    /// `unshare -rn` around the command when no host is allowed and this machine lets us make
    /// a network namespace (the tool then sees only its own loopback).
    static func wrap(_ command: [String], isolateNetwork: Bool) -> (String, [String]) {
        if isolateNetwork, let unshare = canUnshare { return (unshare, ["-rn", "--"] + command) }
        return (command[0], Array(command.dropFirst()))
    }

    static let canUnshare: String? = {
        guard let path = ChildProcess.find("unshare") else { return nil }
        let r = try? ChildProcess.run(path, ["-rn", "--", "true"], timeout: 5)
        return r?.status == 0 ? path : nil
    }()
}
