public import Foundation

/// A promotion of an autoscaled model in progress: the new stable version's HPA minimum is the
/// old one's size until `until`, and the old version keeps running until the new one has that
/// many ready pods, so a promotion never shrinks the capacity serving users.
public struct Handover: Sendable, Equatable, Codable {
    /// The version that was stable before the promotion.
    public var from: String
    /// Its replicas at the promotion.
    public var replicas: Int
    /// The end of one scale-down stabilisation window after the promotion.
    public var until: Date
    /// True once the old version was scaled down.
    public var retired: Bool

    public init(from: String, replicas: Int, until: Date, retired: Bool = false) {
        self.from = from
        self.replicas = replicas
        self.until = until
        self.retired = retired
    }
}
