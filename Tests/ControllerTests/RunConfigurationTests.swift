import ControllerProcess
import Foundation
import TestSupport
import Testing

@Suite(.offThePool) struct RunConfigurationTests {
    let dir = TemporaryDirectory(prefix: "sluice-config")

    func resolve(_ flags: [String: String] = [:], env: [String: String] = [:], file: String? = nil) throws -> RunConfiguration {
        try RunConfiguration.resolve(flags: flags, environment: env, file: file, home: dir.path)
    }

    func problem(_ flags: [String: String] = [:], env: [String: String] = [:], file: String? = nil) -> String {
        do {
            _ = try resolve(flags, env: env, file: file)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func defaultsAreSafeForAPod() throws {
        let c = try resolve(["repo": "https://git.example.com/ml/deploy.git"], env: ["POD_NAMESPACE": "sluice-system"])
        #expect(c.sources.count == 1)
        #expect(c.sources[0].name == "deploy")
        #expect(c.sources[0].interval == 60)
        #expect(c.sources[0].prune)
        #expect(c.inventoryNamespace == "sluice-system")
        #expect(c.leaderElection.enabled)
        #expect(c.leaderElection.namespace == "sluice-system")
        #expect(c.leaderElection.leaseDuration == 15 && c.leaderElection.renewDeadline == 10 && c.leaderElection.retryPeriod == 2)
        #expect(c.listenHost == "0.0.0.0" && c.listenPort == 8080)
        #expect(c.cacheDirectory == "\(dir.path)/.cache/sluice/git")
        #expect(c.qps == 50 && c.burst == 100)
    }

    @Test func flagsBeatEnvironmentWhichBeatsTheFile() throws {
        let file = try dir.write(
            "config.yaml",
            """
            repo: https://file.example.com/a.git
            interval: 5m
            logLevel: debug
            workers: 8
            """)
        let c = try resolve(["interval": "30s"], env: ["SLUICE_LOG_LEVEL": "warning", "SLUICE_INTERVAL": "2m"], file: file)
        #expect(c.sources[0].repo == "https://file.example.com/a.git")
        #expect(c.sources[0].interval == 30)
        #expect(c.logLevel == "warning")
        #expect(c.workers == 8)
        // SLUICE_CONFIG names the file when --config is absent.
        let fromEnv = try resolve(env: ["SLUICE_CONFIG": file])
        #expect(fromEnv.workers == 8)
    }

    @Test func aSourcesListConfiguresSeveralRepositories() throws {
        let token = try dir.write("token", "s3cret\n")
        let file = try dir.write(
            "config.yaml",
            """
            interval: 2m
            sources:
              - name: platform
                repo: https://git.example.com/platform.git
                path: clusters/prod
                gitTokenFile: \(token)
              - repo: ssh://git@git.example.com/ml/models.git
                interval: 30s
                prune: false
              - repo: https://git.example.com/ml/features.git
                interval: 45
            """)
        let c = try resolve(file: file)
        #expect(c.sources.map(\.name) == ["platform", "models", "features"])
        #expect(c.sources[0].path == "clusters/prod" && c.sources[0].tokenFile == token && c.sources[0].interval == 120)
        #expect(c.sources[1].interval == 30 && !c.sources[1].prune)
        // Whole seconds, as the CRDs' durations take them (read as absent before: 120).
        #expect(c.sources[2].interval == 45)
    }

    @Test func everyProblemNamesTheSettingAndWhereItCameFrom() throws {
        let repo = ["repo": "https://git.example.com/a.git"]
        #expect(try resolve().sources.isEmpty, "no source in the settings: GitSource objects only")
        #expect(problem(repo, env: ["SLUICE_INTERVAL": "soon"]) == "environment variable SLUICE_INTERVAL: 'soon' is not a duration (30s, 2m, 1h)")
        #expect(problem(repo.merging(["listen": "8080"]) { a, _ in a }) == "--listen: '8080' is not host:port")
        #expect(problem(repo.merging(["renew-deadline": "20s"]) { a, _ in a }).hasPrefix("--renew-deadline: must be shorter than the lease duration"))
        #expect(problem(repo.merging(["retry-period": "12s"]) { a, _ in a }).hasPrefix("--retry-period: must be shorter than the renew deadline"))
        #expect(
            problem(repo.merging(["prometheus-url": "prometheus:9090"]) { a, _ in a }).hasPrefix("--prometheus-url: 'prometheus:9090' is not an http(s) URL"))
        #expect(problem(repo.merging(["git-token-file": "/nonexistent/token"]) { a, _ in a }) == "--git-token-file: cannot read /nonexistent/token")
        #expect(problem(repo.merging(["workers": "0"]) { a, _ in a }).hasPrefix("--workers: '0' must be a whole number within 1...64"))
        #expect(problem(repo.merging(["leader-election": "maybe"]) { a, _ in a }) == "--leader-election: 'maybe' must be true or false")
        let unknown = try dir.write("unknown.yaml", "repo: https://x/a.git\nprometheusURL: http://p:9090\n")
        #expect(problem(file: unknown) == "prometheusURL in \(unknown): unknown field; did you mean prometheusUrl?")
        let typo = try dir.write("typo.yaml", "repo: https://x/a.git\nlogLevle: debug\n")
        #expect(problem(file: typo) == "logLevle in \(typo): unknown field; did you mean logLevel?")
        // A misspelt key in a source must not pass: ignored, it left the source unrestricted.
        let scope = try dir.write("scope.yaml", "sources:\n  - repo: https://x/a.git\n    targetNamespace: [team-a]\n")
        #expect(problem(file: scope) == "sources[0].targetNamespace in \(scope): unknown field; did you mean targetNamespaces?")
        let prune = try dir.write("prune.yaml", "sources:\n  - repo: https://x/a.git\n    prun: false\n")
        #expect(problem(file: prune) == "sources[0].prun in \(prune): unknown field; did you mean prune?")
        let helm = try dir.write("helm.yaml", "sources:\n  - repo: https://x/a.git\n    render: {helm: {valueFiles: [prod.yaml]}}\n")
        #expect(problem(file: helm) == "sources[0] in \(helm): render.helm.valueFiles: unknown field; did you mean valuesFiles?")
        let verify = try dir.write("verify.yaml", "sources:\n  - repo: https://x/a.git\n    verify: {sshAllowedSigner: /x}\n")
        #expect(problem(file: verify) == "sources[0].verify.sshAllowedSigner in \(verify): unknown field; did you mean sshAllowedSigners?")
        let badType = try dir.write("type.yaml", "repo: https://x/a.git\nworkers: [1, 2]\n")
        #expect(problem(file: badType) == "workers in \(badType): must be a single value, not a list")
        let badFileValue = try dir.write("value.yaml", "repo: https://x/a.git\nlogLevel: loud\n")
        #expect(problem(file: badFileValue).hasPrefix("logLevel in \(badFileValue): 'loud' is not one of"))
        let syntax = try dir.write("syntax.yaml", "repo: [unclosed\n")
        #expect(problem(file: syntax).contains("syntax.yaml:"), "YAML errors carry the file and line")
        #expect(problem(file: dir.file("missing.yaml")) == "--config: cannot read \(dir.file("missing.yaml"))")
        let twice = try dir.write("twice.yaml", "sources:\n  - repo: https://a/x.git\n  - repo: https://b/x.git\n")
        #expect(problem(file: twice) == "two sources are named x: names must be unique")
        let noRepo = try dir.write("norepo.yaml", "sources:\n  - path: apps\n")
        #expect(problem(file: noRepo) == "sources[0].repo in \(noRepo): required")
        #expect(problem(["repo": "https://a/x.git"], file: twice).contains("not both"))
        // A value of the wrong type is an error, not absent: `prune: "no"` read as missing pruned.
        let quoted = try dir.write("quoted.yaml", "sources:\n  - repo: https://x/a.git\n    prune: \"no\"\n")
        #expect(problem(file: quoted) == "sources[0].prune in \(quoted): must be true or false, not a string")
        let mode = try dir.write("mode.yaml", "sources:\n  - repo: https://x/a.git\n    render: {mode: helmm}\n")
        #expect(problem(file: mode) == "sources[0] in \(mode): render.mode: must be auto, plain, kustomize or helm, not 'helmm'")
        let namespaces = try dir.write("ns.yaml", "sources:\n  - repo: https://x/a.git\n    targetNamespaces: team-a\n")
        #expect(problem(file: namespaces) == "sources[0].targetNamespaces in \(namespaces): must be a list, not a string")
    }

    @Test func sourceNamesAreDerivedFromTheRepositoryAndPath() throws {
        #expect(try resolve(["repo": "git@github.com:acme/ML-Deploy.git", "path": "envs/prod"]).sources[0].name == "ml-deploy-envs-prod")
        #expect(try resolve(["repo": "/srv/git/models"]).sources[0].name == "models")
    }
}
