/// How a render was isolated, as the source's status shows it: a mount namespace that holds only
/// the tree and the tool (nothing else of the pod can be read), and a network namespace.
public struct RenderIsolation: Sendable, Equatable, Codable, CustomStringConvertible {
    public var mounts: Bool
    public var network: Bool
    /// Why a namespace could not be made.
    public var reason: String?

    public init(mounts: Bool, network: Bool, reason: String? = nil) {
        self.mounts = mounts
        self.network = network
        self.reason = reason
    }

    public var description: String {
        switch (mounts, network) {
        case (true, true): "sandboxed: own mounts (the tree and the tool, read-only) and no network"
        case (true, false): "sandboxed: own mounts (the tree and the tool, read-only); network to allowed hosts"
        case (false, true): "network isolated only, not the file system: \(reason ?? "")"
        case (false, false): "not sandboxed: \(reason ?? "")"
        }
    }
}
