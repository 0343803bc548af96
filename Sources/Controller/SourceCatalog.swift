public import DesiredState
import Synchronization

/// The sources this controller runs now: those of its settings, fixed at start, and those
/// defined by GitSource objects, which come and go. Promotions, reverts and webhooks look
/// sources up here, so a GitSource created after start is as reachable as a `--repo` one.
public final class SourceCatalog: Sendable {
    public struct Entry: Sendable {
        public var git: GitSource
        public var controller: SourceController?

        public init(git: GitSource, controller: SourceController?) {
            self.git = git
            self.controller = controller
        }
    }

    private let entries: Mutex<[String: Entry]>

    public init(_ sources: [String: GitSource] = [:]) {
        entries = Mutex(sources.mapValues { Entry(git: $0, controller: nil) })
    }

    public func add(_ name: String, git: GitSource, controller: SourceController?) {
        entries.withLock { $0[name] = Entry(git: git, controller: controller) }
    }

    public func remove(_ name: String) {
        _ = entries.withLock { $0.removeValue(forKey: name) }
    }

    public var names: [String] { entries.withLock { $0.keys.sorted() } }

    public func git(_ name: String) -> GitSource? { entries.withLock { $0[name]?.git } }

    public var controllers: [SourceController] { entries.withLock { $0.values.compactMap(\.controller) } }
}
