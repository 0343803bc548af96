import Foundation
import YAML

/// The HorizontalPodAutoscaler's decision (`autoscaling/v2`, as kube-controller-manager makes
/// it), pure: bounds first, then per metric desired = ceil(ready × current / target) unless
/// within the 10% tolerance, the highest metric wins, then the stabilisation windows (the
/// highest recommendation of the scale-down window, the lowest of the scale-up one), then
/// min/max. What the emulator leaves out: scaling policies (rate limits), and metrics other
/// than `Resource`/`ContainerResource` with a `Utilization` target, whose values come from
/// `KubeEmulator.setLoad` instead of a metrics server.
enum AutoscalerAlgorithm {
    static let tolerance = 0.1
    static let defaultMetric: Value = ["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 80]]]

    struct Input {
        var current: Int
        var ready: Int
        var minReplicas: Int
        var maxReplicas: Int
        var metrics: [Value]
        /// Per resource: the Deployment's pods together use this many pods' requests.
        var load: [String: Double]
        /// Unstabilised recommendations so far, newest last.
        var history: [(time: Date, replicas: Int)]
        var scaleUpWindow: Double
        var scaleDownWindow: Double
        var now: Date
    }

    struct Output {
        var desired: Int
        /// The unstabilised recommendation to remember (nil: none was made).
        var recommendation: Int?
        var currentMetrics: [Value]
        var conditions: [(type: String, status: String, reason: String, message: String)]
    }

    static func decide(_ input: Input) -> Output {
        if input.current == 0 && input.minReplicas != 0 {
            return Output(
                desired: 0, currentMetrics: [],
                conditions: [("ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero")])
        }
        if input.current > input.maxReplicas {
            return bounded(input.maxReplicas, "TooManyReplicas", "the desired replica count is more than the maximum replica count")
        }
        if input.current < input.minReplicas {
            return bounded(input.minReplicas, "TooFewReplicas", "the desired replica count is less than the minimum replica count")
        }
        return fromMetrics(input)
    }

    static func bounded(_ replicas: Int, _ reason: String, _ message: String) -> Output {
        Output(
            desired: replicas, currentMetrics: [],
            conditions: [
                ("AbleToScale", "True", "SucceededRescale", "the HPA controller was able to update the target scale to \(replicas)"),
                ("ScalingLimited", "True", reason, message),
            ])
    }

    static func fromMetrics(_ input: Input) -> Output {
        var proposals: [Int] = []
        var current: [Value] = []
        var failure: String?
        let ready = max(1, input.ready == 0 ? input.current : input.ready)
        for metric in input.metrics.isEmpty ? [defaultMetric] : input.metrics {
            switch measure(metric, load: input.load, pods: ready) {
            case .success(let (utilization, target, source)):
                let ratio = utilization / target
                proposals.append(abs(ratio - 1) <= tolerance ? input.current : Int((ratio * Double(ready)).rounded(.up)))
                current.append(source)
            case .failure(let why): failure = failure ?? why.message
            }
        }
        guard let recommendation = proposals.max() else {
            return Output(
                desired: input.current, currentMetrics: [], conditions: [("ScalingActive", "False", "FailedGetResourceMetric", failure ?? "no metrics")])
        }
        let stabilised = stabilise(recommendation, input)
        let desired = min(input.maxReplicas, max(input.minReplicas, stabilised))
        var conditions = [
            ("AbleToScale", "True", desired == input.current ? "ReadyForNewScale" : "SucceededRescale", "recommended size matches current size"),
            ("ScalingActive", "True", "ValidMetricFound", "the HPA was able to successfully calculate a replica count from cpu resource utilization"),
        ]
        if desired != stabilised {
            conditions.append(("ScalingLimited", "True", desired > stabilised ? "TooFewReplicas" : "TooManyReplicas", "the desired count is out of bounds"))
        } else {
            conditions.append(("ScalingLimited", "False", "DesiredWithinRange", "the desired count is within the acceptable range"))
        }
        return Output(desired: desired, recommendation: recommendation, currentMetrics: current, conditions: conditions)
    }

    /// Scale up no further than the lowest recommendation of the up window, down no further
    /// than the highest of the down window (the new recommendation counts in both).
    static func stabilise(_ recommendation: Int, _ input: Input) -> Int {
        var up = recommendation
        var down = recommendation
        for r in input.history {
            if r.time > input.now.addingTimeInterval(-input.scaleUpWindow) { up = min(up, r.replicas) }
            if r.time > input.now.addingTimeInterval(-input.scaleDownWindow) { down = max(down, r.replicas) }
        }
        var out = input.current
        if out < up { out = up }
        if out > down { out = down }
        return out
    }

    /// A metric's current average utilization (percent of requests), its target, and the
    /// `currentMetrics` entry to report.
    static func measure(_ metric: Value, load: [String: Double], pods: Int) -> Result<(Double, Double, Value), Failure> {
        let type = metric["type"]?.stringValue ?? ""
        let field = type == "ContainerResource" ? "containerResource" : "resource"
        guard type == "Resource" || type == "ContainerResource", let resource = metric[path: [field, "name"]]?.stringValue else {
            return .failure(Failure("the emulator measures Resource and ContainerResource metrics only, not \(type)"))
        }
        guard metric[path: [field, "target", "type"]]?.stringValue == "Utilization",
            let target = metric[path: [field, "target", "averageUtilization"]]?.doubleValue,
            target > 0
        else {
            return .failure(Failure("the emulator measures Utilization targets only"))
        }
        guard let used = load[resource] else {
            return .failure(Failure("unable to get metrics for resource \(resource): no metrics returned from resource metrics API"))
        }
        let utilization = used * 100 / Double(pods)
        let source: Value = [
            "type": .string(type),
            .init(stringLiteral: field): ["name": .string(resource), "current": ["averageUtilization": .int(Int64(utilization.rounded()))]],
        ]
        return .success((utilization, target, source))
    }

    struct Failure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
