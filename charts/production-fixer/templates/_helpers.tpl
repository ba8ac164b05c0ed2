{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "production-fixer.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, unless it already contains the chart name. */}}
{{- define "production-fixer.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "production-fixer.selectorLabels" -}}
app.kubernetes.io/name: {{ include "production-fixer.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "production-fixer.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "production-fixer.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: production-fixer
{{- end }}

{{- define "production-fixer.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "production-fixer.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "production-fixer.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "production-fixer.leaseName" -}}
{{- default (include "production-fixer.fullname" .) .Values.leaderElection.leaseName }}
{{- end }}

{{/* Namespaces watched in scope "namespaces"; fails with a clear message when empty. */}}
{{- define "production-fixer.scopedNamespaces" -}}
{{- if not .Values.watchNamespaces }}
{{- fail "rbac.scope \"namespaces\" needs the namespaces to watch in watchNamespaces (e.g. --set watchNamespaces={team-a,team-b})" }}
{{- end }}
{{- join "," .Values.watchNamespaces }}
{{- end }}

{{- define "production-fixer.alertNamespace" -}}
{{- if .Values.webhook.alertNamespace }}
{{- .Values.webhook.alertNamespace }}
{{- else if eq .Values.rbac.scope "namespaces" }}
{{- first .Values.watchNamespaces }}
{{- else }}
{{- .Release.Namespace }}
{{- end }}
{{- end }}

{{/*
RBAC rules on namespaced resources. Used by the ClusterRole (scope "cluster") and by
the Role in each watched namespace (scope "namespaces"). docs/rbac.md gives the reason
for every rule; test/packaging checks them against the apiserver.
*/}}
{{- define "production-fixer.rules.namespaced" -}}
# Detect failing pods and read their spec and status.
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
# Current and previous container logs are the main evidence.
- apiGroups: [""]
  resources: [pods/log]
  verbs: [get]
# Read the events of a pod and its owners; record Events on the target pod.
- apiGroups: [""]
  resources: [events]
  verbs: [get, list, watch, create, patch]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [get, list, watch, create, patch]
# Evidence for storage, dependency, configuration and quota diagnoses (never Secrets).
- apiGroups: [""]
  resources: [persistentvolumeclaims, services, endpoints, configmaps, resourcequotas, limitranges]
  verbs: [get, list]
# The owner chain and the rollout diff (what changed between two ReplicaSets/revisions).
- apiGroups: [apps]
  resources: [replicasets, deployments, statefulsets, daemonsets, controllerrevisions]
  verbs: [get, list, watch]
# Failed Jobs and their CronJobs.
- apiGroups: [batch]
  resources: [jobs, cronjobs]
  verbs: [get, list, watch]
# NetworkPolicy diagnoses: which policies select the pod.
- apiGroups: [networking.k8s.io]
  resources: [networkpolicies]
  verbs: [get, list]
# Dependency diagnoses: does a Service have ready endpoints.
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [get, list]
# Our own resources: incidents are written, alerts are read and created by the webhook.
- apiGroups: [productionfixer.io]
  resources: [productionincidents]
  verbs: [get, list, watch, create, update, patch, delete]
- apiGroups: [productionfixer.io]
  resources: [productionincidents/status]
  verbs: [get, update, patch]
- apiGroups: [productionfixer.io]
  resources: [productionalerts]
  verbs: [get, list, watch, create, update, patch]
- apiGroups: [productionfixer.io]
  resources: [productionalerts/status]
  verbs: [get, update, patch]
{{- end }}

{{/* Read-only rules on cluster-scoped resources (scope "cluster" only). */}}
{{- define "production-fixer.rules.namespaces" -}}
# Namespace labels and phase (a terminating namespace explains failing pods).
- apiGroups: [""]
  resources: [namespaces]
  verbs: [get, list, watch]
{{- end }}

{{/* Read-only rules on nodes and volumes (scope "cluster", or "namespaces" with rbac.clusterResources). */}}
{{- define "production-fixer.rules.nodesAndStorage" -}}
# Node conditions, pressure and taints for NodeFailure and Unschedulable diagnoses.
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, list, watch]
# Volumes behind a PVC, for StorageFailure diagnoses.
- apiGroups: [""]
  resources: [persistentvolumes]
  verbs: [get, list]
- apiGroups: [storage.k8s.io]
  resources: [storageclasses]
  verbs: [get, list]
{{- end }}

{{/* Checks across values that the schema cannot express with a clear message. */}}
{{- define "production-fixer.validate" -}}
{{- if and (not .Values.leaderElection.enabled) (gt (int .Values.replicaCount) 1) }}
{{- fail (printf "replicaCount is %d but leaderElection.enabled is false: without a leader every replica would write; set replicaCount: 1 or enable leader election" (int .Values.replicaCount)) }}
{{- end }}
{{- if eq .Values.rbac.scope "namespaces" }}
{{- $_ := include "production-fixer.scopedNamespaces" . }}
{{- end }}
{{- if and .Values.webhook.enabled (eq (int .Values.ports.server) (int .Values.ports.webhook)) }}
{{- fail "ports.server and ports.webhook must differ" }}
{{- end }}
{{- end }}
