import ControllerProcess
import Foundation
import Rendering
import Testing

extension RunConfigurationTests {
    @Test func sourcesSayHowTheyAreRendered() throws {
        let file = try dir.write(
            "render.yaml",
            """
            sources:
            - repo: https://git.example.com/ml/deploy.git
              path: overlays/prod
              render: kustomize
            - repo: https://git.example.com/ml/charts.git
              path: scorer
              render:
                mode: helm
                timeout: 30s
                allowedHosts: [charts.example.com]
                helm: {releaseName: scorer, namespace: ml, valuesFiles: [values-prod.yaml], set: [replicas=3], includeCRDs: false}
            """)
        let c = try resolve(file: file)
        #expect(c.sources[0].render.mode == .kustomize)
        let helm = c.sources[1].render
        #expect(helm.mode == .helm && helm.timeout == 30 && helm.allowedHosts == ["charts.example.com"])
        #expect(helm.helm.releaseName == "scorer" && helm.helm.namespace == "ml" && helm.helm.valuesFiles == ["values-prod.yaml"])
        #expect(helm.helm.set == ["replicas=3"] && !helm.helm.includeCRDs)
        #expect(try resolve(["repo": "https://x/r.git"]).sources[0].render.mode == .auto)
        #expect(try resolve(["repo": "https://x/r.git"], env: ["SLUICE_RENDER": "plain"]).sources[0].render.mode == .plain)
        #expect(problem(["repo": "https://x/r.git", "render": "jsonnet"]).contains("--render: 'jsonnet' is not one of auto, plain, kustomize, helm"))
    }
}
