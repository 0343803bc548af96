import Foundation
import Rollout
import TestSupport
import Testing
import YAML

/// Every release's stored rollout state (Tests/Fixtures/stored-state) means the same to this
/// build. Each release's fixtures record the same story: churn's good canary 2025-11-24 at 25%
/// over stable 2025-11-10, then the bad 2025-12-01 rolled back while git still names it.
@Suite(.offThePool) struct StoredStateCompatibilityTests {
    static var releases: [String] { StoredStateFixtures.releases }

    @Test func thereAreFixturesOfTheFirstRelease() { #expect(Self.releases.first == "0.1.0") }

    @Test(arguments: releases)
    func aCanaryMidwayIsReadAsACanaryMidway(_ release: String) throws {
        let s = try RolloutStatus.read(try StoredStateFixtures.status(release, "progressing"), of: "ml-demo/churn")
        #expect(s.phase == .progressing)
        #expect(s.stableVersion == "2025-11-10" && s.canaryVersion == "2025-11-24")
        #expect(s.step == 1 && s.stepWeight == 25 && s.canaryWeight == 25)
        #expect(s.stable?.image == "registry.example.com/ml/churn-server:2.4.0")
        #expect(s.canary?.uri == "s3://models/churn/2025-11-24")
        #expect(s.failedVersions.map(\.version) == ["2025-11-17"])
        #expect(s.canaryStartedAt != nil && s.stepStartedAt != nil)
        #expect(s.lastAnalysis?.checks.map(\.slo) == ["error-rate", "p95-latency"])
    }

    @Test(arguments: releases)
    func aRolledBackVersionIsReadAsFailedAndStaysOffTraffic(_ release: String) throws {
        let s = try RolloutStatus.read(try StoredStateFixtures.status(release, "rolledback"), of: "ml-demo/churn")
        #expect(s.phase == .rolledBack)
        #expect(s.stableVersion == "2025-11-24" && s.canaryVersion == "2025-12-01")
        #expect(s.failedVersions.map(\.version) == ["2025-11-17", "2025-12-01"])
        let failed = try #require(s.failedVersions.last)
        #expect(failed.slo == "error-rate" && failed.threshold == 0.05 && (failed.value ?? 0) > 0.05)
        // What the machine does with it: nothing new runs, the failed version gets no traffic.
        let spec = try ModelDeploymentSpec.parse(Self.churn(version: "2025-12-01")).get()
        let d = RolloutMachine.next(s, Observation(now: Date(), spec: spec, stable: .ready, canary: .ready))
        #expect(d.status.phase == .rolledBack && d.topology.canaryWeight == 0 && d.retire.isEmpty)
        #expect(d.topology.stable?.version == "2025-11-24")
    }

    @Test(arguments: releases)
    func aSucceededRolloutIsReadAsStable(_ release: String) throws {
        let s = try RolloutStatus.read(try StoredStateFixtures.status(release, "succeeded"), of: "ml-demo/churn")
        #expect(s.phase == .succeeded && s.stableVersion == "2025-11-10" && s.canary == nil)
        #expect(s.failedVersions.map(\.version) == ["2025-11-17"])
        #expect(s.history.map(\.event).contains("Promoted"))
    }

    /// Re-encoding a fixture loses nothing it held: a status read and written back by this
    /// release keeps every key an older release wrote, so the older one can read it again.
    @Test(arguments: releases)
    func writingBackKeepsEveryKey(_ release: String) throws {
        for name in ["progressing", "rolledback", "succeeded"] {
            let stored = try StoredStateFixtures.status(release, name)
            let rewritten = try RolloutStatus.read(stored, of: "t").value(conditions: stored["conditions"]?.arrayValue ?? [])
            for key in stored.objectValue?.keys ?? [] { #expect(rewritten[key] != nil, "\(release) \(name): \(key) is dropped") }
            #expect(try RolloutStatus.read(rewritten, of: "t") == (try RolloutStatus.read(stored, of: "t")))
        }
    }

    /// Releases since Deployments carry the rollout's marks (0.1.0 wrote none).
    static var marking: [String] { releases.filter { $0 != "0.1.0" } }

    /// A status lost after the rollback: the Deployments alone say v2025-12-01 failed and runs no
    /// pods, and 2025-11-24 is stable.
    @Test(arguments: marking)
    func aLostStatusIsRebuiltFromTheDeploymentsOfARollback(_ release: String) throws {
        let record = ClusterRecord(deployments: try StoredStateFixtures.deployments(release))
        #expect(record.stable?.version == "2025-11-24" && record.canary?.version == "2025-12-01" && record.canaryWeight == 0)
        #expect(record.failed.map(\.version) == ["2025-12-01"] && record.failed.first?.slo == "error-rate")
        let stored = try RolloutStatus.read(try StoredStateFixtures.status(release, "rolledback"), of: "ml-demo/churn")
        #expect(record.stable == stored.stable && record.canary == stored.canary, "the Deployments render exactly what the status did")
        let rebuilt = RolloutRecovery.recover(RolloutStatus(), from: record, now: Date()).status
        let d = RolloutMachine.next(
            rebuilt, Observation(now: Date(), spec: try ModelDeploymentSpec.parse(Self.churn(version: "2025-12-01")).get(), stable: .ready, canary: .ready))
        #expect(d.status.phase == .rolledBack && d.topology.canaryWeight == 0 && d.topology.stable?.version == "2025-11-24")
    }

    @Test(arguments: marking)
    func aLostStatusIsRebuiltFromTheDeploymentsOfACanary(_ release: String) throws {
        let record = ClusterRecord(deployments: try StoredStateFixtures.deployments(release, "deployments-canary"))
        #expect(record.stable?.version == "2025-11-10" && record.canary?.version == "2025-11-24" && record.canaryWeight == 25)
        #expect(record.failed.isEmpty)
        let stored = try RolloutStatus.read(try StoredStateFixtures.status(release, "progressing"), of: "ml-demo/churn")
        #expect(record.stable == stored.stable && record.canary == stored.canary)
    }

    static func churn(version: String) -> Value {
        [
            "apiVersion": "sluice.dev/v1alpha1", "kind": "ModelDeployment", "metadata": ["name": "churn", "namespace": "ml-demo"],
            "spec": ["model": ["version": .string(version), "image": "registry.example.com/ml/churn-server:2.7.0-bad"], "replicas": 4],
        ]
    }
}
