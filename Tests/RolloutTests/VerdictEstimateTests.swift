import Rollout
import Testing
import YAML

/// The time-to-verdict estimate is the judge's own answer, not a formula beside it.
@Suite struct VerdictEstimateTests {
    static func spec(_ slos: String, steps: String = "[5, 25, 50, 100]", deadline: String = "") throws -> ModelDeploymentSpec {
        let text = """
            apiVersion: sluice.dev/v1alpha1
            kind: ModelDeployment
            metadata: {name: m, namespace: ml}
            spec:
              model: {version: v2, image: reg/m:2}
              canary:
                steps: \(steps)\(deadline)
                slos:
            \(slos)
            """
        return try ModelDeploymentSpec.parse(try YAML.parse(text)).get()
    }

    @Test func theEstimateIsWhereTheJudgeFirstDecides() throws {
        let spec = try Self.spec("    - {name: errors, errors: e, total: t, max: 0.02}\n")
        let e = try #require(VerdictEstimate.estimates(spec, traffic: 100).first)
        #expect(e.errorRate == 0.01 && e.canaryRate == 5 && e.seconds == e.requests / 5)
        // A look every 30 s (the default) at 5 requests/s: 150 requests a look.
        let looks = Int(e.requests / 150)
        #expect(Double(looks) * 150 == e.requests)
        func outcome(_ look: Int) -> SLOCheck.Outcome {
            VerdictEstimate.look(look, spec.slos[0], errorRate: 0.01, confidence: spec.confidence, perLook: 150).outcome
        }
        #expect(outcome(looks) == .pass)
        #expect(outcome(looks - 1) == .noData, "the first look that passes")
    }

    /// Under one request a look (0.2 req/s in all, 5% of it, a look every 30 s: 0.3 a look), the
    /// estimate still counts the looks at that traffic, not at a request each.
    @Test func fewerThanARequestALookIsCountedAsItComes() throws {
        let spec = try Self.spec("    - {name: errors, errors: e, total: t, max: 0.02}\n")
        let e = try #require(VerdictEstimate.estimates(spec, traffic: 0.2).first)
        let looks = (e.requests / 0.3).rounded()
        #expect(abs(looks * 0.3 - e.requests) < 1e-6, "\(e.requests)")
        #expect(VerdictEstimate.look(Int(looks), spec.slos[0], errorRate: 0.01, confidence: spec.confidence, perLook: 0.3).outcome == .pass)
    }

    @Test func moreSLOsShareTheConfidenceAndNeedMore() throws {
        let one = try Self.spec("    - {name: errors, errors: e, total: t, max: 0.02}\n")
        let two = try Self.spec("    - {name: errors, errors: e, total: t, max: 0.02}\n    - {name: mix, distribution: d, maxDivergence: 0.01}\n")
        let a = try #require(VerdictEstimate.estimates(one, traffic: 100).first)
        let b = try #require(VerdictEstimate.estimates(two, traffic: 100).first)
        #expect(b.requests > a.requests)
        #expect(VerdictEstimate.estimates(two, traffic: 100).count == 1, "only count-based SLOs are estimated")
    }

    @Test func aRelativeOnlySLOAndARateOnTheBoundHaveNoEstimate() throws {
        let relative = try Self.spec("    - {name: errors, errors: e, total: t, relativeToStable: 2}\n")
        #expect(VerdictEstimate.estimates(relative, traffic: 100).isEmpty)
        let onBound = try Self.spec("    - {name: errors, errors: e, total: t, max: 0.02}\n")
        #expect(VerdictEstimate.estimates(onBound, traffic: 100, errorRate: 0.02).isEmpty)
    }

    @Test func theHoldLimitIsTheDeadlineOrAutosCeiling() throws {
        let fixed = try Self.spec("    - {name: errors, errors: e, total: t, max: 0.02}\n", deadline: "\n    progressDeadline: 10m")
        #expect(VerdictEstimate.holdLimit(fixed).seconds == 600 && VerdictEstimate.holdLimit(fixed).name == "progressDeadline is 10m")
        let auto = try Self.spec("    - {name: errors, errors: e, total: t, max: 0.02}\n")
        #expect(VerdictEstimate.holdLimit(auto).seconds == 7200)
    }
}
