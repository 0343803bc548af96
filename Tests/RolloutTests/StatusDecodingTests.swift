import Foundation
import Rollout
import TestSupport
import Testing
import YAML

/// Reading a status is total: every key may be missing (an older release did not write it),
/// unknown keys are ignored (a newer release wrote them), and only a value that is there but
/// cannot be understood fails, naming the field.
@Suite(.offThePool) struct StatusDecodingTests {
    static let full: Value = try! StoredStateFixtures.status("0.1.0", "rolledback")

    static func read(_ v: Value?) throws -> RolloutStatus { try RolloutStatus.read(v, of: "ml/churn") }

    @Test func noStatusIsAnEmptyOneThatRemembersNothing() throws {
        for v: Value? in [nil, .null, .emptyObject, ["conditions": []]] {
            let s = try Self.read(v)
            #expect(s == RolloutStatus())
            #expect(s.remembersNothing)
        }
    }

    /// Every top-level key, removed on its own: the rest means what it meant, and the missing
    /// field takes its default.
    @Test(arguments: Self.full.objectValue!.keys.filter { !["stableVersion", "canaryVersion", "conditions"].contains($0) })
    func everyKeyMayBeMissing(_ key: String) throws {
        let whole = try Self.read(Self.full)
        var partial = Self.full
        partial[key] = nil
        let s = try Self.read(partial)
        let defaults = RolloutStatus()
        let fields: [(String, (RolloutStatus) -> String)] = [
            ("phase", { "\($0.phase)" }), ("message", { $0.message }), ("observedGeneration", { "\($0.observedGeneration)" }),
            ("sourceRevision", { "\(String(describing: $0.sourceRevision))" }), ("stable", { "\(String(describing: $0.stable))" }),
            ("canary", { "\(String(describing: $0.canary))" }), ("step", { "\($0.step)" }), ("stepWeight", { "\($0.stepWeight)" }),
            ("canaryWeight", { "\($0.canaryWeight)" }), ("canaryStartedAt", { "\(String(describing: $0.canaryStartedAt))" }),
            ("stepStartedAt", { "\(String(describing: $0.stepStartedAt))" }), ("lastAnalysisAt", { "\(String(describing: $0.lastAnalysisAt))" }),
            ("successfulChecks", { "\($0.successfulChecks)" }), ("failedChecks", { "\($0.failedChecks)" }),
            ("consecutiveErrors", { "\($0.consecutiveErrors)" }), ("approvedGates", { "\($0.approvedGates)" }),
            ("failedVersions", { "\($0.failedVersions)" }), ("lastAnalysis", { "\(String(describing: $0.lastAnalysis))" }),
            ("history", { "\($0.history)" }), ("handledCommands", { "\($0.handledCommands)" }),
        ]
        #expect(fields.map(\.0).contains(key), "a key of the fixture this test does not know: \(key)")
        for (name, field) in fields {
            if name == key {
                #expect(field(s) == field(defaults), "\(key) takes its default")
            } else {
                #expect(field(s) == field(whole), "\(name) is unchanged when \(key) is missing")
            }
        }
    }

    /// Nested records: each key may be missing except the version a record is about.
    @Test func nestedKeysTakeDefaultsButAVersionIsRequired() throws {
        var v = Self.full
        v["canary"] = ["version": "v3", "image": "reg/churn:3"]
        v["failedVersions"] = [["version": "v3"]]
        v["lastAnalysis"] = ["checks": [["slo": "error-rate"]]]
        v["history"] = [[:]]
        let s = try Self.read(v)
        #expect(s.canary?.version == "v3" && s.canary?.port == 8080 && s.canary?.container == .emptyObject && s.canary?.labels == [:])
        #expect(s.failedVersions.map(\.version) == ["v3"] && s.failedVersions[0].reason == "no reason recorded")
        #expect(s.lastAnalysis?.checks.first?.outcome == .noData)
        #expect(s.history.count == 1)

        var noVersion = Self.full
        noVersion["failedVersions"] = [["reason": "breached"]]
        let error = try #require(throws: StoredStateError.self) { try Self.read(noVersion) }
        #expect(error.field == "failedVersions[0].version" && error.problem == "required")
    }

    /// The stable version is rendered from its stored pod template fields: ones that do not read
    /// were rendered as none (its pods would lose env, resources and probes). Now the status
    /// does not read, naming the field, and nothing is rendered from it.
    @Test func storedPodTemplateFieldsThatDoNotReadFailTheStatus() throws {
        for broken in ["{\"env\": [", "[1, 2]", "not json"] {
            var v = Self.full
            v["stable"] = ["version": "v1", "image": "reg/churn:1", "container": .string(broken)]
            let error = try #require(throws: StoredStateError.self) { try Self.read(v) }
            #expect(error.field == "stable.container", "\(error)")
        }
        for broken: Value in ["env", [1, 2], 3] {
            var v = Self.full
            v["stable"] = ["version": "v1", "image": "reg/churn:1", "containerFields": broken]
            let error = try #require(throws: StoredStateError.self) { try Self.read(v) }
            #expect(error.field == "stable.containerFields", "\(error)")
        }
        var fine = Self.full
        fine["stable"] = ["version": "v1", "image": "reg/churn:1", "container": "{\"env\": [{\"name\": \"A\", \"value\": \"1\"}]}"]
        #expect(try Self.read(fine).stable?.container["env"] == [["name": "A", "value": "1"]])
    }

    /// The fields are stored as mappings (`containerFields`, `podFields`), and read from them
    /// before the JSON text releases up to 0.2.0 wrote (still written beside them, so such a
    /// release reads this one's status during a rolling upgrade).
    @Test func podTemplateFieldsAreStoredAsMappingsBesideTheOldText() throws {
        var status = RolloutStatus()
        var spec = try Self.read(Self.full).stable!
        spec.container = ["env": [["name": "A", "value": "1"]], "resources": ["limits": ["cpu": "1"]]]
        spec.pod = ["nodeSelector": ["gpu": "true"]]
        status.stable = spec
        let written = try status.value(conditions: [])
        #expect(written[path: ["stable", "containerFields", "resources", "limits", "cpu"]] == "1")
        #expect(written[path: ["stable", "podFields", "nodeSelector", "gpu"]] == "true")
        let legacy = try JSON.parse(Array(try #require(written[path: ["stable", "container"]]?.stringValue).utf8))
        #expect(legacy == spec.container)
        #expect(try Self.read(written).stable == spec)
        var disagreeing = written
        disagreeing["stable"]?["container"] = "{}"
        #expect(try Self.read(disagreeing).stable?.container == spec.container, "the mapping wins over the text")
    }

    @Test func keysANewerReleaseAddedAreIgnored() throws {
        var v = Self.full
        v["inconclusiveVersions"] = [["version": "v9"]]
        v["canary"]?["futureField"] = ["x": 1]
        v["failedVersions"] = .array(
            (v["failedVersions"]?.arrayValue ?? []).map {
                var f = $0
                f["evidence"] = ["n": 400]
                return f
            })
        #expect(try Self.read(v) == (try Self.read(Self.full)))
    }

    /// A value of the wrong type is not a missing one: the status cannot be read, and the error
    /// names the field.
    @Test(arguments: [
        ("failedVersions", Value.string("v3"), "failedVersions"),
        ("stable", .int(5), "stable"),
        ("step", .string("one"), "step"),
        ("phase", .string("Exploded"), "phase"),
        ("handledCommands", .object(["a": 1]), "handledCommands"),
        ("canaryStartedAt", .string("yesterday"), "canaryStartedAt"),
    ])
    func aValueOfTheWrongTypeMakesTheStatusUnreadable(_ key: String, _ value: Value, _ field: String) throws {
        var v = Self.full
        v[key] = value
        let error = try #require(throws: StoredStateError.self) { try Self.read(v) }
        #expect(error.field == field, "\(error)")
        #expect(error.description.contains("ModelDeployment ml/churn"))
    }

    @Test func aStatusThatIsNotAMappingIsUnreadable() throws {
        let error = try #require(throws: StoredStateError.self) { try Self.read(.string("lost")) }
        #expect(error.field == "status")
    }

    /// What this release writes, an older release (whose synthesized decoding required every
    /// non-optional key) can read: every such key is always written.
    @Test func everyKeyTheOldestReadableReleaseRequiresIsWritten() throws {
        let required = [
            "phase", "message", "observedGeneration", "step", "stepWeight", "canaryWeight", "successfulChecks", "failedChecks", "consecutiveErrors",
            "approvedGates", "failedVersions", "history", "handledCommands",
        ]
        let written = try RolloutStatus().value(conditions: [])
        for key in required { #expect(written[key] != nil, "\(key) is written even when it holds its default") }
        var failed = RolloutStatus()
        failed.failedVersions = try Self.read(Self.full).failedVersions
        let entry = try #require(try failed.value(conditions: [])["failedVersions"]?.arrayValue?.first)
        for key in ["version", "reason", "time"] { #expect(entry[key] != nil) }
    }
}
