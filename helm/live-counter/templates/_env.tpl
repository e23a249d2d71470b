{{/*
Environment of each service beyond the shared ConfigMap (configmap.yaml). Micronaut maps the names
to properties: LIVECOUNTER_BROADCASTER_COALESCE_INTERVAL -> livecounter.broadcaster.coalesce-interval.
Each is included as "live-counter.env.<values block>" with the root context.
*/}}

{{- define "live-counter.env.broadcaster" -}}
- name: LIVECOUNTER_BROADCASTER_CONNECTION_SERVICE_URL
  value: {{ printf "http://%s:8081" (include "live-counter.componentName" (list . "connection-service")) | quote }}
- name: LIVECOUNTER_BROADCASTER_COUNTER_SERVICE_URL
  value: {{ printf "http://%s:8082" (include "live-counter.componentName" (list . "counter-service")) | quote }}
# replicas post each broadcast to one another at this address (/internal/broadcast), not through the
# Service, so every replica gets it; POD_IP must come first for $(POD_IP) to expand
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
- name: LIVECOUNTER_BROADCASTER_ADVERTISED_ADDRESS
  value: "http://$(POD_IP):8080"
- name: LIVECOUNTER_BROADCASTER_REPLICA_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: LIVECOUNTER_BROADCASTER_ALLOWED_ORIGINS
  value: {{ .Values.config.allowedOrigins | quote }}
{{- /* unset: the service's own default (BroadcasterSettings), written in one place */}}
{{- with .Values.config.coalesceInterval }}
- name: LIVECOUNTER_BROADCASTER_COALESCE_INTERVAL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.config.transport }}
- name: LIVECOUNTER_BROADCASTER_TRANSPORT
  value: {{ . | quote }}
{{- end }}
- name: LIVECOUNTER_STREAM_POLL_INTERVAL
  value: {{ .Values.config.streamPollInterval | quote }}
{{- /* a forwarded address is believed only behind this chart's ingress, and only from the proxy's addresses */}}
{{- $clientIpHeader := .Values.config.clientIpHeader }}
{{- if eq $clientIpHeader "none" }}{{ $clientIpHeader = "" }}
{{- else if and (not $clientIpHeader) .Values.ingress.enabled }}{{ $clientIpHeader = "X-Forwarded-For" }}{{ end }}
- name: LIVECOUNTER_LIMITS_CLIENT_IP_HEADER
  value: {{ $clientIpHeader | quote }}
- name: LIVECOUNTER_LIMITS_TRUSTED_PROXIES
  value: {{ .Values.config.trustedProxies | quote }}
- name: LIVECOUNTER_LIMITS_SOCKETS_PER_IP
  value: {{ .Values.config.socketsPerIp | quote }}
- name: LIVECOUNTER_LIMITS_CONNECTS_PER_SECOND
  value: {{ .Values.config.connectsPerSecond | quote }}
- name: LIVECOUNTER_LIMITS_VISITORS_PER_MINUTE
  value: {{ .Values.config.visitorsPerMinute | quote }}
- name: LIVECOUNTER_LIMITS_MESSAGES_PER_SECOND
  value: {{ .Values.config.messagesPerSecond | quote }}
{{- /* the streamed tables' names are the operator's, so they reach Micronaut as JSON, not as variable names */}}
{{- with include "live-counter.streamedTablesJson" . }}
- name: MICRONAUT_APPLICATION_JSON
  value: {{ . | quote }}
{{- end }}
{{- /* tokens from an outside issuer; unset: HS256 tokens signed with the internal secret only */}}
{{- with .Values.tokens.jwksUrl }}
- name: LIVECOUNTER_TOKENS_JWKS_URL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.tokens.issuer }}
- name: LIVECOUNTER_TOKENS_ISSUER
  value: {{ . | quote }}
{{- end }}
{{- with .Values.tokens.audience }}
- name: LIVECOUNTER_TOKENS_AUDIENCE
  value: {{ . | quote }}
{{- end }}
{{- end }}

{{- define "live-counter.env.connectionService" -}}
- name: LIVECOUNTER_CONNECTIONS_VISIT_WINDOW
  value: {{ .Values.config.visitWindow | quote }}
- name: LIVECOUNTER_RECONCILE_PERIOD
  value: {{ .Values.config.reconcilePeriod | quote }}
{{- end }}

{{- define "live-counter.env.counterService" -}}
{{- end }}
