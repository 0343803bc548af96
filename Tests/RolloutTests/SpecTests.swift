import Rollout
import Testing
import YAML

func mdep(_ spec: String, name: String = "churn", namespace: String = "ml") throws -> Value {
    try YAML.parse("apiVersion: sluice.dev/v1alpha1\nkind: ModelDeployment\nmetadata: {name: \(name), namespace: \(namespace), uid: u-1}\nspec:\n" + spec)
}

func parse(_ spec: String) throws -> ModelDeploymentSpec {
    try ModelDeploymentSpec.parse(try mdep(spec)).get()
}

func errors(_ spec: String) throws -> [String] {
    switch ModelDeploymentSpec.parse(try mdep(spec)) {
    case .success: return []
    case .failure(let e): return e.errors.map(\.description)
    }
}

@Suite struct SpecTests {

    /// A misspelt key was ignored: `rollbak` silently turned revert commits off and `stepz`
    /// silently kept the default steps. Each is now an error naming the field and the one meant.
    @Test(arguments: [
        ("  canary:\n    stepz: [5, 100]\n", "spec.canary.stepz: unknown field; did you mean steps?"),
        ("  canary:\n    analysis: {intervall: 5s}\n", "spec.canary.analysis.intervall: unknown field; did you mean interval?"),
        ("  rollbak: {revertCommit: true}\n", "spec.rollbak: unknown field; did you mean rollback?"),
        ("  rollback: {revertcommit: true}\n", "spec.rollback.revertcommit: unknown field; did you mean revertCommit?"),
        ("  traffic: {routr: gateway-api}\n", "spec.traffic.routr: unknown field; did you mean router?"),
        ("  template: {nodeSelektor: {a: b}}\n", "spec.template.nodeSelektor: unknown field; did you mean nodeSelector?"),
        ("  colour: blue\n", "spec.colour: unknown field (known: autoscaling, canary, model, port, replicas, rollback, template, traffic)"),
        (
            "  canary:\n    slos: [{name: e, errors: a, total: b, maxx: 0.02}]\n",
            "spec.canary.slos[0].maxx: unknown field; did you mean max?"
        ),
    ])
    func aMisspeltFieldIsAnErrorWithTheFieldMeant(_ typo: String, _ message: String) throws {
        let found = try errors("  model: {version: v1, image: reg/churn:1}\n" + typo)
        #expect(found.contains { $0.contains(message) }, "\(found)")
    }
    @Test func defaults() throws {
        let s = try parse("  model: {version: \"2025-11-03\", image: reg/churn:1}\n")
        #expect(s.modelName == "churn")
        #expect(s.replicas == 2 && s.port == 8080)
        #expect(s.steps == [5, 25, 50, 100])
        #expect(s.stepDuration == 120 && s.analysisInterval == 30)
        #expect(s.failureLimit == 1 && s.errorLimit == 4 && s.minSuccessfulChecks == 2)
        #expect(s.holdLimit == .auto && s.progressDeadline == 600, "a step holds while a verdict is in sight; pods get 10 minutes to be ready")
        #expect(s.router == .replicas && s.gates.isEmpty && !s.revertCommit)
    }

    @Test func everyField() throws {
        let s = try parse(
            """
              model: {name: churn-model, version: v2, image: "reg/churn:2", uri: "s3://m/2"}
              replicas: 4
              port: 9000
              template:
                env: [{name: A, value: "1"}]
                resources: {limits: {memory: 2Gi}}
                nodeSelector: {gpu: "true"}
                annotations: {team: ml}
              traffic:
                router: gateway-api
                httpRoute: {parentRefs: [{name: gw}], hostnames: [churn.example.com]}
              canary:
                steps: [10, 50, 100]
                stepDuration: 1m30s
                progressDeadline: 5m
                analysis: {interval: 10s, failureLimit: 0, errorLimit: 2, minSuccessfulChecks: 3}
                gates: [50]
                slos:
                - {name: errors, query: "sum(rate(x{version=\\"{{version}}\\"}[1m]))", max: 0.01}
                - {name: latency, query: "q", max: 0.25, relativeToStable: 1.5}
              rollback: {revertCommit: true}

            """)
        #expect(s.modelName == "churn-model" && s.uri == "s3://m/2" && s.replicas == 4 && s.port == 9000)
        #expect(s.container["env"] == [["name": "A", "value": "1"]])
        #expect(s.pod["nodeSelector"] == ["gpu": "true"])
        #expect(s.podAnnotations == ["team": "ml"])
        #expect(s.router == .gatewayAPI && s.steps == [10, 50, 100] && s.stepDuration == 90 && s.progressDeadline == 300)
        #expect(s.analysisInterval == 10 && s.failureLimit == 0 && s.errorLimit == 2 && s.minSuccessfulChecks == 3)
        #expect(s.gates == [50] && s.revertCommit)
        #expect(s.slos.map(\.name) == ["errors", "latency"] && s.slos[1].relativeToStable == 1.5)
    }

    @Test func everyProblemIsNamed() throws {
        let found = try errors(
            """
              model: {version: "bad version!", image: 3}
              replicas: 0
              template: {bogus: 1}
              traffic: {router: mesh}
              canary:
                steps: [50, 25, 90]
                stepDuration: soon
                gates: [30]
                slos:
                - {name: a, query: q}
                - {name: b, max: 1}
                - {name: a, query: q, max: "1"}

            """)
        let expected = [
            "spec.model.version: 'bad version!' is not a valid label value",
            "spec.model.image: must be a string, not a integer",
            "spec.replicas: must be at least 1",
            "spec.template.bogus: unknown field",
            "spec.traffic.router: must be replicas or gateway-api, not 'mesh'",
            "spec.canary.steps: must be strictly increasing",
            "spec.canary.stepDuration: must be a duration",
            "spec.canary.gates: 30 is not one of the steps",
            "spec.canary.slos[0]: needs max, min or relativeToStable",
            "spec.canary.slos[1]: needs one of query, errors (with total), histogram or distribution",
            "spec.canary.slos[2].name: duplicate SLO name 'a'",
            "spec.canary.slos[2].max: must be a number",
        ]
        for e in expected { #expect(found.contains { $0.hasPrefix(e) }, "missing: \(e)\nfound: \(found)") }
        #expect(try errors("  model: {image: x}\n").contains("spec.model.version: required"))
        #expect(
            try errors("  model: {version: v1, image: x}\n  canary: {analysis: {minSuccessfulChecks: 0}}\n").contains {
                $0.hasPrefix("spec.canary.analysis.minSuccessfulChecks: must be at least 1")
            }, "zero would promote on time alone, without evidence")
        #expect(try errors("  model: {version: v1, image: x}\n  canary: {steps: [5, 50]}\n").contains("spec.canary.steps: must end at 100"))
        #expect(
            try errors("  model: {version: v1, image: x}\n  traffic: {router: gateway-api}\n").contains {
                $0.hasPrefix("spec.traffic.httpRoute.parentRefs: required")
            })
    }

    @Test func durations() {
        #expect(DurationText.parse("90s") == 90 && DurationText.parse("1m30s") == 90 && DurationText.parse("2h") == 7200 && DurationText.parse("250ms") == 0.25)
        #expect(DurationText.parse("soon") == nil && DurationText.parse("") == nil && DurationText.parse("5x") == nil)
        #expect(DurationText.format(90) == "1m30s" && DurationText.format(30) == "30s" && DurationText.format(0.5) == "500ms")
    }

    @Test func templateHashIgnoresReplicas() throws {
        let a = try parse("  model: {version: v1, image: x}\n  replicas: 2\n")
        let b = try parse("  model: {version: v1, image: x}\n  replicas: 5\n")
        let c = try parse("  model: {version: v1, image: other}\n")
        #expect(a.templateHash == b.templateHash && a.templateHash != c.templateHash)
    }
}

@Suite struct PlacementTests {
    @Test(arguments: [
        // replicas, weight → stable, canary, effective
        (4, 5, 3, 1, 25), (4, 25, 3, 1, 25), (4, 50, 2, 2, 50), (4, 100, 0, 4, 100), (4, 0, 4, 0, 0),
        (10, 5, 9, 1, 10), (10, 25, 7, 3, 30), (20, 5, 19, 1, 5), (1, 5, 1, 1, 50), (2, 90, 1, 1, 50),
    ])
    func replicaRouterRounding(replicas: Int, weight: Int, stable: Int, canary: Int, effective: Int) throws {
        let spec = try parse("  model: {version: v1, image: x}\n  replicas: \(replicas)\n")
        #expect(
            Placement.compute(spec: spec, canaryWeight: weight, hasCanary: weight > 0)
                == Placement(stableReplicas: stable, canaryReplicas: canary, effectiveWeight: effective))
    }

    @Test func gatewayRouterKeepsExactWeightsAndStableCapacity() throws {
        let spec = try parse("  model: {version: v1, image: x}\n  replicas: 4\n  traffic: {router: gateway-api, httpRoute: {parentRefs: [{name: gw}]}}\n")
        #expect(Placement.compute(spec: spec, canaryWeight: 5, hasCanary: true) == Placement(stableReplicas: 4, canaryReplicas: 1, effectiveWeight: 5))
        #expect(Placement.compute(spec: spec, canaryWeight: 50, hasCanary: true) == Placement(stableReplicas: 4, canaryReplicas: 2, effectiveWeight: 50))
    }
}
