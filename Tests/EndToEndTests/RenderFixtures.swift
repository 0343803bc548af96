/// Repositories as teams write them: a Kustomize base with two overlays, and a Helm chart with
/// per-environment values files.
enum RenderFixtures {
    static let base: [(String, String)] = [
        (
            "base/kustomization.yaml",
            """
            resources: [deployment.yaml, service.yaml]
            configMapGenerator:
            - name: scorer-config
              literals: [MODE=batch]
            """
        ),
        (
            "base/deployment.yaml",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: scorer}
            spec:
              replicas: 1
              selector: {matchLabels: {app: scorer}}
              template:
                metadata: {labels: {app: scorer}}
                spec:
                  containers:
                  - name: server
                    image: registry.example.com/scorer:1.0
                    envFrom: [{configMapRef: {name: scorer-config}}]
            """
        ),
        (
            "base/service.yaml",
            """
            apiVersion: v1
            kind: Service
            metadata: {name: scorer}
            spec:
              selector: {app: scorer}
              ports: [{port: 80, targetPort: 8080}]
            """
        ),
    ]

    static func overlay(_ env: String, replicas: Int, tag: String, mode: String) -> [(String, String)] {
        [
            ("overlays/\(env)/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: \(env)}\n"),
            (
                "overlays/\(env)/kustomization.yaml",
                """
                namespace: \(env)
                resources: [../../base, namespace.yaml]
                images:
                - {name: registry.example.com/scorer, newTag: "\(tag)"}
                replicas:
                - {name: scorer, count: \(replicas)}
                configMapGenerator:
                - name: scorer-config
                  behavior: merge
                  literals: [MODE=\(mode)]
                patches:
                - target: {kind: Service, name: scorer}
                  patch: |-
                    - op: add
                      path: /metadata/labels
                      value: {tier: \(env)}
                """
            ),
        ]
    }

    static let chart: [(String, String)] = [
        ("chart/Chart.yaml", "apiVersion: v2\nname: scorer\nversion: 0.1.0\n"),
        ("chart/values.yaml", "replicas: 1\nimage: registry.example.com/scorer:1.0\nmode: batch\n"),
        ("chart/values-staging.yaml", "replicas: 2\n"),
        ("chart/values-prod.yaml", "replicas: 4\nmode: online\n"),
        (
            "chart/templates/deployment.yaml",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ .Release.Name }}
              namespace: {{ .Release.Namespace }}
            spec:
              replicas: {{ .Values.replicas }}
              selector: {matchLabels: {app: {{ .Release.Name }}}}
              template:
                metadata: {labels: {app: {{ .Release.Name }}}}
                spec:
                  containers:
                  - name: server
                    image: {{ .Values.image }}
            """
        ),
        (
            "chart/templates/config.yaml",
            """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-config
              namespace: {{ .Release.Namespace }}
            data:
              MODE: {{ .Values.mode | quote }}
            """
        ),
    ]
}
