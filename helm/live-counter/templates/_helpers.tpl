{{/* Names, labels and images shared by every template. */}}

{{- define "live-counter.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* "<release>-<chart>", or the release name alone when it already holds the chart name. */}}
{{- define "live-counter.fullname" -}}
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

{{/*
The services, keyed by their values block. The ports are the ones the images listen on
(micronaut.server.port in each service's application.yml), so they are not values.
*/}}
{{- define "live-counter.components" -}}
broadcaster: {name: broadcaster-service, port: 8080}
connectionService: {name: connection-service, port: 8081}
counterService: {name: counter-service, port: 8082}
{{- end }}

{{/*
"<fullname>-<component>" within the 63 characters of a Service name: the full name is shortened, not
the component, so the names of the three services never run into one another.
Call with (list $ "component").
*/}}
{{- define "live-counter.componentName" -}}
{{- $component := index . 1 }}
{{- $prefix := include "live-counter.fullname" (index . 0) | trunc (int (sub 62 (len $component))) | trimSuffix "-" }}
{{- printf "%s-%s" $prefix $component }}
{{- end }}

{{- define "live-counter.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "live-counter.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: live-counter
{{- end }}

{{/* Every pod of this release carries these two: the network policies select on them. */}}
{{- define "live-counter.selectorLabels" -}}
app.kubernetes.io/name: {{ include "live-counter.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Call with (list $ "component"). */}}
{{- define "live-counter.componentLabels" -}}
{{ include "live-counter.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* Call with (list $ "component"). */}}
{{- define "live-counter.componentSelectorLabels" -}}
{{ include "live-counter.selectorLabels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "live-counter.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "live-counter.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "live-counter.secretName" -}}
{{- default (printf "%s-internal" (include "live-counter.fullname" .)) .Values.internalSecret.existingSecret }}
{{- end }}

{{- define "live-counter.secretKey" -}}
{{- if .Values.internalSecret.existingSecret }}{{ .Values.internalSecret.existingSecretKey }}{{ else }}internal-secret{{ end }}
{{- end }}

{{- define "live-counter.tablesPrefix" -}}
{{- default (printf "%s-" .Release.Name) .Values.tables.prefix }}
{{- end }}

{{/* The DynamoDB endpoint the services use, or nothing for AWS's own. */}}
{{- define "live-counter.dynamodbEndpoint" -}}
{{- if and .Values.dynamodbLocal.enabled .Values.aws.dynamodbEndpoint }}
{{- fail "set either dynamodbLocal.enabled or aws.dynamodbEndpoint, not both" }}
{{- end }}
{{- if .Values.dynamodbLocal.enabled }}
{{- printf "http://%s:8000" (include "live-counter.componentName" (list . "dynamodb-local")) }}
{{- else }}
{{- .Values.aws.dynamodbEndpoint }}
{{- end }}
{{- end }}

{{/*
The streamed tables (streamedTables) as the broadcaster's JSON configuration, the value of
MICRONAUT_APPLICATION_JSON: {"livecounter":{"streamed-tables":{"<table>":{...}}}} with the property names
the broadcaster reads (attributes, access, snapshot-limit, writable, example); nothing when there is no
table. With dynamodbLocal.enabled the example table "orders" is added (unless streamedTables names it): the
broadcaster creates it with a few orders, and the /tables page shows and edits it. The same JSON as
local-stack's StackEnvironment.EXAMPLE_TABLES and the dev overlay's; keys come out sorted (toJson).
*/}}
{{- define "live-counter.streamedTablesJson" -}}
{{- $prefix := include "live-counter.tablesPrefix" . }}
{{- $own := list "counters" "connections" "history" "presses" "replicas" }}
{{- $tables := dict }}
{{- range $name, $table := .Values.streamedTables }}
{{- $ownTable := and (hasPrefix $prefix $name) (has (trimPrefix $prefix $name) $own) }}
{{- if or $ownTable (hasPrefix (printf "%sbroadcaster" $prefix) $name) }}
{{- fail (printf "streamedTables.%s: one of Live Counter's own tables (prefix %s), which are never streamed to clients" $name $prefix) }}
{{- end }}
{{- $table = $table | default dict }}
{{- $entry := dict }}
{{- if hasKey $table "attributes" }}{{ $_ := set $entry "attributes" $table.attributes }}{{ end }}
{{- with $table.access }}{{ $_ := set $entry "access" (upper .) }}{{ end }}
{{- if hasKey $table "snapshotLimit" }}{{ $_ := set $entry "snapshot-limit" (int $table.snapshotLimit) }}{{ end }}
{{- if $table.writable }}{{ $_ := set $entry "writable" true }}{{ end }}
{{- $_ := set $tables $name $entry }}
{{- end }}
{{- if and .Values.dynamodbLocal.enabled (not (hasKey $tables "orders")) }}
{{- $_ := set $tables "orders" (dict "attributes" (list "item" "status" "total" "updatedAt") "example" true "writable" true) }}
{{- end }}
{{- if $tables }}
{{- dict "livecounter" (dict "streamed-tables" $tables) | toJson }}
{{- end }}
{{- end }}

{{/* "<imageRegistry>/<repository>:<tag>"; call with (list $ .Values.<block>.image). */}}
{{- define "live-counter.image" -}}
{{- $root := index . 0 }}
{{- $image := index . 1 }}
{{- $repository := $image.repository }}
{{- with $root.Values.imageRegistry }}
{{- $repository = printf "%s/%s" (trimSuffix "/" .) $repository }}
{{- end }}
{{- printf "%s:%s" $repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}

{{/*
"true" when the cluster has the preStop sleep action (on by default from Kubernetes 1.30). Older
clusters get no preStop hook rather than a Deployment they would reject; NOTES.txt says so.
*/}}
{{- define "live-counter.hasSleepAction" -}}
{{- if semverCompare ">=1.30-0" .Capabilities.KubeVersion.Version }}true{{ end }}
{{- end }}

{{/*
Whether a monitoring piece renders: "auto" where the cluster serves the Prometheus Operator's API
(monitoring.coreos.com/v1), true or false regardless. Call with (list $ setting); empty output means off.
*/}}
{{- define "live-counter.monitoringOn" -}}
{{- $setting := toString (index . 1) }}
{{- if eq $setting "auto" }}
{{- include "live-counter.hasMonitoringApi" (index . 0) }}
{{- else if eq $setting "true" }}true
{{- end }}
{{- end }}

{{- define "live-counter.hasMonitoringApi" -}}
{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}true{{ end }}
{{- end }}

{{/* What the ServiceMonitor and the PodMonitor scrape, and the labels the chart's rules and dashboards rely on. */}}
{{- define "live-counter.scrapeEndpoint" -}}
port: http
path: /prometheus
interval: {{ .interval }}
relabelings:
  - sourceLabels: [__meta_kubernetes_pod_label_app_kubernetes_io_component]
    targetLabel: component
{{- end }}
