/// The shape of every built-in type the emulator knows field by field, as data: a line per
/// message (`name:`), then a line per field, `number jsonName type flags [list]`. It drives the
/// protobuf decoder (`ProtobufDecoder`), the OpenAPI v3 schemas (`OpenAPI`, for `kubectl
/// explain`) and server-side apply's list merging (`ListSchema`), so the three agree.
///
/// Field numbers, JSON names and list types are facts of the Kubernetes API: the `protobuf` and
/// `json` tags and the `+listType`/`+listMapKey` markers (or, where a type has none, its
/// `patchStrategy`/`patchMergeKey`) of the k8s.io/api and k8s.io/apimachinery Go types. Numbers
/// never change between releases; fields newer than these are simply not listed.
///
/// Types: `str`, `int`, `bool`, `f64`, `bytes`, `m:Message`, `map:K:V`, and the special
/// encodings `time`, `microtime`, `duration`, `intstr`, `quantity`, `fieldsv1`, `raw`, `strlist`
/// (a message of repeated strings that JSON writes as a list). Flags: `p` pointer (present means
/// set, even to zero), `o` omitempty (a zero value is left out of the JSON), `r` repeated, `i`
/// inline (its fields are the parent's in JSON), `-` none. List: `map=key,key`, `set`, `atomic`.
enum BuiltinTypes {
    static let table = """
        admissionregistration.AuditAnnotation:
          1 key str -
          2 valueExpression str -
        admissionregistration.ExpressionWarning:
          2 fieldRef str -
          3 warning str -
        admissionregistration.MatchCondition:
          1 name str -
          2 expression str -
        admissionregistration.MatchResources:
          1 namespaceSelector m:meta.LabelSelector po
          2 objectSelector m:meta.LabelSelector po
          3 resourceRules m:admissionregistration.NamedRuleWithOperations or atomic
          4 excludeResourceRules m:admissionregistration.NamedRuleWithOperations or atomic
          7 matchPolicy str po
        admissionregistration.MutatingWebhook:
          1 name str -
          2 clientConfig m:admissionregistration.WebhookClientConfig -
          3 rules m:admissionregistration.RuleWithOperations or atomic
          4 failurePolicy str po
          9 matchPolicy str po
          5 namespaceSelector m:meta.LabelSelector po
          11 objectSelector m:meta.LabelSelector po
          6 sideEffects str p
          7 timeoutSeconds int po
          8 admissionReviewVersions str r atomic
          10 reinvocationPolicy str po
          12 matchConditions m:admissionregistration.MatchCondition or map=name
        admissionregistration.MutatingWebhookConfiguration:
          1 metadata m:meta.ObjectMeta o
          2 webhooks m:admissionregistration.MutatingWebhook or map=name
        admissionregistration.NamedRuleWithOperations:
          1 resourceNames str or atomic
          2 - m:admissionregistration.RuleWithOperations i
        admissionregistration.ParamKind:
          1 apiVersion str o
          2 kind str o
        admissionregistration.ParamRef:
          1 name str o
          2 namespace str o
          3 selector m:meta.LabelSelector po
          4 parameterNotFoundAction str po
        admissionregistration.Rule:
          1 apiGroups str or atomic
          2 apiVersions str or atomic
          3 resources str or atomic
          4 scope str po
        admissionregistration.RuleWithOperations:
          1 operations str or atomic
          2 - m:admissionregistration.Rule i
        admissionregistration.ServiceReference:
          1 namespace str -
          2 name str -
          3 path str po
          4 port int po
        admissionregistration.TypeChecking:
          1 expressionWarnings m:admissionregistration.ExpressionWarning or atomic
        admissionregistration.ValidatingAdmissionPolicy:
          1 metadata m:meta.ObjectMeta o
          2 spec m:admissionregistration.ValidatingAdmissionPolicySpec o
          3 status m:admissionregistration.ValidatingAdmissionPolicyStatus o
        admissionregistration.ValidatingAdmissionPolicyBinding:
          1 metadata m:meta.ObjectMeta o
          2 spec m:admissionregistration.ValidatingAdmissionPolicyBindingSpec o
        admissionregistration.ValidatingAdmissionPolicyBindingSpec:
          1 policyName str o
          2 paramRef m:admissionregistration.ParamRef po
          3 matchResources m:admissionregistration.MatchResources po
          4 validationActions str or set
        admissionregistration.ValidatingAdmissionPolicySpec:
          1 paramKind m:admissionregistration.ParamKind po
          2 matchConstraints m:admissionregistration.MatchResources po
          3 validations m:admissionregistration.Validation or atomic
          4 failurePolicy str po
          5 auditAnnotations m:admissionregistration.AuditAnnotation or atomic
          6 matchConditions m:admissionregistration.MatchCondition or map=name
          7 variables m:admissionregistration.Variable or map=name
        admissionregistration.ValidatingAdmissionPolicyStatus:
          1 observedGeneration int o
          2 typeChecking m:admissionregistration.TypeChecking po
          3 conditions m:meta.Condition or map=type
        admissionregistration.ValidatingWebhook:
          1 name str -
          2 clientConfig m:admissionregistration.WebhookClientConfig -
          3 rules m:admissionregistration.RuleWithOperations or atomic
          4 failurePolicy str po
          9 matchPolicy str po
          5 namespaceSelector m:meta.LabelSelector po
          10 objectSelector m:meta.LabelSelector po
          6 sideEffects str p
          7 timeoutSeconds int po
          8 admissionReviewVersions str r atomic
          11 matchConditions m:admissionregistration.MatchCondition or map=name
        admissionregistration.ValidatingWebhookConfiguration:
          1 metadata m:meta.ObjectMeta o
          2 webhooks m:admissionregistration.ValidatingWebhook or map=name
        admissionregistration.Validation:
          1 expression str -
          2 message str o
          3 reason str po
          4 messageExpression str o
        admissionregistration.Variable:
          1 name str -
          2 expression str -
        admissionregistration.WebhookClientConfig:
          3 url str po
          1 service m:admissionregistration.ServiceReference po
          2 caBundle bytes o
        apps.ControllerRevision:
          1 metadata m:meta.ObjectMeta o
          2 data raw -
          3 revision int -
        apps.DaemonSet:
          1 metadata m:meta.ObjectMeta o
          2 spec m:apps.DaemonSetSpec o
          3 status m:apps.DaemonSetStatus o
        apps.DaemonSetCondition:
          1 type str -
          2 status str -
          3 lastTransitionTime time o
          4 reason str o
          5 message str o
        apps.DaemonSetSpec:
          1 selector m:meta.LabelSelector p
          2 template m:core.PodTemplateSpec -
          3 updateStrategy m:apps.DaemonSetUpdateStrategy o
          4 minReadySeconds int o
          6 revisionHistoryLimit int po
        apps.DaemonSetStatus:
          1 currentNumberScheduled int -
          2 numberMisscheduled int -
          3 desiredNumberScheduled int -
          4 numberReady int -
          5 observedGeneration int o
          6 updatedNumberScheduled int o
          7 numberAvailable int o
          8 numberUnavailable int o
          9 collisionCount int po
          10 conditions m:apps.DaemonSetCondition or map=type
        apps.DaemonSetUpdateStrategy:
          1 type str o
          2 rollingUpdate m:apps.RollingUpdateDaemonSet po
        apps.Deployment:
          1 metadata m:meta.ObjectMeta o
          2 spec m:apps.DeploymentSpec o
          3 status m:apps.DeploymentStatus o
        apps.DeploymentCondition:
          1 type str -
          2 status str -
          6 lastUpdateTime time o
          7 lastTransitionTime time o
          4 reason str o
          5 message str o
        apps.DeploymentSpec:
          1 replicas int po
          2 selector m:meta.LabelSelector p
          3 template m:core.PodTemplateSpec -
          4 strategy m:apps.DeploymentStrategy o
          5 minReadySeconds int o
          6 revisionHistoryLimit int po
          7 paused bool o
          9 progressDeadlineSeconds int po
        apps.DeploymentStatus:
          1 observedGeneration int o
          2 replicas int o
          3 updatedReplicas int o
          7 readyReplicas int o
          4 availableReplicas int o
          5 unavailableReplicas int o
          9 terminatingReplicas int po
          6 conditions m:apps.DeploymentCondition or map=type
          8 collisionCount int po
        apps.DeploymentStrategy:
          1 type str o
          2 rollingUpdate m:apps.RollingUpdateDeployment po
        apps.ReplicaSet:
          1 metadata m:meta.ObjectMeta o
          2 spec m:apps.ReplicaSetSpec o
          3 status m:apps.ReplicaSetStatus o
        apps.ReplicaSetCondition:
          1 type str -
          2 status str -
          3 lastTransitionTime time o
          4 reason str o
          5 message str o
        apps.ReplicaSetSpec:
          1 replicas int po
          4 minReadySeconds int o
          2 selector m:meta.LabelSelector p
          3 template m:core.PodTemplateSpec o
        apps.ReplicaSetStatus:
          1 replicas int -
          2 fullyLabeledReplicas int o
          4 readyReplicas int o
          5 availableReplicas int o
          7 terminatingReplicas int po
          3 observedGeneration int o
          6 conditions m:apps.ReplicaSetCondition or map=type
        apps.RollingUpdateDaemonSet:
          1 maxUnavailable intstr po
          2 maxSurge intstr po
        apps.RollingUpdateDeployment:
          1 maxUnavailable intstr po
          2 maxSurge intstr po
        apps.RollingUpdateStatefulSetStrategy:
          1 partition int po
          2 maxUnavailable intstr po
        apps.StatefulSet:
          1 metadata m:meta.ObjectMeta o
          2 spec m:apps.StatefulSetSpec o
          3 status m:apps.StatefulSetStatus o
        apps.StatefulSetCondition:
          1 type str -
          2 status str -
          3 lastTransitionTime time o
          4 reason str o
          5 message str o
        apps.StatefulSetOrdinals:
          1 start int -
        apps.StatefulSetPersistentVolumeClaimRetentionPolicy:
          1 whenDeleted str o
          2 whenScaled str o
        apps.StatefulSetSpec:
          1 replicas int po
          2 selector m:meta.LabelSelector p
          3 template m:core.PodTemplateSpec -
          4 volumeClaimTemplates m:core.PersistentVolumeClaim or atomic
          5 serviceName str -
          6 podManagementPolicy str o
          7 updateStrategy m:apps.StatefulSetUpdateStrategy o
          8 revisionHistoryLimit int po
          9 minReadySeconds int o
          10 persistentVolumeClaimRetentionPolicy m:apps.StatefulSetPersistentVolumeClaimRetentionPolicy po
          11 ordinals m:apps.StatefulSetOrdinals po
        apps.StatefulSetStatus:
          1 observedGeneration int o
          2 replicas int -
          3 readyReplicas int o
          4 currentReplicas int o
          5 updatedReplicas int o
          6 currentRevision str o
          7 updateRevision str o
          9 collisionCount int po
          10 conditions m:apps.StatefulSetCondition or map=type
          11 availableReplicas int -
        apps.StatefulSetUpdateStrategy:
          1 type str o
          2 rollingUpdate m:apps.RollingUpdateStatefulSetStrategy po
        authentication.BoundObjectReference:
          1 kind str o
          2 apiVersion str o
          3 name str o
          4 uid str o
        authentication.SelfSubjectReview:
          1 metadata m:meta.ObjectMeta o
          2 status m:authentication.SelfSubjectReviewStatus o
        authentication.SelfSubjectReviewStatus:
          1 userInfo m:authentication.UserInfo o
        authentication.TokenRequest:
          1 metadata m:meta.ObjectMeta o
          2 spec m:authentication.TokenRequestSpec -
          3 status m:authentication.TokenRequestStatus o
        authentication.TokenRequestSpec:
          1 audiences str r atomic
          4 expirationSeconds int p
          3 boundObjectRef m:authentication.BoundObjectReference p
          5 attestations map:str:strlist o
        authentication.TokenRequestStatus:
          1 token str -
          2 expirationTimestamp time -
        authentication.TokenReview:
          1 metadata m:meta.ObjectMeta o
          2 spec m:authentication.TokenReviewSpec -
          3 status m:authentication.TokenReviewStatus o
        authentication.TokenReviewSpec:
          1 token str o
          2 audiences str or atomic
        authentication.TokenReviewStatus:
          1 authenticated bool o
          2 user m:authentication.UserInfo o
          4 audiences str or atomic
          3 error str o
        authentication.UserInfo:
          1 username str o
          2 uid str o
          3 groups str or atomic
          4 extra map:str:strlist o
        authorization.FieldSelectorAttributes:
          1 rawSelector str o
          2 requirements m:meta.FieldSelectorRequirement or atomic
        authorization.LabelSelectorAttributes:
          1 rawSelector str o
          2 requirements m:meta.LabelSelectorRequirement or atomic
        authorization.LocalSubjectAccessReview:
          1 metadata m:meta.ObjectMeta o
          2 spec m:authorization.SubjectAccessReviewSpec -
          3 status m:authorization.SubjectAccessReviewStatus o
        authorization.NonResourceAttributes:
          1 path str o
          2 verb str o
        authorization.NonResourceRule:
          1 verbs str r atomic
          2 nonResourceURLs str or atomic
        authorization.ResourceAttributes:
          1 namespace str o
          2 verb str o
          3 group str o
          4 version str o
          5 resource str o
          6 subresource str o
          7 name str o
          8 fieldSelector m:authorization.FieldSelectorAttributes po
          9 labelSelector m:authorization.LabelSelectorAttributes po
        authorization.ResourceRule:
          1 verbs str r atomic
          2 apiGroups str or atomic
          3 resources str or atomic
          4 resourceNames str or atomic
        authorization.SelfSubjectAccessReview:
          1 metadata m:meta.ObjectMeta o
          2 spec m:authorization.SelfSubjectAccessReviewSpec -
          3 status m:authorization.SubjectAccessReviewStatus o
        authorization.SelfSubjectAccessReviewSpec:
          1 resourceAttributes m:authorization.ResourceAttributes po
          2 nonResourceAttributes m:authorization.NonResourceAttributes po
        authorization.SelfSubjectRulesReview:
          1 metadata m:meta.ObjectMeta o
          2 spec m:authorization.SelfSubjectRulesReviewSpec -
          3 status m:authorization.SubjectRulesReviewStatus o
        authorization.SelfSubjectRulesReviewSpec:
          1 namespace str o
        authorization.SubjectAccessReview:
          1 metadata m:meta.ObjectMeta o
          2 spec m:authorization.SubjectAccessReviewSpec -
          3 status m:authorization.SubjectAccessReviewStatus o
        authorization.SubjectAccessReviewSpec:
          1 resourceAttributes m:authorization.ResourceAttributes po
          2 nonResourceAttributes m:authorization.NonResourceAttributes po
          3 user str o
          4 groups str or atomic
          5 extra map:str:strlist o
          6 uid str o
        authorization.SubjectAccessReviewStatus:
          1 allowed bool -
          4 denied bool o
          2 reason str o
          3 evaluationError str o
        authorization.SubjectRulesReviewStatus:
          1 resourceRules m:authorization.ResourceRule r atomic
          2 nonResourceRules m:authorization.NonResourceRule r atomic
          3 incomplete bool -
          4 evaluationError str o
        autoscalingv1.CrossVersionObjectReference:
          1 kind str -
          2 name str -
          3 apiVersion str o
        autoscalingv1.HorizontalPodAutoscaler:
          1 metadata m:meta.ObjectMeta o
          2 spec m:autoscalingv1.HorizontalPodAutoscalerSpec o
          3 status m:autoscalingv1.HorizontalPodAutoscalerStatus o
        autoscalingv1.HorizontalPodAutoscalerSpec:
          1 scaleTargetRef m:autoscalingv1.CrossVersionObjectReference -
          2 minReplicas int po
          3 maxReplicas int -
          4 targetCPUUtilizationPercentage int po
        autoscalingv1.HorizontalPodAutoscalerStatus:
          1 observedGeneration int po
          2 lastScaleTime time po
          3 currentReplicas int -
          4 desiredReplicas int -
          5 currentCPUUtilizationPercentage int po
        autoscalingv1.Scale:
          1 metadata m:meta.ObjectMeta o
          2 spec m:autoscalingv1.ScaleSpec o
          3 status m:autoscalingv1.ScaleStatus o
        autoscalingv1.ScaleSpec:
          1 replicas int o
        autoscalingv1.ScaleStatus:
          1 replicas int -
          2 selector str o
        autoscalingv2.ContainerResourceMetricSource:
          1 name str -
          2 target m:autoscalingv2.MetricTarget -
          3 container str -
        autoscalingv2.ContainerResourceMetricStatus:
          1 name str -
          2 current m:autoscalingv2.MetricValueStatus -
          3 container str -
        autoscalingv2.CrossVersionObjectReference:
          1 kind str -
          2 name str -
          3 apiVersion str o
        autoscalingv2.ExternalMetricSource:
          1 metric m:autoscalingv2.MetricIdentifier -
          2 target m:autoscalingv2.MetricTarget -
        autoscalingv2.ExternalMetricStatus:
          1 metric m:autoscalingv2.MetricIdentifier -
          2 current m:autoscalingv2.MetricValueStatus -
        autoscalingv2.HPAScalingPolicy:
          1 type str -
          2 value int -
          3 periodSeconds int -
        autoscalingv2.HPAScalingRules:
          3 stabilizationWindowSeconds int po
          1 selectPolicy str po
          2 policies m:autoscalingv2.HPAScalingPolicy or atomic
          4 tolerance quantity po
        autoscalingv2.HorizontalPodAutoscaler:
          1 metadata m:meta.ObjectMeta o
          2 spec m:autoscalingv2.HorizontalPodAutoscalerSpec o
          3 status m:autoscalingv2.HorizontalPodAutoscalerStatus o
        autoscalingv2.HorizontalPodAutoscalerBehavior:
          1 scaleUp m:autoscalingv2.HPAScalingRules po
          2 scaleDown m:autoscalingv2.HPAScalingRules po
        autoscalingv2.HorizontalPodAutoscalerCondition:
          1 type str -
          2 status str -
          3 lastTransitionTime time o
          4 reason str o
          5 message str o
          6 observedGeneration int po
        autoscalingv2.HorizontalPodAutoscalerSpec:
          1 scaleTargetRef m:autoscalingv2.CrossVersionObjectReference -
          2 minReplicas int po
          3 maxReplicas int -
          4 metrics m:autoscalingv2.MetricSpec or atomic
          5 behavior m:autoscalingv2.HorizontalPodAutoscalerBehavior po
        autoscalingv2.HorizontalPodAutoscalerStatus:
          1 observedGeneration int po
          2 lastScaleTime time po
          3 currentReplicas int o
          4 desiredReplicas int -
          5 currentMetrics m:autoscalingv2.MetricStatus r atomic
          6 conditions m:autoscalingv2.HorizontalPodAutoscalerCondition or map=type
        autoscalingv2.MetricIdentifier:
          1 name str -
          2 selector m:meta.LabelSelector po
        autoscalingv2.MetricSpec:
          1 type str -
          2 object m:autoscalingv2.ObjectMetricSource po
          3 pods m:autoscalingv2.PodsMetricSource po
          4 resource m:autoscalingv2.ResourceMetricSource po
          7 containerResource m:autoscalingv2.ContainerResourceMetricSource po
          5 external m:autoscalingv2.ExternalMetricSource po
        autoscalingv2.MetricStatus:
          1 type str -
          2 object m:autoscalingv2.ObjectMetricStatus po
          3 pods m:autoscalingv2.PodsMetricStatus po
          4 resource m:autoscalingv2.ResourceMetricStatus po
          7 containerResource m:autoscalingv2.ContainerResourceMetricStatus po
          5 external m:autoscalingv2.ExternalMetricStatus po
        autoscalingv2.MetricTarget:
          1 type str -
          2 value quantity po
          3 averageValue quantity po
          4 averageUtilization int po
        autoscalingv2.MetricValueStatus:
          1 value quantity po
          2 averageValue quantity po
          3 averageUtilization int po
        autoscalingv2.ObjectMetricSource:
          1 describedObject m:autoscalingv2.CrossVersionObjectReference -
          2 target m:autoscalingv2.MetricTarget -
          3 metric m:autoscalingv2.MetricIdentifier -
        autoscalingv2.ObjectMetricStatus:
          1 metric m:autoscalingv2.MetricIdentifier -
          2 current m:autoscalingv2.MetricValueStatus -
          3 describedObject m:autoscalingv2.CrossVersionObjectReference -
        autoscalingv2.PodsMetricSource:
          1 metric m:autoscalingv2.MetricIdentifier -
          2 target m:autoscalingv2.MetricTarget -
        autoscalingv2.PodsMetricStatus:
          1 metric m:autoscalingv2.MetricIdentifier -
          2 current m:autoscalingv2.MetricValueStatus -
        autoscalingv2.ResourceMetricSource:
          1 name str -
          2 target m:autoscalingv2.MetricTarget -
        autoscalingv2.ResourceMetricStatus:
          1 name str -
          2 current m:autoscalingv2.MetricValueStatus -
        batch.CronJob:
          1 metadata m:meta.ObjectMeta o
          2 spec m:batch.CronJobSpec o
          3 status m:batch.CronJobStatus o
        batch.CronJobSpec:
          1 schedule str -
          8 timeZone str po
          2 startingDeadlineSeconds int po
          3 concurrencyPolicy str o
          4 suspend bool po
          5 jobTemplate m:batch.JobTemplateSpec -
          6 successfulJobsHistoryLimit int po
          7 failedJobsHistoryLimit int po
        batch.CronJobStatus:
          1 active m:core.ObjectReference or atomic
          4 lastScheduleTime time po
          5 lastSuccessfulTime time po
        batch.Job:
          1 metadata m:meta.ObjectMeta o
          2 spec m:batch.JobSpec o
          3 status m:batch.JobStatus o
        batch.JobCondition:
          1 type str -
          2 status str -
          3 lastProbeTime time o
          4 lastTransitionTime time o
          5 reason str o
          6 message str o
        batch.JobSchedulingConfiguration:
        batch.JobSpec:
          1 parallelism int po
          2 completions int po
          3 activeDeadlineSeconds int po
          11 podFailurePolicy m:batch.PodFailurePolicy po
          16 successPolicy m:batch.SuccessPolicy po
          7 backoffLimit int po
          12 backoffLimitPerIndex int po
          13 maxFailedIndexes int po
          4 selector m:meta.LabelSelector po
          5 manualSelector bool po
          6 template m:core.PodTemplateSpec -
          8 ttlSecondsAfterFinished int po
          9 completionMode str po
          10 suspend bool po
          14 podReplacementPolicy str po
          15 managedBy str po
          17 scheduling m:batch.JobSchedulingConfiguration po
        batch.JobStatus:
          1 conditions m:batch.JobCondition or atomic
          2 startTime time po
          3 completionTime time po
          4 active int o
          5 succeeded int o
          6 failed int o
          11 terminating int po
          7 completedIndexes str o
          10 failedIndexes str po
          8 uncountedTerminatedPods m:batch.UncountedTerminatedPods po
          9 ready int po
        batch.JobTemplateSpec:
          1 metadata m:meta.ObjectMeta o
          2 spec m:batch.JobSpec o
        batch.PodFailurePolicy:
          1 rules m:batch.PodFailurePolicyRule r atomic
        batch.PodFailurePolicyOnExitCodesRequirement:
          1 containerName str po
          2 operator str -
          3 values int r set
        batch.PodFailurePolicyOnPodConditionsPattern:
          1 type str -
          2 status str -
        batch.PodFailurePolicyRule:
          1 action str -
          2 onExitCodes m:batch.PodFailurePolicyOnExitCodesRequirement po
          3 onPodConditions m:batch.PodFailurePolicyOnPodConditionsPattern or atomic
        batch.SuccessPolicy:
          1 rules m:batch.SuccessPolicyRule r atomic
        batch.SuccessPolicyRule:
          1 succeededIndexes str po
          2 succeededCount int po
        batch.UncountedTerminatedPods:
          1 succeeded str or set
          2 failed str or set
        certificates.CertificateSigningRequest:
          1 metadata m:meta.ObjectMeta o
          2 spec m:certificates.CertificateSigningRequestSpec -
          3 status m:certificates.CertificateSigningRequestStatus o
        certificates.CertificateSigningRequestCondition:
          1 type str -
          6 status str -
          2 reason str o
          3 message str o
          4 lastUpdateTime time o
          5 lastTransitionTime time o
        certificates.CertificateSigningRequestSpec:
          1 request bytes -
          7 signerName str -
          8 expirationSeconds int po
          5 usages str or atomic
          2 username str o
          3 uid str o
          4 groups str or atomic
          6 extra map:str:strlist o
        certificates.CertificateSigningRequestStatus:
          1 conditions m:certificates.CertificateSigningRequestCondition or map=type
          2 certificate bytes o
        coordination.Lease:
          1 metadata m:meta.ObjectMeta o
          2 spec m:coordination.LeaseSpec o
        coordination.LeaseSpec:
          1 holderIdentity str po
          2 leaseDurationSeconds int po
          3 acquireTime microtime po
          4 renewTime microtime po
          5 leaseTransitions int po
          6 strategy str po
          7 preferredHolder str po
        core.AWSElasticBlockStoreVolumeSource:
          1 volumeID str -
          2 fsType str o
          3 partition int o
          4 readOnly bool o
        core.Affinity:
          1 nodeAffinity m:core.NodeAffinity po
          2 podAffinity m:core.PodAffinity po
          3 podAntiAffinity m:core.PodAntiAffinity po
        core.AppArmorProfile:
          1 type str -
          2 localhostProfile str po
        core.AttachedVolume:
          1 name str -
          2 devicePath str -
        core.AzureDiskVolumeSource:
          1 diskName str -
          2 diskURI str -
          3 cachingMode str po
          4 fsType str po
          5 readOnly bool po
          6 kind str po
        core.AzureFilePersistentVolumeSource:
          1 secretName str -
          2 shareName str -
          3 readOnly bool o
          4 secretNamespace str p
        core.AzureFileVolumeSource:
          1 secretName str -
          2 shareName str -
          3 readOnly bool o
        core.Binding:
          1 metadata m:meta.ObjectMeta o
          2 target m:core.ObjectReference -
        core.CSIPersistentVolumeSource:
          1 driver str -
          2 volumeHandle str -
          3 readOnly bool o
          4 fsType str o
          5 volumeAttributes map:str:str o
          6 controllerPublishSecretRef m:core.SecretReference po
          7 nodeStageSecretRef m:core.SecretReference po
          8 nodePublishSecretRef m:core.SecretReference po
          9 controllerExpandSecretRef m:core.SecretReference po
          10 nodeExpandSecretRef m:core.SecretReference po
        core.CSIVolumeSource:
          1 driver str -
          2 readOnly bool po
          3 fsType str po
          4 volumeAttributes map:str:str o
          5 nodePublishSecretRef m:core.LocalObjectReference po
        core.Capabilities:
          1 add str or atomic
          2 drop str or atomic
        core.CephFSPersistentVolumeSource:
          1 monitors str r atomic
          2 path str o
          3 user str o
          4 secretFile str o
          5 secretRef m:core.SecretReference po
          6 readOnly bool o
        core.CephFSVolumeSource:
          1 monitors str r atomic
          2 path str o
          3 user str o
          4 secretFile str o
          5 secretRef m:core.LocalObjectReference po
          6 readOnly bool o
        core.CinderPersistentVolumeSource:
          1 volumeID str -
          2 fsType str o
          3 readOnly bool o
          4 secretRef m:core.SecretReference po
        core.CinderVolumeSource:
          1 volumeID str -
          2 fsType str o
          3 readOnly bool o
          4 secretRef m:core.LocalObjectReference po
        core.ClientIPConfig:
          1 timeoutSeconds int po
        core.ClusterTrustBundleProjection:
          1 name str po
          2 signerName str po
          3 labelSelector m:meta.LabelSelector po
          5 optional bool po
          4 path str -
          6 user int po
        core.ComponentCondition:
          1 type str -
          2 status str -
          3 message str o
          4 error str o
        core.ComponentStatus:
          1 metadata m:meta.ObjectMeta o
          2 conditions m:core.ComponentCondition or map=type
        core.ConfigMap:
          1 metadata m:meta.ObjectMeta o
          4 immutable bool po
          2 data map:str:str o
          3 binaryData map:str:bytes o
        core.ConfigMapEnvSource:
          1 - m:core.LocalObjectReference i
          2 optional bool po
        core.ConfigMapKeySelector:
          1 - m:core.LocalObjectReference i
          2 key str -
          3 optional bool po
        core.ConfigMapNodeConfigSource:
          1 namespace str -
          2 name str -
          3 uid str o
          4 resourceVersion str o
          5 kubeletConfigKey str -
        core.ConfigMapProjection:
          1 - m:core.LocalObjectReference i
          2 items m:core.KeyToPath or atomic
          4 optional bool po
        core.ConfigMapVolumeSource:
          1 - m:core.LocalObjectReference i
          2 items m:core.KeyToPath or atomic
          3 defaultMode int po
          4 optional bool po
          5 defaultUser int po
        core.Container:
          1 name str -
          2 image str o
          3 command str or atomic
          4 args str or atomic
          5 workingDir str o
          6 ports m:core.ContainerPort or map=containerPort,protocol
          19 envFrom m:core.EnvFromSource or atomic
          7 env m:core.EnvVar or map=name
          8 resources m:core.ResourceRequirements o
          23 resizePolicy m:core.ContainerResizePolicy or atomic
          24 restartPolicy str po
          25 restartPolicyRules m:core.ContainerRestartRule or atomic
          9 volumeMounts m:core.VolumeMount or map=mountPath
          21 volumeDevices m:core.VolumeDevice or map=devicePath
          10 livenessProbe m:core.Probe po
          11 readinessProbe m:core.Probe po
          22 startupProbe m:core.Probe po
          12 lifecycle m:core.Lifecycle po
          13 terminationMessagePath str o
          20 terminationMessagePolicy str o
          14 imagePullPolicy str o
          15 securityContext m:core.SecurityContext po
          16 stdin bool o
          17 stdinOnce bool o
          18 tty bool o
        core.ContainerExtendedResourceRequest:
          1 containerName str -
          2 resourceName str -
          3 requestName str -
        core.ContainerImage:
          1 names str r atomic
          2 sizeBytes int o
        core.ContainerPort:
          1 name str o
          2 hostPort int o
          3 containerPort int -
          4 protocol str o
          5 hostIP str o
        core.ContainerResizePolicy:
          1 resourceName str -
          2 restartPolicy str -
        core.ContainerRestartRule:
          1 action str o
          2 exitCodes m:core.ContainerRestartRuleOnExitCodes po
        core.ContainerRestartRuleOnExitCodes:
          1 operator str o
          2 values int or set
        core.ContainerState:
          1 waiting m:core.ContainerStateWaiting po
          2 running m:core.ContainerStateRunning po
          3 terminated m:core.ContainerStateTerminated po
        core.ContainerStateRunning:
          1 startedAt time o
        core.ContainerStateTerminated:
          1 exitCode int -
          2 signal int o
          3 reason str o
          4 message str o
          5 startedAt time o
          6 finishedAt time o
          7 containerID str o
        core.ContainerStateWaiting:
          1 reason str o
          2 message str o
        core.ContainerStatus:
          1 name str -
          2 state m:core.ContainerState o
          3 lastState m:core.ContainerState o
          4 ready bool -
          5 restartCount int -
          6 image str -
          7 imageID str -
          8 containerID str o
          9 started bool po
          10 allocatedResources map:str:quantity o
          11 resources m:core.ResourceRequirements po
          12 volumeMounts m:core.VolumeMountStatus or map=mountPath
          13 user m:core.ContainerUser po
          14 allocatedResourcesStatus m:core.ResourceStatus or map=name
          15 stopSignal str po
        core.ContainerUser:
          1 linux m:core.LinuxContainerUser po
        core.DaemonEndpoint:
          1 Port int -
        core.DownwardAPIProjection:
          1 items m:core.DownwardAPIVolumeFile or atomic
        core.DownwardAPIVolumeFile:
          1 path str -
          2 fieldRef m:core.ObjectFieldSelector po
          3 resourceFieldRef m:core.ResourceFieldSelector po
          4 mode int po
          5 user int po
        core.DownwardAPIVolumeSource:
          1 items m:core.DownwardAPIVolumeFile or atomic
          2 defaultMode int po
          3 defaultUser int po
        core.EmptyDirVolumeSource:
          1 medium str o
          2 sizeLimit quantity po
          3 mode int po
        core.EndpointAddress:
          1 ip str -
          3 hostname str o
          4 nodeName str po
          2 targetRef m:core.ObjectReference po
        core.EndpointPort:
          1 name str o
          2 port int -
          3 protocol str o
          4 appProtocol str po
        core.EndpointSubset:
          1 addresses m:core.EndpointAddress or atomic
          2 notReadyAddresses m:core.EndpointAddress or atomic
          3 ports m:core.EndpointPort or atomic
        core.Endpoints:
          1 metadata m:meta.ObjectMeta o
          2 subsets m:core.EndpointSubset or atomic
        core.EnvFromSource:
          1 prefix str o
          2 configMapRef m:core.ConfigMapEnvSource po
          3 secretRef m:core.SecretEnvSource po
        core.EnvVar:
          1 name str -
          2 value str o
          3 valueFrom m:core.EnvVarSource po
        core.EnvVarSource:
          1 fieldRef m:core.ObjectFieldSelector po
          2 resourceFieldRef m:core.ResourceFieldSelector po
          3 configMapKeyRef m:core.ConfigMapKeySelector po
          4 secretKeyRef m:core.SecretKeySelector po
          5 fileKeyRef m:core.FileKeySelector po
        core.EphemeralContainer:
          1 - m:core.EphemeralContainerCommon i
          2 targetContainerName str o
        core.EphemeralContainerCommon:
          1 name str -
          2 image str o
          3 command str or atomic
          4 args str or atomic
          5 workingDir str o
          6 ports m:core.ContainerPort or map=containerPort,protocol
          19 envFrom m:core.EnvFromSource or atomic
          7 env m:core.EnvVar or map=name
          8 resources m:core.ResourceRequirements o
          23 resizePolicy m:core.ContainerResizePolicy or atomic
          24 restartPolicy str po
          25 restartPolicyRules m:core.ContainerRestartRule or atomic
          9 volumeMounts m:core.VolumeMount or map=mountPath
          21 volumeDevices m:core.VolumeDevice or map=devicePath
          10 livenessProbe m:core.Probe po
          11 readinessProbe m:core.Probe po
          22 startupProbe m:core.Probe po
          12 lifecycle m:core.Lifecycle po
          13 terminationMessagePath str o
          20 terminationMessagePolicy str o
          14 imagePullPolicy str o
          15 securityContext m:core.SecurityContext po
          16 stdin bool o
          17 stdinOnce bool o
          18 tty bool o
        core.EphemeralVolumeSource:
          1 volumeClaimTemplate m:core.PersistentVolumeClaimTemplate po
        core.Event:
          1 metadata m:meta.ObjectMeta -
          2 involvedObject m:core.ObjectReference -
          3 reason str o
          4 message str o
          5 source m:core.EventSource o
          6 firstTimestamp time o
          7 lastTimestamp time o
          8 count int o
          9 type str o
          10 eventTime microtime o
          11 series m:core.EventSeries po
          12 action str o
          13 related m:core.ObjectReference po
          14 reportingComponent str -
          15 reportingInstance str -
        core.EventSeries:
          1 count int o
          2 lastObservedTime microtime o
        core.EventSource:
          1 component str o
          2 host str o
        core.EvictionResponder:
          1 name str -
          2 priority int p
        core.ExecAction:
          1 command str or atomic
        core.FCVolumeSource:
          1 targetWWNs str or atomic
          2 lun int po
          3 fsType str o
          4 readOnly bool o
          5 wwids str or atomic
        core.FileKeySelector:
          1 volumeName str -
          2 path str -
          3 key str -
          4 optional bool po
        core.FlexPersistentVolumeSource:
          1 driver str -
          2 fsType str o
          3 secretRef m:core.SecretReference po
          4 readOnly bool o
          5 options map:str:str o
        core.FlexVolumeSource:
          1 driver str -
          2 fsType str o
          3 secretRef m:core.LocalObjectReference po
          4 readOnly bool o
          5 options map:str:str o
        core.FlockerVolumeSource:
          1 datasetName str o
          2 datasetUUID str o
        core.GCEPersistentDiskVolumeSource:
          1 pdName str -
          2 fsType str o
          3 partition int o
          4 readOnly bool o
        core.GRPCAction:
          1 port int -
          2 service str p
          3 mode str po
        core.GitRepoVolumeSource:
          1 repository str -
          2 revision str o
          3 directory str o
        core.GlusterfsPersistentVolumeSource:
          1 endpoints str -
          2 path str -
          3 readOnly bool o
          4 endpointsNamespace str po
        core.GlusterfsVolumeSource:
          1 endpoints str -
          2 path str -
          3 readOnly bool o
        core.HTTPGetAction:
          1 path str o
          2 port intstr -
          3 host str o
          4 scheme str o
          5 httpHeaders m:core.HTTPHeader or atomic
          6 protocol str po
        core.HTTPHeader:
          1 name str -
          2 value str -
        core.HostAlias:
          1 ip str -
          2 hostnames str or atomic
        core.HostIP:
          1 ip str -
        core.HostPathVolumeSource:
          1 path str -
          2 type str po
        core.ISCSIPersistentVolumeSource:
          1 targetPortal str -
          2 iqn str -
          3 lun int -
          4 iscsiInterface str o
          5 fsType str o
          6 readOnly bool o
          7 portals str or atomic
          8 chapAuthDiscovery bool o
          11 chapAuthSession bool o
          10 secretRef m:core.SecretReference po
          12 initiatorName str po
        core.ISCSIVolumeSource:
          1 targetPortal str -
          2 iqn str -
          3 lun int -
          4 iscsiInterface str o
          5 fsType str o
          6 readOnly bool o
          7 portals str or atomic
          8 chapAuthDiscovery bool o
          11 chapAuthSession bool o
          10 secretRef m:core.LocalObjectReference po
          12 initiatorName str po
        core.ImageVolumeSource:
          1 reference str o
          2 pullPolicy str o
        core.ImageVolumeStatus:
          1 imageRef str o
        core.KeyToPath:
          1 key str -
          2 path str -
          3 mode int po
          4 user int po
        core.Lifecycle:
          1 postStart m:core.LifecycleHandler po
          2 preStop m:core.LifecycleHandler po
          3 stopSignal str po
        core.LifecycleHandler:
          1 exec m:core.ExecAction po
          2 httpGet m:core.HTTPGetAction po
          3 tcpSocket m:core.TCPSocketAction po
          4 sleep m:core.SleepAction po
        core.LimitRange:
          1 metadata m:meta.ObjectMeta o
          2 spec m:core.LimitRangeSpec o
        core.LimitRangeItem:
          1 type str -
          2 max map:str:quantity o
          3 min map:str:quantity o
          4 default map:str:quantity o
          5 defaultRequest map:str:quantity o
          6 maxLimitRequestRatio map:str:quantity o
        core.LimitRangeSpec:
          1 limits m:core.LimitRangeItem r atomic
        core.LinuxContainerUser:
          1 uid int -
          2 gid int -
          3 supplementalGroups int or atomic
        core.LoadBalancerIngress:
          1 ip str o
          2 hostname str o
          3 ipMode str po
          4 ports m:core.PortStatus or atomic
        core.LoadBalancerStatus:
          1 ingress m:core.LoadBalancerIngress or atomic
        core.LocalObjectReference:
          1 name str o
        core.LocalVolumeSource:
          1 path str -
          2 fsType str po
        core.ModifyVolumeStatus:
          1 targetVolumeAttributesClassName str o
          2 status str -
        core.NFSVolumeSource:
          1 server str -
          2 path str -
          3 readOnly bool o
        core.Namespace:
          1 metadata m:meta.ObjectMeta o
          2 spec m:core.NamespaceSpec o
          3 status m:core.NamespaceStatus o
        core.NamespaceCondition:
          1 type str -
          2 status str -
          4 lastTransitionTime time o
          5 reason str o
          6 message str o
        core.NamespaceSpec:
          1 finalizers str or atomic
        core.NamespaceStatus:
          1 phase str o
          2 conditions m:core.NamespaceCondition or map=type
        core.Node:
          1 metadata m:meta.ObjectMeta o
          2 spec m:core.NodeSpec o
          3 status m:core.NodeStatus o
        core.NodeAddress:
          1 type str -
          2 address str -
        core.NodeAffinity:
          1 requiredDuringSchedulingIgnoredDuringExecution m:core.NodeSelector po
          2 preferredDuringSchedulingIgnoredDuringExecution m:core.PreferredSchedulingTerm or atomic
        core.NodeAllocatableMappedResources:
          1 name str -
          2 quantity quantity p
        core.NodeAllocatableOverheadResources:
          1 name str -
          2 perPod quantity po
          3 perContainer quantity po
        core.NodeAllocatableResourceClaimStatus:
          1 resourceClaimName str -
          2 containers str or set
          4 mapping m:core.NodeAllocatableMappedResources or map=name
          5 overhead m:core.NodeAllocatableOverheadResources or map=name
        core.NodeCondition:
          1 type str -
          2 status str -
          3 lastHeartbeatTime time o
          4 lastTransitionTime time o
          5 reason str o
          6 message str o
        core.NodeConfigSource:
          2 configMap m:core.ConfigMapNodeConfigSource po
        core.NodeConfigStatus:
          1 assigned m:core.NodeConfigSource po
          2 active m:core.NodeConfigSource po
          3 lastKnownGood m:core.NodeConfigSource po
          4 error str o
        core.NodeDaemonEndpoints:
          1 kubeletEndpoint m:core.DaemonEndpoint o
        core.NodeFeatures:
          1 supplementalGroupsPolicy bool po
        core.NodePodPreemptionPolicy:
          1 disableResizePreemption str or set
        core.NodeRuntimeHandler:
          1 name str -
          2 features m:core.NodeRuntimeHandlerFeatures po
        core.NodeRuntimeHandlerFeatures:
          1 recursiveReadOnlyMounts bool po
          2 userNamespaces bool po
        core.NodeSelector:
          1 nodeSelectorTerms m:core.NodeSelectorTerm r atomic
        core.NodeSelectorRequirement:
          1 key str -
          2 operator str -
          3 values str or atomic
        core.NodeSelectorTerm:
          1 matchExpressions m:core.NodeSelectorRequirement or atomic
          2 matchFields m:core.NodeSelectorRequirement or atomic
        core.NodeSpec:
          1 podCIDR str o
          7 podCIDRs str or set
          3 providerID str o
          4 unschedulable bool o
          5 taints m:core.Taint or atomic
          6 configSource m:core.NodeConfigSource po
          2 externalID str o
          8 podPreemptionPolicy m:core.NodePodPreemptionPolicy po
        core.NodeStatus:
          1 capacity map:str:quantity o
          2 allocatable map:str:quantity o
          3 phase str o
          4 conditions m:core.NodeCondition or map=type
          5 addresses m:core.NodeAddress or map=type
          6 daemonEndpoints m:core.NodeDaemonEndpoints o
          7 nodeInfo m:core.NodeSystemInfo o
          8 images m:core.ContainerImage or atomic
          9 volumesInUse str or atomic
          10 volumesAttached m:core.AttachedVolume or atomic
          11 config m:core.NodeConfigStatus po
          12 runtimeHandlers m:core.NodeRuntimeHandler or atomic
          13 features m:core.NodeFeatures po
          14 declaredFeatures str or atomic
        core.NodeSwapStatus:
          1 capacity int po
        core.NodeSystemInfo:
          1 machineID str -
          2 systemUUID str -
          3 bootID str -
          4 kernelVersion str -
          5 osImage str -
          6 containerRuntimeVersion str -
          7 kubeletVersion str -
          8 kubeProxyVersion str -
          9 operatingSystem str -
          10 architecture str -
          11 swap m:core.NodeSwapStatus po
        core.ObjectFieldSelector:
          1 apiVersion str o
          2 fieldPath str -
        core.ObjectReference:
          1 kind str o
          2 namespace str o
          3 name str o
          4 uid str o
          5 apiVersion str o
          6 resourceVersion str o
          7 fieldPath str o
        core.PersistentVolume:
          1 metadata m:meta.ObjectMeta o
          2 spec m:core.PersistentVolumeSpec o
          3 status m:core.PersistentVolumeStatus o
        core.PersistentVolumeClaim:
          1 metadata m:meta.ObjectMeta o
          2 spec m:core.PersistentVolumeClaimSpec o
          3 status m:core.PersistentVolumeClaimStatus o
        core.PersistentVolumeClaimCondition:
          1 type str -
          2 status str -
          3 lastProbeTime time o
          4 lastTransitionTime time o
          5 reason str o
          6 message str o
        core.PersistentVolumeClaimSpec:
          1 accessModes str or atomic
          4 selector m:meta.LabelSelector po
          2 resources m:core.VolumeResourceRequirements o
          3 volumeName str o
          5 storageClassName str po
          6 volumeMode str po
          7 dataSource m:core.TypedLocalObjectReference po
          8 dataSourceRef m:core.TypedObjectReference po
          9 volumeAttributesClassName str po
        core.PersistentVolumeClaimStatus:
          1 phase str o
          2 accessModes str or atomic
          3 capacity map:str:quantity o
          4 conditions m:core.PersistentVolumeClaimCondition or map=type
          5 allocatedResources map:str:quantity o
          7 allocatedResourceStatuses map:str:str o
          8 currentVolumeAttributesClassName str po
          9 modifyVolumeStatus m:core.ModifyVolumeStatus po
          10 healthStatus m:core.VolumeHealthStatus po
        core.PersistentVolumeClaimTemplate:
          1 metadata m:meta.ObjectMeta o
          2 spec m:core.PersistentVolumeClaimSpec -
        core.PersistentVolumeClaimVolumeSource:
          1 claimName str -
          2 readOnly bool o
        core.PersistentVolumeSource:
          1 gcePersistentDisk m:core.GCEPersistentDiskVolumeSource po
          2 awsElasticBlockStore m:core.AWSElasticBlockStoreVolumeSource po
          3 hostPath m:core.HostPathVolumeSource po
          4 glusterfs m:core.GlusterfsPersistentVolumeSource po
          5 nfs m:core.NFSVolumeSource po
          6 rbd m:core.RBDPersistentVolumeSource po
          7 iscsi m:core.ISCSIPersistentVolumeSource po
          8 cinder m:core.CinderPersistentVolumeSource po
          9 cephfs m:core.CephFSPersistentVolumeSource po
          10 fc m:core.FCVolumeSource po
          11 flocker m:core.FlockerVolumeSource po
          12 flexVolume m:core.FlexPersistentVolumeSource po
          13 azureFile m:core.AzureFilePersistentVolumeSource po
          14 vsphereVolume m:core.VsphereVirtualDiskVolumeSource po
          15 quobyte m:core.QuobyteVolumeSource po
          16 azureDisk m:core.AzureDiskVolumeSource po
          17 photonPersistentDisk m:core.PhotonPersistentDiskVolumeSource po
          18 portworxVolume m:core.PortworxVolumeSource po
          19 scaleIO m:core.ScaleIOPersistentVolumeSource po
          20 local m:core.LocalVolumeSource po
          21 storageos m:core.StorageOSPersistentVolumeSource po
          22 csi m:core.CSIPersistentVolumeSource po
        core.PersistentVolumeSpec:
          1 capacity map:str:quantity o
          2 - m:core.PersistentVolumeSource i
          3 accessModes str or atomic
          4 claimRef m:core.ObjectReference po
          5 persistentVolumeReclaimPolicy str o
          6 storageClassName str o
          7 mountOptions str or atomic
          8 volumeMode str po
          9 nodeAffinity m:core.VolumeNodeAffinity po
          10 volumeAttributesClassName str po
        core.PersistentVolumeStatus:
          1 phase str o
          2 message str o
          3 reason str o
          4 lastPhaseTransitionTime time po
        core.PhotonPersistentDiskVolumeSource:
          1 pdID str -
          2 fsType str o
        core.Pod:
          1 metadata m:meta.ObjectMeta o
          2 spec m:core.PodSpec o
          3 status m:core.PodStatus o
        core.PodAffinity:
          1 requiredDuringSchedulingIgnoredDuringExecution m:core.PodAffinityTerm or atomic
          2 preferredDuringSchedulingIgnoredDuringExecution m:core.WeightedPodAffinityTerm or atomic
        core.PodAffinityTerm:
          1 labelSelector m:meta.LabelSelector po
          2 namespaces str or atomic
          3 topologyKey str -
          4 namespaceSelector m:meta.LabelSelector po
          5 matchLabelKeys str or atomic
          6 mismatchLabelKeys str or atomic
        core.PodAntiAffinity:
          1 requiredDuringSchedulingIgnoredDuringExecution m:core.PodAffinityTerm or atomic
          2 preferredDuringSchedulingIgnoredDuringExecution m:core.WeightedPodAffinityTerm or atomic
        core.PodCertificateProjection:
          1 signerName str o
          2 keyType str o
          3 maxExpirationSeconds int po
          4 credentialBundlePath str o
          5 keyPath str o
          6 certificateChainPath str o
          7 userAnnotations map:str:str o
          8 user int po
        core.PodCondition:
          1 type str -
          7 observedGeneration int o
          2 status str -
          3 lastProbeTime time o
          4 lastTransitionTime time o
          5 reason str o
          6 message str o
        core.PodDNSConfig:
          1 nameservers str or atomic
          2 searches str or atomic
          3 options m:core.PodDNSConfigOption or atomic
        core.PodDNSConfigOption:
          1 name str o
          2 value str po
        core.PodExtendedResourceClaimStatus:
          1 requestMappings m:core.ContainerExtendedResourceRequest r atomic
          2 resourceClaimName str -
        core.PodIP:
          1 ip str -
        core.PodOS:
          1 name str -
        core.PodReadinessGate:
          1 conditionType str -
        core.PodResourceClaim:
          1 name str -
          3 resourceClaimName str po
          4 resourceClaimTemplateName str po
        core.PodResourceClaimStatus:
          1 name str -
          2 resourceClaimName str po
        core.PodSchedulingGate:
          1 name str -
        core.PodSchedulingGroup:
          1 podGroupName str po
        core.PodSecurityContext:
          1 seLinuxOptions m:core.SELinuxOptions po
          8 windowsOptions m:core.WindowsSecurityContextOptions po
          2 runAsUser int po
          6 runAsGroup int po
          3 runAsNonRoot bool po
          4 supplementalGroups int or atomic
          12 supplementalGroupsPolicy str po
          5 fsGroup int po
          7 sysctls m:core.Sysctl or atomic
          9 fsGroupChangePolicy str po
          10 seccompProfile m:core.SeccompProfile po
          11 appArmorProfile m:core.AppArmorProfile po
          13 seLinuxChangePolicy str po
        core.PodSpec:
          1 volumes m:core.Volume or map=name
          20 initContainers m:core.Container or map=name
          2 containers m:core.Container r map=name
          34 ephemeralContainers m:core.EphemeralContainer or map=name
          3 restartPolicy str o
          4 terminationGracePeriodSeconds int po
          5 activeDeadlineSeconds int po
          6 dnsPolicy str o
          7 nodeSelector map:str:str o
          8 serviceAccountName str o
          9 serviceAccount str o
          21 automountServiceAccountToken bool po
          10 nodeName str o
          11 hostNetwork bool o
          12 hostPID bool o
          13 hostIPC bool o
          27 shareProcessNamespace bool po
          14 securityContext m:core.PodSecurityContext po
          15 imagePullSecrets m:core.LocalObjectReference or map=name
          16 hostname str o
          17 subdomain str o
          18 affinity m:core.Affinity po
          19 schedulerName str o
          22 tolerations m:core.Toleration or atomic
          23 hostAliases m:core.HostAlias or map=ip
          24 priorityClassName str o
          25 priority int po
          26 dnsConfig m:core.PodDNSConfig po
          28 readinessGates m:core.PodReadinessGate or atomic
          29 runtimeClassName str po
          30 enableServiceLinks bool po
          31 preemptionPolicy str po
          32 overhead map:str:quantity o
          33 topologySpreadConstraints m:core.TopologySpreadConstraint or map=topologyKey,whenUnsatisfiable
          35 setHostnameAsFQDN bool po
          36 os m:core.PodOS po
          37 hostUsers bool po
          38 schedulingGates m:core.PodSchedulingGate or map=name
          39 resourceClaims m:core.PodResourceClaim or map=name
          40 resources m:core.ResourceRequirements po
          41 hostnameOverride str po
          43 schedulingGroup m:core.PodSchedulingGroup po
          44 evictionResponders m:core.EvictionResponder or map=name
        core.PodStatus:
          17 observedGeneration int o
          1 phase str o
          2 conditions m:core.PodCondition or map=type
          3 message str o
          4 reason str o
          11 nominatedNodeName str o
          5 hostIP str o
          16 hostIPs m:core.HostIP or atomic
          6 podIP str o
          12 podIPs m:core.PodIP or map=ip
          7 startTime time po
          10 initContainerStatuses m:core.ContainerStatus or atomic
          8 containerStatuses m:core.ContainerStatus or atomic
          9 qosClass str o
          13 ephemeralContainerStatuses m:core.ContainerStatus or atomic
          14 resize str o
          15 resourceClaimStatuses m:core.PodResourceClaimStatus or map=name
          18 extendedResourceClaimStatus m:core.PodExtendedResourceClaimStatus po
          19 allocatedResources map:str:quantity o
          20 resources m:core.ResourceRequirements po
          21 nodeAllocatableResourceClaimStatuses m:core.NodeAllocatableResourceClaimStatus or map=resourceClaimName
          22 volumeHealth m:core.PodVolumeHealth or map=name
        core.PodTemplate:
          1 metadata m:meta.ObjectMeta o
          2 template m:core.PodTemplateSpec o
        core.PodTemplateSpec:
          1 metadata m:meta.ObjectMeta o
          2 spec m:core.PodSpec o
        core.PodVolumeHealth:
          1 name str -
          2 healthConditions m:core.VolumeHealthCondition or map=status,reason
          3 lastTransitionTime time o
        core.PortStatus:
          1 port int -
          2 protocol str -
          3 error str po
        core.PortworxVolumeSource:
          1 volumeID str -
          2 fsType str o
          3 readOnly bool o
        core.PreferredSchedulingTerm:
          1 weight int -
          2 preference m:core.NodeSelectorTerm -
        core.Probe:
          1 - m:core.ProbeHandler i
          2 initialDelaySeconds int o
          3 timeoutSeconds int o
          4 periodSeconds int o
          5 successThreshold int o
          6 failureThreshold int o
          7 terminationGracePeriodSeconds int po
        core.ProbeHandler:
          1 exec m:core.ExecAction po
          2 httpGet m:core.HTTPGetAction po
          3 tcpSocket m:core.TCPSocketAction po
          4 grpc m:core.GRPCAction po
        core.ProjectedVolumeSource:
          1 sources m:core.VolumeProjection r atomic
          2 defaultMode int po
          3 defaultUser int po
        core.QuobyteVolumeSource:
          1 registry str -
          2 volume str -
          3 readOnly bool o
          4 user str o
          5 group str o
          6 tenant str o
        core.RBDPersistentVolumeSource:
          1 monitors str r atomic
          2 image str -
          3 fsType str o
          4 pool str o
          5 user str o
          6 keyring str o
          7 secretRef m:core.SecretReference po
          8 readOnly bool o
        core.RBDVolumeSource:
          1 monitors str r atomic
          2 image str -
          3 fsType str o
          4 pool str o
          5 user str o
          6 keyring str o
          7 secretRef m:core.LocalObjectReference po
          8 readOnly bool o
        core.ReplicationController:
          1 metadata m:meta.ObjectMeta o
          2 spec m:core.ReplicationControllerSpec o
          3 status m:core.ReplicationControllerStatus o
        core.ReplicationControllerCondition:
          1 type str -
          2 status str -
          3 lastTransitionTime time o
          4 reason str o
          5 message str o
        core.ReplicationControllerSpec:
          1 replicas int po
          4 minReadySeconds int o
          2 selector map:str:str o
          3 template m:core.PodTemplateSpec po
        core.ReplicationControllerStatus:
          1 replicas int -
          2 fullyLabeledReplicas int o
          4 readyReplicas int o
          5 availableReplicas int o
          3 observedGeneration int o
          6 conditions m:core.ReplicationControllerCondition or map=type
        core.ResourceClaim:
          1 name str -
          2 request str o
        core.ResourceFieldSelector:
          1 containerName str o
          2 resource str -
          3 divisor quantity o
        core.ResourceHealth:
          1 resourceID str -
          2 health str o
          6 message str po
        core.ResourceQuota:
          1 metadata m:meta.ObjectMeta o
          2 spec m:core.ResourceQuotaSpec o
          3 status m:core.ResourceQuotaStatus o
        core.ResourceQuotaSpec:
          1 hard map:str:quantity o
          2 scopes str or atomic
          3 scopeSelector m:core.ScopeSelector po
        core.ResourceQuotaStatus:
          1 hard map:str:quantity o
          2 used map:str:quantity o
        core.ResourceRequirements:
          1 limits map:str:quantity o
          2 requests map:str:quantity o
          3 claims m:core.ResourceClaim or map=name
        core.ResourceStatus:
          1 name str -
          2 resources m:core.ResourceHealth or map=resourceID
        core.SELinuxOptions:
          1 user str o
          2 role str o
          3 type str o
          4 level str o
        core.ScaleIOPersistentVolumeSource:
          1 gateway str -
          2 system str -
          3 secretRef m:core.SecretReference p
          4 sslEnabled bool o
          5 protectionDomain str o
          6 storagePool str o
          7 storageMode str o
          8 volumeName str o
          9 fsType str o
          10 readOnly bool o
        core.ScaleIOVolumeSource:
          1 gateway str -
          2 system str -
          3 secretRef m:core.LocalObjectReference p
          4 sslEnabled bool o
          5 protectionDomain str o
          6 storagePool str o
          7 storageMode str o
          8 volumeName str o
          9 fsType str o
          10 readOnly bool o
        core.ScopeSelector:
          1 matchExpressions m:core.ScopedResourceSelectorRequirement or atomic
        core.ScopedResourceSelectorRequirement:
          1 scopeName str -
          2 operator str -
          3 values str or atomic
        core.SeccompProfile:
          1 type str -
          2 localhostProfile str po
        core.Secret:
          1 metadata m:meta.ObjectMeta o
          5 immutable bool po
          2 data map:str:bytes o
          4 stringData map:str:str o
          3 type str o
        core.SecretEnvSource:
          1 - m:core.LocalObjectReference i
          2 optional bool po
        core.SecretKeySelector:
          1 - m:core.LocalObjectReference i
          2 key str -
          3 optional bool po
        core.SecretProjection:
          1 - m:core.LocalObjectReference i
          2 items m:core.KeyToPath or atomic
          4 optional bool po
        core.SecretReference:
          1 name str o
          2 namespace str o
        core.SecretVolumeSource:
          1 secretName str o
          2 items m:core.KeyToPath or atomic
          3 defaultMode int po
          4 optional bool po
          5 defaultUser int po
        core.SecurityContext:
          1 capabilities m:core.Capabilities po
          2 privileged bool po
          3 seLinuxOptions m:core.SELinuxOptions po
          10 windowsOptions m:core.WindowsSecurityContextOptions po
          4 runAsUser int po
          8 runAsGroup int po
          5 runAsNonRoot bool po
          6 readOnlyRootFilesystem bool po
          7 allowPrivilegeEscalation bool po
          9 procMount str po
          11 seccompProfile m:core.SeccompProfile po
          12 appArmorProfile m:core.AppArmorProfile po
        core.Service:
          1 metadata m:meta.ObjectMeta o
          2 spec m:core.ServiceSpec o
          3 status m:core.ServiceStatus o
        core.ServiceAccount:
          1 metadata m:meta.ObjectMeta o
          2 secrets m:core.ObjectReference or map=name
          3 imagePullSecrets m:core.LocalObjectReference or atomic
          4 automountServiceAccountToken bool po
        core.ServiceAccountTokenProjection:
          1 audience str o
          2 expirationSeconds int po
          3 path str -
          4 user int po
        core.ServicePort:
          1 name str o
          2 protocol str o
          6 appProtocol str po
          3 port int -
          4 targetPort intstr o
          5 nodePort int o
        core.ServiceSpec:
          1 ports m:core.ServicePort or map=port,protocol
          2 selector map:str:str o
          3 clusterIP str o
          18 clusterIPs str or atomic
          4 type str o
          5 externalIPs str or atomic
          7 sessionAffinity str o
          8 loadBalancerIP str o
          9 loadBalancerSourceRanges str or atomic
          10 externalName str o
          11 externalTrafficPolicy str o
          12 healthCheckNodePort int o
          13 publishNotReadyAddresses bool o
          14 sessionAffinityConfig m:core.SessionAffinityConfig po
          19 ipFamilies str or atomic
          17 ipFamilyPolicy str po
          20 allocateLoadBalancerNodePorts bool po
          21 loadBalancerClass str po
          22 internalTrafficPolicy str po
          23 trafficDistribution str po
        core.ServiceStatus:
          1 loadBalancer m:core.LoadBalancerStatus o
          2 conditions m:meta.Condition or map=type
        core.SessionAffinityConfig:
          1 clientIP m:core.ClientIPConfig po
        core.SleepAction:
          1 seconds int -
        core.StorageOSPersistentVolumeSource:
          1 volumeName str o
          2 volumeNamespace str o
          3 fsType str o
          4 readOnly bool o
          5 secretRef m:core.ObjectReference po
        core.StorageOSVolumeSource:
          1 volumeName str o
          2 volumeNamespace str o
          3 fsType str o
          4 readOnly bool o
          5 secretRef m:core.LocalObjectReference po
        core.Sysctl:
          1 name str -
          2 value str -
        core.TCPSocketAction:
          1 port intstr -
          2 host str o
        core.Taint:
          1 key str -
          2 value str o
          3 effect str -
          4 timeAdded time po
        core.Toleration:
          1 key str o
          2 operator str o
          3 value str o
          4 effect str o
          5 tolerationSeconds int po
        core.TopologySelectorLabelRequirement:
          1 key str -
          2 values str r atomic
        core.TopologySelectorTerm:
          1 matchLabelExpressions m:core.TopologySelectorLabelRequirement or atomic
        core.TopologySpreadConstraint:
          1 maxSkew int -
          2 topologyKey str -
          3 whenUnsatisfiable str -
          4 labelSelector m:meta.LabelSelector po
          5 minDomains int po
          6 nodeAffinityPolicy str po
          7 nodeTaintsPolicy str po
          8 matchLabelKeys str or atomic
        core.TypedLocalObjectReference:
          1 apiGroup str p
          2 kind str -
          3 name str -
        core.TypedObjectReference:
          1 apiGroup str p
          2 kind str -
          3 name str -
          4 namespace str po
        core.Volume:
          1 name str -
          2 - m:core.VolumeSource i
        core.VolumeDevice:
          1 name str -
          2 devicePath str -
        core.VolumeHealthCondition:
          1 status str -
          2 reason str -
          3 message str o
        core.VolumeHealthStatus:
          1 healthConditions m:core.VolumeHealthCondition or map=status,reason
          2 lastTransitionTime time o
        core.VolumeMount:
          1 name str -
          2 readOnly bool o
          7 recursiveReadOnly str po
          3 mountPath str -
          4 subPath str o
          5 mountPropagation str po
          6 subPathExpr str o
          8 bindMountOptions str or set
        core.VolumeMountStatus:
          1 name str -
          2 mountPath str -
          3 readOnly bool o
          4 recursiveReadOnly str po
          5 volumeStatus m:core.VolumeStatus po
        core.VolumeNodeAffinity:
          1 required m:core.NodeSelector po
        core.VolumeProjection:
          1 secret m:core.SecretProjection po
          2 downwardAPI m:core.DownwardAPIProjection po
          3 configMap m:core.ConfigMapProjection po
          4 serviceAccountToken m:core.ServiceAccountTokenProjection po
          5 clusterTrustBundle m:core.ClusterTrustBundleProjection po
          6 podCertificate m:core.PodCertificateProjection po
        core.VolumeResourceRequirements:
          1 limits map:str:quantity o
          2 requests map:str:quantity o
        core.VolumeSource:
          1 hostPath m:core.HostPathVolumeSource po
          2 emptyDir m:core.EmptyDirVolumeSource po
          3 gcePersistentDisk m:core.GCEPersistentDiskVolumeSource po
          4 awsElasticBlockStore m:core.AWSElasticBlockStoreVolumeSource po
          5 gitRepo m:core.GitRepoVolumeSource po
          6 secret m:core.SecretVolumeSource po
          7 nfs m:core.NFSVolumeSource po
          8 iscsi m:core.ISCSIVolumeSource po
          9 glusterfs m:core.GlusterfsVolumeSource po
          10 persistentVolumeClaim m:core.PersistentVolumeClaimVolumeSource po
          11 rbd m:core.RBDVolumeSource po
          12 flexVolume m:core.FlexVolumeSource po
          13 cinder m:core.CinderVolumeSource po
          14 cephfs m:core.CephFSVolumeSource po
          15 flocker m:core.FlockerVolumeSource po
          16 downwardAPI m:core.DownwardAPIVolumeSource po
          17 fc m:core.FCVolumeSource po
          18 azureFile m:core.AzureFileVolumeSource po
          19 configMap m:core.ConfigMapVolumeSource po
          20 vsphereVolume m:core.VsphereVirtualDiskVolumeSource po
          21 quobyte m:core.QuobyteVolumeSource po
          22 azureDisk m:core.AzureDiskVolumeSource po
          23 photonPersistentDisk m:core.PhotonPersistentDiskVolumeSource po
          26 projected m:core.ProjectedVolumeSource po
          24 portworxVolume m:core.PortworxVolumeSource po
          25 scaleIO m:core.ScaleIOVolumeSource po
          27 storageos m:core.StorageOSVolumeSource po
          28 csi m:core.CSIVolumeSource po
          29 ephemeral m:core.EphemeralVolumeSource po
          30 image m:core.ImageVolumeSource po
        core.VolumeStatus:
          1 image m:core.ImageVolumeStatus po
        core.VsphereVirtualDiskVolumeSource:
          1 volumePath str -
          2 fsType str o
          3 storagePolicyName str o
          4 storagePolicyID str o
        core.WeightedPodAffinityTerm:
          1 weight int -
          2 podAffinityTerm m:core.PodAffinityTerm -
        core.WindowsSecurityContextOptions:
          1 gmsaCredentialSpecName str po
          2 gmsaCredentialSpec str po
          3 runAsUserName str po
          4 hostProcess bool po
        discovery.Endpoint:
          1 addresses str r set
          2 conditions m:discovery.EndpointConditions o
          3 hostname str po
          4 targetRef m:core.ObjectReference po
          5 deprecatedTopology map:str:str o
          6 nodeName str po
          7 zone str po
          8 hints m:discovery.EndpointHints po
        discovery.EndpointConditions:
          1 ready bool po
          2 serving bool po
          3 terminating bool po
        discovery.EndpointHints:
          1 forZones m:discovery.ForZone or atomic
          2 forNodes m:discovery.ForNode or atomic
        discovery.EndpointPort:
          1 name str po
          2 protocol str po
          3 port int po
          4 appProtocol str po
        discovery.EndpointSlice:
          1 metadata m:meta.ObjectMeta o
          4 addressType str -
          2 endpoints m:discovery.Endpoint r atomic
          3 ports m:discovery.EndpointPort r atomic
        discovery.ForNode:
          1 name str -
        discovery.ForZone:
          1 name str -
        events.Event:
          1 metadata m:meta.ObjectMeta -
          2 eventTime microtime -
          3 series m:events.EventSeries po
          4 reportingController str o
          5 reportingInstance str o
          6 action str o
          7 reason str o
          8 regarding m:core.ObjectReference o
          9 related m:core.ObjectReference po
          10 note str o
          11 type str o
          12 deprecatedSource m:core.EventSource o
          13 deprecatedFirstTimestamp time o
          14 deprecatedLastTimestamp time o
          15 deprecatedCount int o
        events.EventSeries:
          1 count int -
          2 lastObservedTime microtime -
        flowcontrol.ExemptPriorityLevelConfiguration:
          1 nominalConcurrencyShares int po
          2 lendablePercent int po
        flowcontrol.FlowDistinguisherMethod:
          1 type str -
        flowcontrol.FlowSchema:
          1 metadata m:meta.ObjectMeta o
          2 spec m:flowcontrol.FlowSchemaSpec o
          3 status m:flowcontrol.FlowSchemaStatus o
        flowcontrol.FlowSchemaCondition:
          1 type str o
          2 status str o
          3 lastTransitionTime time o
          4 reason str o
          5 message str o
        flowcontrol.FlowSchemaSpec:
          1 priorityLevelConfiguration m:flowcontrol.PriorityLevelConfigurationReference -
          2 matchingPrecedence int -
          3 distinguisherMethod m:flowcontrol.FlowDistinguisherMethod po
          4 rules m:flowcontrol.PolicyRulesWithSubjects or atomic
        flowcontrol.FlowSchemaStatus:
          1 conditions m:flowcontrol.FlowSchemaCondition or map=type
        flowcontrol.GroupSubject:
          1 name str -
        flowcontrol.LimitResponse:
          1 type str -
          2 queuing m:flowcontrol.QueuingConfiguration po
        flowcontrol.LimitedPriorityLevelConfiguration:
          1 nominalConcurrencyShares int p
          2 limitResponse m:flowcontrol.LimitResponse o
          3 lendablePercent int po
          4 borrowingLimitPercent int po
        flowcontrol.NonResourcePolicyRule:
          1 verbs str r set
          6 nonResourceURLs str r set
        flowcontrol.PolicyRulesWithSubjects:
          1 subjects m:flowcontrol.Subject r atomic
          2 resourceRules m:flowcontrol.ResourcePolicyRule or atomic
          3 nonResourceRules m:flowcontrol.NonResourcePolicyRule or atomic
        flowcontrol.PriorityLevelConfiguration:
          1 metadata m:meta.ObjectMeta o
          2 spec m:flowcontrol.PriorityLevelConfigurationSpec o
          3 status m:flowcontrol.PriorityLevelConfigurationStatus o
        flowcontrol.PriorityLevelConfigurationCondition:
          1 type str o
          2 status str o
          3 lastTransitionTime time o
          4 reason str o
          5 message str o
        flowcontrol.PriorityLevelConfigurationReference:
          1 name str -
        flowcontrol.PriorityLevelConfigurationSpec:
          1 type str -
          2 limited m:flowcontrol.LimitedPriorityLevelConfiguration po
          3 exempt m:flowcontrol.ExemptPriorityLevelConfiguration po
        flowcontrol.PriorityLevelConfigurationStatus:
          1 conditions m:flowcontrol.PriorityLevelConfigurationCondition or map=type
        flowcontrol.QueuingConfiguration:
          1 queues int -
          2 handSize int -
          3 queueLengthLimit int -
        flowcontrol.ResourcePolicyRule:
          1 verbs str r set
          2 apiGroups str r set
          3 resources str r set
          4 clusterScope bool o
          5 namespaces str r set
        flowcontrol.ServiceAccountSubject:
          1 namespace str -
          2 name str -
        flowcontrol.Subject:
          1 kind str -
          2 user m:flowcontrol.UserSubject po
          3 group m:flowcontrol.GroupSubject po
          4 serviceAccount m:flowcontrol.ServiceAccountSubject po
        flowcontrol.UserSubject:
          1 name str -
        meta.Condition:
          1 type str -
          2 status str -
          3 observedGeneration int o
          4 lastTransitionTime time -
          5 reason str -
          6 message str -
        meta.DeleteOptions:
          1 gracePeriodSeconds int po
          2 preconditions m:meta.Preconditions po
          3 orphanDependents bool po
          4 propagationPolicy str po
          5 dryRun str or atomic
          6 ignoreStoreReadErrorWithClusterBreakingPotential bool po
        meta.FieldSelectorRequirement:
          1 key str -
          2 operator str -
          3 values str or atomic
        meta.LabelSelector:
          1 matchLabels map:str:str o
          2 matchExpressions m:meta.LabelSelectorRequirement or atomic
        meta.LabelSelectorRequirement:
          1 key str -
          2 operator str -
          3 values str or atomic
        meta.ManagedFieldsEntry:
          1 manager str o
          2 operation str o
          3 apiVersion str o
          4 time time po
          6 fieldsType str o
          7 fieldsV1 fieldsv1 po
          8 subresource str o
        meta.ObjectMeta:
          1 name str o
          2 generateName str o
          3 namespace str o
          4 selfLink str o
          5 uid str o
          6 resourceVersion str o
          7 generation int o
          8 creationTimestamp time o
          9 deletionTimestamp time po
          10 deletionGracePeriodSeconds int po
          11 labels map:str:str o
          12 annotations map:str:str o
          13 ownerReferences m:meta.OwnerReference or map=uid
          14 finalizers str or set
          17 managedFields m:meta.ManagedFieldsEntry or atomic
        meta.OwnerReference:
          5 apiVersion str -
          1 kind str -
          3 name str -
          4 uid str -
          6 controller bool po
          7 blockOwnerDeletion bool po
        meta.Preconditions:
          1 uid str po
          2 resourceVersion str po
        networking.HTTPIngressPath:
          1 path str o
          3 pathType str p
          2 backend m:networking.IngressBackend -
        networking.HTTPIngressRuleValue:
          1 paths m:networking.HTTPIngressPath r atomic
        networking.IPAddress:
          1 metadata m:meta.ObjectMeta o
          2 spec m:networking.IPAddressSpec o
        networking.IPAddressSpec:
          1 parentRef m:networking.ParentReference po
        networking.IPBlock:
          1 cidr str -
          2 except str or atomic
        networking.Ingress:
          1 metadata m:meta.ObjectMeta o
          2 spec m:networking.IngressSpec o
          3 status m:networking.IngressStatus o
        networking.IngressBackend:
          4 service m:networking.IngressServiceBackend po
          3 resource m:core.TypedLocalObjectReference po
        networking.IngressClass:
          1 metadata m:meta.ObjectMeta o
          2 spec m:networking.IngressClassSpec o
        networking.IngressClassParametersReference:
          1 apiGroup str po
          2 kind str -
          3 name str -
          4 scope str p
          5 namespace str po
        networking.IngressClassSpec:
          1 controller str o
          2 parameters m:networking.IngressClassParametersReference po
        networking.IngressLoadBalancerIngress:
          1 ip str o
          2 hostname str o
          4 ports m:networking.IngressPortStatus or atomic
        networking.IngressLoadBalancerStatus:
          1 ingress m:networking.IngressLoadBalancerIngress or atomic
        networking.IngressPortStatus:
          1 port int -
          2 protocol str -
          3 error str po
        networking.IngressRule:
          1 host str o
          2 - m:networking.IngressRuleValue i
        networking.IngressRuleValue:
          1 http m:networking.HTTPIngressRuleValue po
        networking.IngressServiceBackend:
          1 name str -
          2 port m:networking.ServiceBackendPort o
        networking.IngressSpec:
          4 ingressClassName str po
          1 defaultBackend m:networking.IngressBackend po
          2 tls m:networking.IngressTLS or atomic
          3 rules m:networking.IngressRule or atomic
        networking.IngressStatus:
          1 loadBalancer m:networking.IngressLoadBalancerStatus o
        networking.IngressTLS:
          1 hosts str or atomic
          2 secretName str o
        networking.NetworkPolicy:
          1 metadata m:meta.ObjectMeta o
          2 spec m:networking.NetworkPolicySpec o
        networking.NetworkPolicyEgressRule:
          1 ports m:networking.NetworkPolicyPort or atomic
          2 to m:networking.NetworkPolicyPeer or atomic
        networking.NetworkPolicyIngressRule:
          1 ports m:networking.NetworkPolicyPort or atomic
          2 from m:networking.NetworkPolicyPeer or atomic
        networking.NetworkPolicyPeer:
          1 podSelector m:meta.LabelSelector po
          2 namespaceSelector m:meta.LabelSelector po
          3 ipBlock m:networking.IPBlock po
        networking.NetworkPolicyPort:
          1 protocol str po
          2 port intstr po
          3 endPort int po
        networking.NetworkPolicySpec:
          1 podSelector m:meta.LabelSelector -
          2 ingress m:networking.NetworkPolicyIngressRule or atomic
          3 egress m:networking.NetworkPolicyEgressRule or atomic
          4 policyTypes str or atomic
        networking.ParentReference:
          1 group str o
          2 resource str o
          3 namespace str o
          4 name str o
        networking.ServiceBackendPort:
          1 name str o
          2 number int o
        networking.ServiceCIDR:
          1 metadata m:meta.ObjectMeta o
          2 spec m:networking.ServiceCIDRSpec o
          3 status m:networking.ServiceCIDRStatus o
        networking.ServiceCIDRSpec:
          1 cidrs str or atomic
        networking.ServiceCIDRStatus:
          1 conditions m:meta.Condition or map=type
        node.Overhead:
          1 podFixed map:str:quantity o
        node.RuntimeClass:
          1 metadata m:meta.ObjectMeta o
          2 handler str -
          3 overhead m:node.Overhead po
          4 scheduling m:node.Scheduling po
        node.Scheduling:
          1 nodeSelector map:str:str o
          2 tolerations m:core.Toleration or atomic
        policy.Eviction:
          1 metadata m:meta.ObjectMeta o
          2 deleteOptions m:meta.DeleteOptions po
        policy.PodDisruptionBudget:
          1 metadata m:meta.ObjectMeta o
          2 spec m:policy.PodDisruptionBudgetSpec o
          3 status m:policy.PodDisruptionBudgetStatus o
        policy.PodDisruptionBudgetSpec:
          1 minAvailable intstr po
          2 selector m:meta.LabelSelector po
          3 maxUnavailable intstr po
          4 unhealthyPodEvictionPolicy str po
        policy.PodDisruptionBudgetStatus:
          1 observedGeneration int o
          2 disruptedPods map:str:time o
          3 disruptionsAllowed int -
          4 currentHealthy int -
          5 desiredHealthy int -
          6 expectedPods int -
          7 conditions m:meta.Condition or map=type
        rbac.AggregationRule:
          1 clusterRoleSelectors m:meta.LabelSelector or atomic
        rbac.ClusterRole:
          1 metadata m:meta.ObjectMeta o
          2 rules m:rbac.PolicyRule r atomic
          3 aggregationRule m:rbac.AggregationRule po
        rbac.ClusterRoleBinding:
          1 metadata m:meta.ObjectMeta o
          2 subjects m:rbac.Subject or atomic
          3 roleRef m:rbac.RoleRef -
        rbac.PolicyRule:
          1 verbs str r atomic
          2 apiGroups str or atomic
          3 resources str or atomic
          4 resourceNames str or atomic
          5 nonResourceURLs str or atomic
        rbac.Role:
          1 metadata m:meta.ObjectMeta o
          2 rules m:rbac.PolicyRule r atomic
        rbac.RoleBinding:
          1 metadata m:meta.ObjectMeta o
          2 subjects m:rbac.Subject or atomic
          3 roleRef m:rbac.RoleRef -
        rbac.RoleRef:
          1 apiGroup str -
          2 kind str -
          3 name str -
        rbac.Subject:
          1 kind str -
          2 apiGroup str o
          3 name str -
          4 namespace str o
        scheduling.PriorityClass:
          1 metadata m:meta.ObjectMeta o
          2 value int -
          3 globalDefault bool o
          4 description str o
          5 preemptionPolicy str po
        storage.CSIDriver:
          1 metadata m:meta.ObjectMeta o
          2 spec m:storage.CSIDriverSpec -
        storage.CSIDriverSpec:
          1 attachRequired bool po
          2 podInfoOnMount bool po
          3 volumeLifecycleModes str or set
          4 storageCapacity bool po
          5 fsGroupPolicy str po
          6 tokenRequests m:storage.TokenRequest or atomic
          7 requiresRepublish bool po
          8 seLinuxMount bool po
          9 nodeAllocatableUpdatePeriodSeconds int po
          10 serviceAccountTokenInSecrets bool po
          11 preventPodSchedulingIfMissing bool po
        storage.CSINode:
          1 metadata m:meta.ObjectMeta o
          2 spec m:storage.CSINodeSpec -
          3 status m:storage.CSINodeStatus o
        storage.CSINodeDriver:
          1 name str -
          2 nodeID str -
          3 topologyKeys str r atomic
          4 allocatable m:storage.VolumeNodeResources po
        storage.CSINodeSpec:
          1 drivers m:storage.CSINodeDriver r map=name
        storage.CSINodeStatus:
          1 storageHealth m:storage.StorageHealth or map=name
        storage.CSIStorageCapacity:
          1 metadata m:meta.ObjectMeta o
          2 nodeTopology m:meta.LabelSelector po
          3 storageClassName str -
          4 capacity quantity po
          5 maximumVolumeSize quantity po
        storage.StorageClass:
          1 metadata m:meta.ObjectMeta o
          2 provisioner str -
          3 parameters map:str:str o
          4 reclaimPolicy str po
          5 mountOptions str or atomic
          6 allowVolumeExpansion bool po
          7 volumeBindingMode str po
          8 allowedTopologies m:core.TopologySelectorTerm or atomic
        storage.StorageHealth:
          1 name str -
          2 healthConditions m:storage.StorageHealthCondition or atomic
        storage.StorageHealthCondition:
          1 status str -
          2 reason str -
          3 message str o
          4 accessMode str po
          5 volumeMode str po
          6 lastTransitionTime time o
        storage.TokenRequest:
          1 audience str -
          2 expirationSeconds int po
        storage.VolumeAttachment:
          1 metadata m:meta.ObjectMeta o
          2 spec m:storage.VolumeAttachmentSpec -
          3 status m:storage.VolumeAttachmentStatus o
        storage.VolumeAttachmentSource:
          1 persistentVolumeName str po
          2 inlineVolumeSpec m:core.PersistentVolumeSpec po
        storage.VolumeAttachmentSpec:
          1 attacher str -
          2 source m:storage.VolumeAttachmentSource -
          3 nodeName str -
        storage.VolumeAttachmentStatus:
          1 attached bool -
          2 attachmentMetadata map:str:str o
          3 attachError m:storage.VolumeError po
          4 detachError m:storage.VolumeError po
        storage.VolumeError:
          1 time time o
          2 message str o
          3 errorCode int po
        storage.VolumeNodeResources:
          1 count int po
        """
}
