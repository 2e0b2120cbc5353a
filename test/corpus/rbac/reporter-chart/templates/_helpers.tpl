{{- define "reporter.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "reporter.serviceAccountName" -}}
{{- default (include "reporter.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}
