public import LeaderElection
public import Logging
public import ServiceLifecycle

/// The controllers as a service: with leader election, they run only while this replica leads;
/// on graceful shutdown they stop taking work, finish what is in flight (their state is in the
/// cluster) and the lease is released.
public struct ControllersService: Service {
    let elector: LeaderElector?
    let logger: Logger
    let controllers: @Sendable () async -> Void

    public init(elector: LeaderElector?, logger: Logger, controllers: @escaping @Sendable () async -> Void) {
        self.elector = elector
        self.logger = logger
        self.controllers = controllers
    }

    public func run() async throws {
        let controllers = self.controllers
        if let elector {
            await cancelWhenGracefulShutdown { await elector.run(lead: controllers) }
        } else {
            await cancelWhenGracefulShutdown { await controllers() }
        }
        logger.info("controllers stopped")
    }
}
