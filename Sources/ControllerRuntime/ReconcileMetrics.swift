/// What the worker loop reports about each pass; the controller's metrics registry implements
/// it (`SluiceMetrics`), and the loop knows nothing else about metrics.
public protocol ReconcileMetrics: Sendable {
    func reconciled(controller: String, seconds: Double, failed: Bool)
    func queueDepth(controller: String, depth: Int)
}
