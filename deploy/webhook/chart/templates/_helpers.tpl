{{- define "kordon-webhook.fullname" -}}
{{- printf "%s" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kordon-webhook.labels" -}}
app.kubernetes.io/name: kordon-webhook
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "kordon-webhook.selector" -}}
app.kubernetes.io/name: kordon-webhook
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kordon-webhook.excluded" -}}
{{- $ns := list .Release.Namespace -}}
{{- range .Values.webhook.excludeNamespaces }}{{ $ns = append $ns . }}{{ end -}}
{{- toJson (sortAlpha (uniq $ns)) -}}
{{- end -}}
