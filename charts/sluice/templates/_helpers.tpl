{{/* Labels every object carries. */}}
{{- define "sluice.labels" -}}
app.kubernetes.io/name: sluice
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: sluice
{{- end }}

{{/* The labels the Deployment selects its pods by (never change: selectors are immutable). */}}
{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: sluice
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Rules for what Sluice itself does: ModelDeployments and what they render. */}}
{{- define "sluice.controllerRules" -}}
- apiGroups: ["sluice.dev"]
  resources: ["modeldeployments"]
  verbs: ["get", "list", "watch", "update", "patch"]
- apiGroups: ["sluice.dev"]
  resources: ["modeldeployments/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["sluice.dev"]
  resources: ["modelpipelines"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["sluice.dev"]
  resources: ["modelpipelines/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["sluice.dev"]
  resources: ["gitsources"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["sluice.dev"]
  resources: ["gitsources/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["sluice.dev"]
  resources: ["notificationchannels"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["sluice.dev"]
  resources: ["notificationchannels/status"]
  verbs: ["get", "update", "patch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}

{{/* The kinds a git source may hold by default. Widen with a ClusterRole labelled
     sluice.dev/aggregate-to-sync: "true" (docs/install.md). */}}
{{- define "sluice.syncRules" -}}
# No delete: pruning a Namespace deletes everything in it. Grant it through aggregation if
# sources should be able to (docs/install.md).
- apiGroups: [""]
  resources: ["namespaces"]
  verbs: ["get", "list", "watch", "create", "update", "patch"]
- apiGroups: [""]
  resources: ["configmaps", "services", "serviceaccounts"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# Secrets by name only, never listed or watched: a source's Secrets are read back one by one at
# each poll, and a GitSource's or a pipeline's referenced Secret is read by its name.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "create", "update", "patch", "delete"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses", "networkpolicies"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["httproutes"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: ["sluice.dev"]
  resources: ["modeldeployments", "modelpipelines", "gitsources"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
{{- end }}

{{/* The file `sluice run --config` reads; keys are its flags in camelCase. */}}
{{- define "sluice.config" -}}
listen: 0.0.0.0:8080
inventoryNamespace: {{ .Release.Namespace }}
logLevel: {{ .Values.logLevel }}
logFormat: {{ .Values.logFormat }}
{{- if .Values.prometheusURL }}
prometheusUrl: {{ .Values.prometheusURL | quote }}
{{- end }}
{{- if .Values.watchNamespaces }}
watchNamespace: {{ join "," .Values.watchNamespaces | quote }}
{{- end }}
leaderElection: {{ .Values.leaderElection.enabled }}
leaseDuration: {{ .Values.leaderElection.leaseDuration }}
renewDeadline: {{ .Values.leaderElection.renewDeadline }}
retryPeriod: {{ .Values.leaderElection.retryPeriod }}
{{- if .Values.webhook.secretName }}
webhookSecretFile: /etc/sluice/webhook/secret
{{- end }}
{{- if .Values.commitSigning.secretName }}
commitSigningKey: /etc/sluice/signing/key
{{- end }}
renderDir: /var/lib/sluice/render
maxCommitFiles: {{ .Values.limits.commitFiles | int }}
maxCommitBytes: {{ .Values.limits.commitBytes | quote }}
maxManifestBytes: {{ .Values.limits.manifestBytes | quote }}
maxManifestNodes: {{ .Values.limits.manifestNodes | int }}
maxAliasNodes: {{ .Values.limits.aliasNodes | int }}
{{- with .Values.registries.allowedURLs }}
allowedRegistryUrl: {{ join "," . | quote }}
{{- end }}
{{- with .Values.notifications.allowedURLs }}
allowedNotificationUrl: {{ join "," . | quote }}
{{- end }}
sources:
  {{- toYaml .Values.sources | nindent 2 }}
{{- end }}
