/// The ordinary objects of a stack: RBAC, workloads, services, policies, webhooks.
enum Workloads {
    static func clusterWide() -> String {
        [
            """
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: corpus-critical}
            value: 1000000
            globalDefault: false
            description: Stacks of the emulator corpus.

            """,
            """
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata: {name: corpus-ssd}
            provisioner: corpus.example/ssd
            reclaimPolicy: Retain
            volumeBindingMode: WaitForFirstConsumer
            allowVolumeExpansion: true
            parameters: {type: ssd}

            """,
            """
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata: {name: corpus}
            spec: {controller: corpus.example/ingress}

            """,
        ].joined(separator: "---\n")
    }

    static func rbac(_ stack: Corpus.Stack) -> [String] {
        accounts(stack) + roles(stack)
    }

    static func accounts(_ stack: Corpus.Stack) -> [String] {
        let ns = "corpus-\(stack.name)"
        var out = ["apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \(ns)\n  labels: {app.kubernetes.io/part-of: \(stack.name)}\n"]
        for sa in ["operator", "agent"] {
            out.append("apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: \(stack.name)-\(sa), namespace: \(ns)}\nautomountServiceAccountToken: true\n")
            out.append(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: \(stack.name)-\(sa)
                  labels: {app.kubernetes.io/part-of: \(stack.name)}
                rules:
                - apiGroups: [""]
                  resources: [pods, services, endpoints, configmaps]
                  verbs: [get, list, watch]
                - apiGroups: [\(stack.group)]
                  resources: ["*"]
                  verbs: ["*"]
                - nonResourceURLs: [/metrics]
                  verbs: [get]

                """)
            out.append(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata: {name: \(stack.name)-\(sa)}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: \(stack.name)-\(sa)}
                subjects:
                - {kind: ServiceAccount, name: \(stack.name)-\(sa), namespace: \(ns)}

                """)
        }
        return out
    }

    static func roles(_ stack: Corpus.Stack) -> [String] {
        let ns = "corpus-\(stack.name)"
        var out: [String] = []
        out.append(
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: \(stack.name)-view
              labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
            rules:
            - apiGroups: [\(stack.group)]
              resources: ["*"]
              verbs: [get, list, watch]

            """)
        out.append(
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: \(stack.name)-leader-election, namespace: \(ns)}
            rules:
            - apiGroups: [coordination.k8s.io]
              resources: [leases]
              verbs: [get, create, update]
            - apiGroups: [""]
              resources: [events]
              verbs: [create, patch]

            """)
        out.append(
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: \(stack.name)-leader-election, namespace: \(ns)}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: \(stack.name)-leader-election}
            subjects:
            - {kind: ServiceAccount, name: \(stack.name)-operator, namespace: \(ns)}

            """)
        return out
    }

    static func podSpec(_ stack: Corpus.Stack, _ name: String, hostNetwork: Bool = false) -> String {
        """
            spec:
              serviceAccountName: \(stack.name)-operator
              priorityClassName: corpus-critical
              hostNetwork: \(hostNetwork)
              securityContext: {runAsNonRoot: true, runAsUser: 65534, fsGroup: 65534, seccompProfile: {type: RuntimeDefault}}
              tolerations:
              - {key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}
              - {key: dedicated, operator: Equal, value: \(stack.name), effect: NoExecute, tolerationSeconds: 300}
              containers:
              - name: \(name)
                image: registry.corpus.example/\(stack.name)/\(name):v1.4.2
                args: [--log-level=info, --metrics-addr=:8080]
                ports:
                - {name: metrics, containerPort: 8080}
                - {name: https, containerPort: 8443, protocol: TCP}
                env:
                - {name: NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
                - {name: MODE, value: production}
                - {name: LIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
                resources:
                  requests: {cpu: 100m, memory: 128Mi}
                  limits: {cpu: "1", memory: 512Mi}
                readinessProbe: {httpGet: {path: /readyz, port: metrics}, periodSeconds: 10}
                livenessProbe: {httpGet: {path: /healthz, port: 8080}, initialDelaySeconds: 15}
                volumeMounts:
                - {name: config, mountPath: /etc/\(stack.name)}
                - {name: data, mountPath: /var/lib/\(stack.name)}
                securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
              volumes:
              - name: config
                configMap: {name: \(stack.name)-config}
              - name: data
                \(hostNetwork ? "hostPath: {path: /var/lib/\(stack.name), type: DirectoryOrCreate}" : "emptyDir: {sizeLimit: 1Gi}")

        """
    }

    static func workloads(_ stack: Corpus.Stack) -> [String] {
        controllers(stack) + services(stack) + namespaceObjects(stack)
    }

    /// ConfigMaps, a Secret and the workloads: Deployments, a DaemonSet, a StatefulSet.
    static func controllers(_ stack: Corpus.Stack) -> [String] {
        configuration(stack) + podControllers(stack)
    }

    static func configuration(_ stack: Corpus.Stack) -> [String] {
        let ns = "corpus-\(stack.name)"
        let labels = "{app.kubernetes.io/name: \(stack.name), app.kubernetes.io/part-of: \(stack.name)}"
        var out: [String] = []
        for (i, cm) in ["config", "rules", "dashboards"].enumerated() {
            out.append(
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(stack.name)-\(cm), namespace: \(ns)}\ndata:\n  level: \"\(i)\"\n  settings.yaml: |\n    scrape: 30s\n    retention: 15d\n"
            )
        }
        out.append(
            "apiVersion: v1\nkind: Secret\nmetadata: {name: \(stack.name)-tls, namespace: \(ns)}\ntype: kubernetes.io/tls\ndata: {tls.crt: Y2VydA==, tls.key: a2V5}\n"
        )
        for name in ["operator", "webhook"] {
            out.append(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: \(stack.name)-\(name), namespace: \(ns), labels: \(labels)}
                spec:
                  replicas: 2
                  revisionHistoryLimit: 5
                  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 25%}}
                  selector: {matchLabels: {app: \(stack.name)-\(name)}}
                  template:
                    metadata: {labels: {app: \(stack.name)-\(name)}, annotations: {corpus.example/restart: "1"}}
                \(podSpec(stack, name))
                """)
        }
        return out
    }

    static func podControllers(_ stack: Corpus.Stack) -> [String] {
        let ns = "corpus-\(stack.name)"
        let labels = "{app.kubernetes.io/name: \(stack.name), app.kubernetes.io/part-of: \(stack.name)}"
        var out: [String] = []
        out.append(
            """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: \(stack.name)-node-agent, namespace: \(ns), labels: \(labels)}
            spec:
              selector: {matchLabels: {app: \(stack.name)-node-agent}}
              updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 10%}}
              template:
                metadata: {labels: {app: \(stack.name)-node-agent}}
            \(podSpec(stack, "node-agent", hostNetwork: true))
            """)
        out.append(
            """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: \(stack.name)-store, namespace: \(ns), labels: \(labels)}
            spec:
              serviceName: \(stack.name)-store
              replicas: 3
              podManagementPolicy: Parallel
              selector: {matchLabels: {app: \(stack.name)-store}}
              template:
                metadata: {labels: {app: \(stack.name)-store}}
            \(podSpec(stack, "store"))
              volumeClaimTemplates:
              - metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  storageClassName: corpus-ssd
                  resources: {requests: {storage: 10Gi}}

            """)
        return out
    }

    /// What stands in front of the workloads: Services, a disruption budget, an autoscaler.
    static func services(_ stack: Corpus.Stack) -> [String] {
        let ns = "corpus-\(stack.name)"
        let labels = "{app.kubernetes.io/name: \(stack.name), app.kubernetes.io/part-of: \(stack.name)}"
        var out: [String] = []
        out.append(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: \(stack.name)-operator, namespace: \(ns), labels: \(labels)}
            spec:
              selector: {app: \(stack.name)-operator}
              ports:
              - {name: metrics, port: 8080, targetPort: metrics}
              - {name: https, port: 443, targetPort: 8443}

            """)
        out.append(
            """
            apiVersion: v1
            kind: Service
            metadata: {name: \(stack.name)-store, namespace: \(ns)}
            spec:
              clusterIP: None
              selector: {app: \(stack.name)-store}
              ports: [{name: data, port: 9000, protocol: TCP}]

            """)
        out.append(
            """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: \(stack.name)-operator, namespace: \(ns)}
            spec:
              minAvailable: 1
              selector: {matchLabels: {app: \(stack.name)-operator}}

            """)
        out.append(
            """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: \(stack.name)-webhook, namespace: \(ns)}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: \(stack.name)-webhook}
              minReplicas: 2
              maxReplicas: 10
              metrics:
              - type: Resource
                resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}

            """)
        return out
    }

    /// A CronJob, a claim, and the namespace's quota and limits.
    static func namespaceObjects(_ stack: Corpus.Stack) -> [String] {
        let ns = "corpus-\(stack.name)"
        var out: [String] = []
        out.append(
            """
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: \(stack.name)-compact, namespace: \(ns)}
            spec:
              schedule: "17 3 * * *"
              concurrencyPolicy: Forbid
              jobTemplate:
                spec:
                  backoffLimit: 2
                  template:
                    spec:
                      restartPolicy: OnFailure
                      containers: [{name: compact, image: "registry.corpus.example/\(stack.name)/compact:v1.4.2"}]

            """)
        out.append(
            """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: \(stack.name)-cache, namespace: \(ns)}
            spec:
              accessModes: [ReadWriteOnce]
              storageClassName: corpus-ssd
              resources: {requests: {storage: 5Gi}}

            """)
        out.append(
            """
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: \(stack.name), namespace: \(ns)}
            spec:
              hard: {requests.cpu: "20", requests.memory: 64Gi, pods: "100"}

            """)
        out.append(
            """
            apiVersion: v1
            kind: LimitRange
            metadata: {name: \(stack.name), namespace: \(ns)}
            spec:
              limits:
              - type: Container
                default: {cpu: 500m, memory: 256Mi}
                defaultRequest: {cpu: 50m, memory: 64Mi}

            """)
        return out
    }

    static func network(_ stack: Corpus.Stack) -> [String] {
        traffic(stack) + extensions(stack)
    }

    static func traffic(_ stack: Corpus.Stack) -> [String] {
        let ns = "corpus-\(stack.name)"
        return [
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: \(stack.name)-default-deny, namespace: \(ns)}
            spec:
              podSelector: {}
              policyTypes: [Ingress, Egress]

            """,
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: \(stack.name)-operator, namespace: \(ns)}
            spec:
              podSelector: {matchLabels: {app: \(stack.name)-operator}}
              ingress:
              - from:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
                - podSelector: {matchLabels: {app: \(stack.name)-webhook}}
                ports: [{port: 8443}, {port: metrics, protocol: TCP}]
              egress:
              - to: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.96.0.0/12]}}]
                ports: [{port: 443, protocol: TCP}, {port: 30000, endPort: 32767}]

            """,
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: \(stack.name), namespace: \(ns)}
            spec:
              ingressClassName: corpus
              tls: [{hosts: [\(stack.name).corpus.example], secretName: \(stack.name)-tls}]
              rules:
              - host: \(stack.name).corpus.example
                http:
                  paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: \(stack.name)-operator, port: {name: metrics}}}}

            """,
        ]
    }

    static func extensions(_ stack: Corpus.Stack) -> [String] {
        let ns = "corpus-\(stack.name)"
        return [
            """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata: {name: \(stack.name)-validate}
            webhooks:
            - name: validate.\(stack.group)
              admissionReviewVersions: [v1]
              sideEffects: None
              failurePolicy: Ignore
              timeoutSeconds: 5
              clientConfig:
                service: {name: \(stack.name)-webhook, namespace: \(ns), path: /validate, port: 443}
              rules:
              - {apiGroups: [\(stack.group)], apiVersions: [v1], operations: [CREATE, UPDATE], resources: ["*"]}

            """,
            """
            apiVersion: admissionregistration.k8s.io/v1
            kind: MutatingWebhookConfiguration
            metadata: {name: \(stack.name)-mutate}
            webhooks:
            - name: mutate.\(stack.group)
              admissionReviewVersions: [v1]
              sideEffects: None
              failurePolicy: Ignore
              reinvocationPolicy: Never
              clientConfig:
                service: {name: \(stack.name)-webhook, namespace: \(ns), path: /mutate}
              objectSelector: {matchExpressions: [{key: corpus.example/skip, operator: DoesNotExist}]}
              rules:
              - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods], scope: Namespaced}

            """,
            """
            apiVersion: apiregistration.k8s.io/v1
            kind: APIService
            metadata: {name: v1beta1.metrics.\(stack.group)}
            spec:
              group: metrics.\(stack.group)
              version: v1beta1
              groupPriorityMinimum: 100
              versionPriority: 100
              insecureSkipTLSVerify: true
              service: {name: \(stack.name)-operator, namespace: \(ns), port: 443}

            """,
        ]
    }
}
